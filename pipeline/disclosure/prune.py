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
an audit of at most `max_cells` cells; larger components are left as they are.
"""
from __future__ import annotations

import numpy as np

from pipeline.disclosure.audit import audit, by_component
from pipeline.disclosure.certificates import Certificate, Keeper, reach
from pipeline.disclosure.parallel import default_workers, fork_map
from pipeline.disclosure.table import exact_derivable, LinearTable, apply_derived, csr_entries, csr_gather


def sub_table(table: LinearTable, rels: np.ndarray) -> tuple[LinearTable, np.ndarray]:
    """The relations `rels` over only the cells they mention; returns it and those cells' indices."""
    ptr, cells, coefs = table.rel_ptr, table.rel_cell, table.rel_coef
    rels = np.asarray(rels, dtype=np.int64)
    entries = csr_entries(ptr, rels)
    own = np.unique(cells[entries])
    local = np.searchsorted(own, cells[entries])
    sub_ptr = np.concatenate([[0], np.cumsum(ptr[rels + 1] - ptr[rels])]).astype(np.int64)
    sub = LinearTable(table.value[own], table.lower[own], table.upper[own], table.cost[own], sub_ptr, local.astype(np.int64), coefs[entries])
    return sub, own


def small_groups(table: LinearTable, suppressed: np.ndarray, k: int) -> bool:
    """Does some relation with a published total leave suppressed parts adding up to 1..k−1?
    Parts a reader derives exactly count as published."""
    suppressed = suppressed & ~exact_derivable(table, suppressed)
    rel, cells, coefs = table.relation_of_entry(), table.rel_cell, table.rel_coef
    n_rel = table.n_relations
    total = np.full(n_rel, -1)
    total[rel[coefs > 0]] = cells[coefs > 0]
    part = suppressed[cells] & (coefs < 0)
    n_sup = np.bincount(rel[part], minlength=n_rel)
    part_sum = np.bincount(rel[part], weights=table.value[cells[part]], minlength=n_rel)
    known = (total >= 0) & ~suppressed[np.maximum(total, 0)]
    return bool((known & (n_sup >= 2) & (part_sum > 0) & (part_sum < k)).any())


def lone_protected(table: LinearTable, suppressed: np.ndarray, must_move: np.ndarray) -> bool:
    """Does some relation leave a cell of `must_move` (a primary with a positive protection
    level) as its only suppressed cell, so that it is exactly derivable? The audit would fail
    such a trial; this answers without building an LP."""
    rel, cells = table.relation_of_entry(), table.rel_cell
    on = suppressed[cells]
    n_sup = np.bincount(rel[on], minlength=table.n_relations)
    return bool((on & must_move[cells] & (n_sup[rel] == 1)).any())


def triples_by_cell(derived, n_cells: int):
    """For each cell, the (complement, numerator, denominator) triples it belongs to, as CSR
    (ptr, triple ids); built once per prune so each component finds its triples directly."""
    if derived is None or not len(derived[0]):
        return None
    members = np.concatenate([np.asarray(p) for p in derived])
    ids = np.tile(np.arange(len(derived[0])), 3)
    order = np.argsort(members, kind="stable")
    ptr = np.concatenate([[0], np.cumsum(np.bincount(members, minlength=n_cells))]).astype(np.int64)
    return ptr, ids[order]


def local_derived(derived, by_cell, own: np.ndarray):
    """The (complement, numerator, denominator) triples wholly inside a sub-table, in its
    indices, and a mask of sub-table cells that belong to a triple reaching outside it.
    `by_cell`: triples_by_cell(derived)."""
    outside = np.zeros(len(own), dtype=bool)
    if by_cell is None:
        return None, outside
    touching = np.unique(csr_gather(*by_cell, own))
    parts = [np.asarray(p)[touching] for p in derived]
    pos = [np.searchsorted(own, p).clip(0, len(own) - 1) for p in parts]
    inside = [own[q] == p for p, q in zip(parts, pos)]
    whole = inside[0] & inside[1] & inside[2]
    for q, ins in zip(pos, inside):
        outside[q[ins & ~whole]] = True
    return tuple(q[whole] for q in pos), outside


# Components up to this many cells are pruned. Measured on one demo pattern: 400 cells gave
# back 9,477 secondaries in 25 s, 1,000 gave 14,476 in 42 s, 2,000 gave 16,322 in 70 s, 7,000
# gave 20,440 in 352 s; 1,000 keeps the whole protection well inside five minutes.
MAX_CELLS = 1000


