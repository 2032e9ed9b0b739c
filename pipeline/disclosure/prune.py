"""Give back complementary cells that turn out not to be needed.

The greedy rules and the repair loop add partners in batches, so a finished pattern
often holds cells whose protection another suppressed cell already gives. This pass
tries each secondary cell, most costly first, and publishes it again when the
attacker's audit still passes and no relation is left with a derivable small group
(the check the LP cannot make). It is the usual clean-up step of heuristic
suppression (Hundepool et al., Statistical Disclosure Control, §5.4: "remove
superfluous secondary suppressions"), and it never makes a pattern unsafe: each
removal is accepted only on the audit's verdict.

It works component by component on a small sub-table (the component's relations, the
other cells of those relations held at their published values), so each trial is
an audit of a few hundred cells; components larger than `max_cells` are left as they are.
"""
from __future__ import annotations

import numpy as np

from pipeline.disclosure.audit import audit, components
from pipeline.disclosure.table import LinearTable, apply_derived


def sub_table(table: LinearTable, rels: np.ndarray) -> tuple[LinearTable, np.ndarray]:
    """The relations `rels` over only the cells they mention; returns it and those cells' indices."""
    ptr, cells, coefs = table.rel_ptr, table.rel_cell, table.rel_coef
    spans = [np.arange(ptr[r], ptr[r + 1]) for r in rels]
    entries = np.concatenate(spans) if spans else np.array([], dtype=np.int64)
    own = np.unique(cells[entries])
    local = np.searchsorted(own, cells[entries])
    sub_ptr = np.concatenate([[0], np.cumsum([len(s) for s in spans])]).astype(np.int64)
    sub = LinearTable(table.value[own], table.lower[own], table.upper[own], table.cost[own], sub_ptr, local.astype(np.int64), coefs[entries])
    return sub, own


def small_groups(table: LinearTable, suppressed: np.ndarray, k: int) -> bool:
    """Does some relation with a published total leave suppressed parts adding up to 1..k−1?"""
    rel, cells, coefs = table.relation_of_entry(), table.rel_cell, table.rel_coef
    n_rel = table.n_relations
    total = np.full(n_rel, -1)
    total[rel[coefs > 0]] = cells[coefs > 0]
    part = suppressed[cells] & (coefs < 0)
    n_sup = np.bincount(rel[part], minlength=n_rel)
    part_sum = np.bincount(rel[part], weights=table.value[cells[part]], minlength=n_rel)
    known = (total >= 0) & ~suppressed[np.maximum(total, 0)]
    return bool((known & (n_sup >= 2) & (part_sum > 0) & (part_sum < k)).any())


def local_derived(derived, own: np.ndarray):
    """The (complement, numerator, denominator) triples wholly inside a sub-table, in its
    indices, and a mask of sub-table cells that belong to a triple reaching outside it."""
    outside = np.zeros(len(own), dtype=bool)
    if derived is None or not len(derived[0]):
        return None, outside
    parts = [np.asarray(p) for p in derived]
    pos = [np.searchsorted(own, p).clip(0, len(own) - 1) for p in parts]
    inside = [own[q] == p for p, q in zip(parts, pos)]
    whole = inside[0] & inside[1] & inside[2]
    for q, ins in zip(pos, inside):
        outside[q[ins & ~whole]] = True
    return tuple(q[whole] for q in pos), outside


def prune(table: LinearTable, suppressed: np.ndarray, primary: np.ndarray, lpl: np.ndarray, upl: np.ndarray, k: int,
          keep: np.ndarray | None = None, derived=None, max_cells: int = 400, log=lambda m: None) -> int:
    """Publish again the secondary cells the pattern does not need (in place); returns how many.
    `keep`: cells that must stay suppressed whatever the audit says (cell families).
    `derived`: (complement, numerator, denominator) index arrays: a complement nobody
    publishes is unknown while its numerator or denominator is, so it follows them."""
    keep = np.zeros(table.n_cells, dtype=bool) if keep is None else keep
    is_complement = np.zeros(table.n_cells, dtype=bool)
    if derived is not None and len(derived[0]):
        is_complement[derived[0]] = True
    sup_cells, labels, touched, rel_label = components(table, suppressed)
    freed = 0
    for lab in np.unique(labels):
        comp = sup_cells[labels == lab]
        if len(comp) > max_cells or not primary[comp].any():
            continue
        candidates = comp[~primary[comp] & ~keep[comp] & ~is_complement[comp]]
        if len(candidates) == 0:
            continue
        sub, own = sub_table(table, touched[rel_label == lab])
        triples, reaches_out = local_derived(derived, own)
        local_sup = suppressed[own].copy()
        local_prim, l_lpl, l_upl = primary[own], lpl[own], upl[own]
        for c in candidates[np.argsort(-table.cost[candidates], kind="stable")]:
            i = int(np.searchsorted(own, c))
            if reaches_out[i]:
                continue
            trial = local_sup.copy()
            trial[i] = False
            apply_derived(trial, triples)
            if small_groups(sub, trial, k) or not audit(sub, trial, local_prim, l_lpl, l_upl, workers=1).passed:
                continue
            changed = own[trial != local_sup]
            suppressed[changed] = trial[trial != local_sup]
            local_sup = trial
            freed += 1
    log(f"prune: {freed:,} secondary cells published again")
    return freed