def prune(table: LinearTable, suppressed: np.ndarray, primary: np.ndarray, lpl: np.ndarray, upl: np.ndarray, k: int,
          keep: np.ndarray | None = None, derived=None, max_cells: int = MAX_CELLS, log=lambda m: None, workers: int | None = None,
          certificates: list | None = None) -> int:
    """Publish again the secondary cells the pattern does not need (in place); returns how many.
    `keep`: cells that must stay suppressed whatever the audit says (cell families).
    `derived`: (complement, numerator, denominator) index arrays: a complement nobody
    publishes is unknown while its numerator or denominator is, so it follows them.
    Components are independent (no relation joins two of them), so they are pruned in
    `workers` processes (default: up to 2). `certificates`: tables of this pattern the
    protection's audits found; each component starts from its own instead of auditing
    itself afresh."""
    keep = np.zeros(table.n_cells, dtype=bool) if keep is None else keep
    is_complement = np.zeros(table.n_cells, dtype=bool)
    if derived is not None and len(derived[0]):
        is_complement[derived[0]] = True
    jobs, job_cells = [], []
    left_alone = 0
    for comp, rels in by_component(table, suppressed):
        if len(comp) > max_cells:
            left_alone += int((~primary[comp] & ~keep[comp] & ~is_complement[comp]).sum())
            continue
        if not primary[comp].any():
            continue
        candidates = comp[~primary[comp] & ~keep[comp] & ~is_complement[comp]]
        if len(candidates):
            jobs.append((rels, candidates[np.argsort(-table.cost[candidates], kind="stable")]))
            job_cells.append(comp)
    jobs = [job + (given,) for job, given in zip(jobs, _by_component(certificates or [], job_cells, table.n_cells))]
    freed = 0
    for own, now_suppressed, n in _run(table, suppressed, primary, lpl, upl, k, derived, jobs, workers):
        suppressed[own] = now_suppressed
        freed += n
    log(f"prune: {freed:,} secondary cells published again ({len(jobs):,} components tried); "
        f"{left_alone:,} secondary cells in components over {max_cells:,} cells not tried")
    return freed


def _by_component(certificates: list, job_cells: list, n_cells: int) -> list[list]:
    """The certificates of each job's component. A certificate moves only cells of one
    component: it was found for a smaller pattern, whose components lie inside this one's."""
    job_of = np.full(n_cells, -1, dtype=np.int64)
    for i, cells in enumerate(job_cells):
        job_of[cells] = i
    out = [[] for _ in job_cells]
    for c in certificates:
        jobs = job_of[c.cells]
        if len(jobs) and jobs[0] >= 0 and (jobs == jobs[0]).all():
            out[jobs[0]].append(c)
    return out


def _prune_component(table, suppressed, primary, lpl, upl, k, derived, by_cell, rels, candidates, given=()):
    """One component on its own sub-table: try each candidate, keep the pattern's certificates
    (tables that reach the levels) so a trial they still cover needs no LP. `given`: certificates
    of this pattern found before (the protection's); the first audit solves only what they miss."""
    sub, own = sub_table(table, rels)
    triples, reaches_out = local_derived(derived, by_cell, own)
    local_sup = suppressed[own].copy()
    local_prim, l_lpl, l_upl = primary[own], lpl[own], upl[own]
    must_move = local_prim & (l_upl > 0)  # a zero magnitude has zero levels: exact is no failure
    keeper = Keeper(local_prim, np.maximum(sub.lower, sub.value - l_lpl), sub.value + l_upl)
    local = [Certificate(np.searchsorted(own, c.cells), c.values) for c in given]
    keeper.add(local)
    first = audit(sub, local_sup, local_prim, l_lpl, l_upl, workers=1, witness=reach(sub, local))
    keeper.add(first.certificates)
    freed = 0
    for c in candidates:
        i = int(np.searchsorted(own, c))
        if reaches_out[i]:
            continue
        trial = local_sup.copy()
        trial[i] = False
        apply_derived(trial, triples)
        if lone_protected(sub, trial, must_move) or small_groups(sub, trial, k):
            continue
        # The kept certificates are optima of audits of this pattern or a smaller one (the
        # protection's and this function's own: as trusted as those audits' verdicts; the
        # build's closing audit checks every certificate it hands on). One that moves only
        # cells the trial still hides is a table of the trial too: the same relations and
        # bounds, its published cells at their values. Its reach is where the trial starts.
        still = [cert for cert in keeper.certificates() if trial[cert.cells].all()]
        verdict = audit(sub, trial, local_prim, l_lpl, l_upl, workers=1, witness=reach(sub, still),
                        verdict_only=True)
        if not verdict.passed:
            continue
        local_sup = trial
        keeper.forget_published(trial)
        keeper.add(verdict.certificates)
        freed += 1
    return own, local_sup, freed


def _run(table, suppressed, primary, lpl, upl, k, derived, jobs, workers):
    few = len(jobs) < 64
    context = (table, suppressed, primary, lpl, upl, k, derived, triples_by_cell(derived, table.n_cells))
    return fork_map(_prune_job, context, jobs, 1 if few else default_workers(workers), size=lambda j: len(j[1]), batch=16)


def _prune_job(context, job):
    return _prune_component(*context, *job)
