"""Pruning inside the huge components, by re-certifying only what a trial moves (issue 14).

prune.py audits each trial removal over its whole component, which is affordable up to
about a thousand cells. A year's national cells chain every province into components of
~90,000 cells, where most of the displayed secondaries sit and one LP takes seconds.

Here the protection's certificates do the work. Each protected cell's two levels are
each reached by a kept certificate (a whole table a reader cannot rule out). Publishing a
secondary cell c again invalidates exactly the certificates that move c; every other one
stays a valid table. So a trial needs new tables only for the levels those certificates
covered, and it looks for them in the level's own piece (its year × province), with every
cell outside the piece held at its true value: a smaller feasible set, which the true table
stays in, so any table found there is a certificate for the whole component. If a level
cannot be reached that way the trial is refused (the whole component might have allowed it:
this only ever gives back less). The closing audit checks every certificate afterwards.
"""
from __future__ import annotations

import time

import numpy as np

from pipeline.disclosure.audit import audit, by_component
from pipeline.disclosure.certificates import Certificate, Keeper
from pipeline.disclosure.prune import local_derived, lone_protected, small_groups, sub_table, triples_by_cell
from pipeline.disclosure.table import LinearTable, apply_derived, csr_entries, exact_derivable, neighbourhood


PIECE_LP_MAX_CELLS = 20_000  # pieces larger than this are not searched for new tables (the trial is refused)
NEIGHBOURHOOD_MAX_CELLS = 3_000  # nor neighbourhoods larger than this


def prune_large(table: LinearTable, suppressed: np.ndarray, primary: np.ndarray, lpl: np.ndarray, upl: np.ndarray, k: int,
                keeper: Keeper, keep: np.ndarray | None = None, derived=None, min_cells: int = 1000,
                budget_trials: int = 1200, log=lambda m: None) -> int:
    """Publish again secondaries of components over `min_cells` that the certificates show are
    not needed (in place). Smaller components first; a component is left after REFUSED_IN_A_ROW
    refusals in a row, the whole after `budget_trials` trials. Counted, not timed: the same input
    gives the same release on a busy machine and an idle one (a 45-second budget gave back 592
    cells of the test preset on an idle machine and 1 on a busy one). Returns how many."""
    if table.piece is None:
        return 0
    t0 = time.perf_counter()
    keep = np.zeros(table.n_cells, dtype=bool) if keep is None else keep
    is_complement = np.zeros(table.n_cells, dtype=bool)
    if derived is not None and len(derived[0]):
        is_complement[derived[0]] = True
    must_move = primary & (upl > 0)
    book = _Book(keeper)
    unknown = suppressed & ~exact_derivable(table, suppressed)  # what a reader does not know, kept up to date
    log(f"prune (large): certificates indexed, derivations followed ({time.perf_counter() - t0:.1f} s)")
    by_cell = triples_by_cell(derived, table.n_cells)
    pieces: dict = {}  # piece label → its sub-table (relations touching its cells) and their cells
    freed = tried = lp_trials = 0
    # Over HUGE_CELLS (the demo's national components, ~90,000 cells) a trial's LPs take about a
    # second and are nearly all refused: those stay as they are.
    large = sorted(((comp, rels) for comp, rels in by_component(table, suppressed) if min_cells < len(comp) <= HUGE_CELLS),
                   key=lambda cr: (len(cr[0]), int(cr[0][0])))
    for comp, rels in large:
        comp_table, own = sub_table(table, rels)
        triples, reaches_out = local_derived(derived, by_cell, own)
        start = suppressed[own].copy()
        candidates = comp[~primary[comp] & ~keep[comp] & ~is_complement[comp]]
        # Trials that invalidate no certificate need no LP: those first, costly ones first among each
        # (on the test preset that gave back 746 cells, cheapest-first 404 in the same time).
        needs_lp = book.moved[candidates]
        order = np.lexsort((-table.cost[candidates], needs_lp))
        freed_here = refused_in_a_row = 0
        for c in candidates[order]:
            if tried >= budget_trials or lp_trials >= MAX_LP_TRIALS or refused_in_a_row >= REFUSED_IN_A_ROW:
                break
            i = int(np.searchsorted(own, c))
            if reaches_out[i] or not suppressed[c]:
                continue
            tried += 1
            refused_in_a_row += 1  # until the trial is kept, below
            before = suppressed[own]
            trial = before.copy()
            trial[i] = False
            apply_derived(trial, triples)
            changed = own[before & ~trial]
            safe, newly_known = _delta_safe(table, unknown, changed, must_move, k)
            if not safe:
                continue
            stale = book.moving(changed)
            need_lo, need_hi = book.levels_of(stale)
            new = []
            suppressed[own] = trial  # the trial in place (undone below if refused)
            if len(need_lo) or len(need_hi):
                lp_trials += 1
                new = _recertify(table, suppressed, primary, lpl, upl, need_lo, need_hi, keeper, pieces)
                if new is None:
                    suppressed[own] = before
                    continue
            book.drop(stale)
            book.add(new)
            unknown[changed] = False
            unknown[newly_known] = False
            freed_here += 1
            refused_in_a_row = 0
        # The trials were checked near the cell; the whole component is checked once more, and its
        # removals are all undone if a lone protected cell or a small group appeared further out.
        local = suppressed[own]
        if freed_here and (lone_protected(comp_table, local, must_move[own]) or small_groups(comp_table, local, k)):
            suppressed[own] = start
            unknown[own] = start & ~exact_derivable(table, suppressed)[own]
            log(f"prune (large): {freed_here:,} removals in a component of {len(comp):,} cells undone (a distant small group)")
        else:
            freed += freed_here
        if tried >= budget_trials or lp_trials >= MAX_LP_TRIALS:
            log(f"prune (large): stopped after {tried:,} trials ({lp_trials:,} with new tables) in {time.perf_counter() - t0:.0f} s "
                f"(budget {budget_trials:,} trials, {MAX_LP_TRIALS:,} with new tables)")
            break
    return _done(log, freed, tried, lp_trials, min_cells)


class _Book:
    """The keeper's certificates indexed both ways: by the cells each moves, and by the levels
    each is the kept proof of, so a trial finds what it invalidates without a scan. The kept
    certificates at the start are indexed at once (CSR arrays, millions of entries); the few
    found during pruning go into small dictionaries."""

    def __init__(self, keeper: Keeper):
        self.keeper = keeper
        ids = np.array(list(keeper.kept), dtype=np.int64)
        sizes = np.array([len(keeper.kept[i].cells) for i in ids], dtype=np.int64)
        cells = np.concatenate([keeper.kept[i].cells for i in ids]) if len(ids) else np.array([], dtype=np.int64)
        owner = np.repeat(ids, sizes)
        n = len(keeper.primary)
        self.by_cell = _csr(cells, owner, n)  # cell → ids of the certificates that move it
        self.lo_cells = _csr(keeper.lo_by[keeper.lo_by >= 0], np.flatnonzero(keeper.lo_by >= 0), keeper._next)
        self.hi_cells = _csr(keeper.hi_by[keeper.hi_by >= 0], np.flatnonzero(keeper.hi_by >= 0), keeper._next)
        self.extra_by_cell: dict[int, set] = {}
        self.extra_lo: dict[int, np.ndarray] = {}
        self.extra_hi: dict[int, np.ndarray] = {}
        self.moved = np.zeros(n, dtype=bool)  # moved by some certificate (kept or later)
        self.moved[cells] = True

    def moving(self, cells) -> list:
        ptr, ids = self.by_cell
        cells = np.asarray(cells, dtype=np.int64)
        found = set(ids[csr_entries(ptr, cells)].tolist())
        for c in cells:
            found |= self.extra_by_cell.get(int(c), set())
        return [i for i in found if i in self.keeper.kept]

    def _levels(self, csr, extra, ids) -> np.ndarray:
        ptr, cells = csr
        old = np.array([i for i in ids if i < len(ptr) - 1], dtype=np.int64)
        parts = [cells[csr_entries(ptr, old)]] + [extra[i] for i in ids if i in extra]
        return np.unique(np.concatenate(parts)) if parts else np.array([], dtype=np.int64)

    def levels_of(self, ids) -> tuple[np.ndarray, np.ndarray]:
        k = self.keeper
        lo, hi = self._levels(self.lo_cells, self.extra_lo, ids), self._levels(self.hi_cells, self.extra_hi, ids)
        # only the levels these certificates are still the kept proof of
        ids_arr = np.array(ids, dtype=np.int64)
        return lo[np.isin(k.lo_by[lo], ids_arr)], hi[np.isin(k.hi_by[hi], ids_arr)]

    def drop(self, ids) -> None:
        k = self.keeper
        lo, hi = self.levels_of(ids)
        k.lo_by[lo] = -1
        k.hi_by[hi] = -1
        for i in ids:
            k.kept.pop(i, None)

    def add(self, certificates) -> None:
        k = self.keeper
        first = k._next
        k.add(certificates)
        for i in range(first, k._next):
            cert = k.kept[i]
            for cell in cert.cells:
                self.extra_by_cell.setdefault(int(cell), set()).add(i)
            self.moved[cert.cells] = True
            self.extra_lo[i] = cert.cells[k.lo_by[cert.cells] == i]
            self.extra_hi[i] = cert.cells[k.hi_by[cert.cells] == i]


def _csr(keys: np.ndarray, values: np.ndarray, n: int):
    """values grouped by keys (0..n−1): ptr, values in key order."""
    keys = np.asarray(keys, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    ptr = np.concatenate([[0], np.cumsum(np.bincount(keys, minlength=n))]).astype(np.int64)
    return ptr, np.asarray(values, dtype=np.int64)[order]


def _done(log, freed, tried, lp_trials, min_cells) -> int:
    log(f"prune (large): {freed:,} secondary cells published again in components over {min_cells:,} cells "
        f"({tried:,} trials, {lp_trials:,} needing new tables)")
    return freed


HUGE_CELLS = 20_000
REFUSED_IN_A_ROW = 60  # a component whose last 60 trials were all refused is left as it is
MAX_LP_TRIALS = 400  # trials that need new tables (LPs) are the slow ones: at most this many


def _delta_safe(table: LinearTable, unknown: np.ndarray, changed: np.ndarray, must_move: np.ndarray, k: int):
    """Publishing `changed` (given what a reader does not know, `unknown`, with every exact
    derivation already applied): follow only the derivations it starts. Refused when one pins a
    protected cell, or leaves unknown parts of a relation with a known total adding up to 1..k−1.
    Returns (safe, cells that become derivable)."""
    ptr, order = table.entries_by_cell()
    rel_of = table.relation_of_entry()
    unk = unknown.copy()
    unk[changed] = False
    frontier, derived, touched = np.asarray(changed, dtype=np.int64), [], []
    while len(frontier):
        rels = np.unique(rel_of[order[csr_entries(ptr, frontier)]])
        touched.append(rels)
        entries = csr_entries(table.rel_ptr, rels)
        cells = table.rel_cell[entries]
        rel_e = np.repeat(rels, table.rel_ptr[rels + 1] - table.rel_ptr[rels])
        n_unk = np.bincount(np.searchsorted(rels, rel_e[unk[cells]]), minlength=len(rels))
        lone = cells[unk[cells] & (n_unk[np.searchsorted(rels, rel_e)] == 1)]
        if must_move[lone].any():
            return False, None
        lone = np.unique(lone)
        unk[lone] = False
        derived.append(lone)
        frontier = lone
    rels = np.unique(np.concatenate(touched))
    entries = csr_entries(table.rel_ptr, rels)
    cells, coefs = table.rel_cell[entries], table.rel_coef[entries]
    local = np.searchsorted(rels, np.repeat(rels, table.rel_ptr[rels + 1] - table.rel_ptr[rels]))
    total = np.full(len(rels), -1)
    total[local[coefs > 0]] = cells[coefs > 0]
    part = unk[cells] & (coefs < 0)
    n_part = np.bincount(local[part], minlength=len(rels))
    part_sum = np.bincount(local[part], weights=table.value[cells[part]], minlength=len(rels))
    known_total = (total >= 0) & ~unk[np.maximum(total, 0)]
    if (known_total & (n_part >= 2) & (part_sum > 0) & (part_sum < k)).any():
        return False, None
    return True, np.concatenate(derived) if derived else np.array([], dtype=np.int64)


def _piece_table(table: LinearTable, piece, pieces: dict):
    if piece not in pieces:
        cells = np.flatnonzero(table.piece == piece)
        touching = np.unique(table.relation_of_entry()[np.isin(table.rel_cell, cells)])
        pieces[piece] = sub_table(table, touching)
    return pieces[piece]


def _recertify(table, trial, primary, lpl, upl, need_lo: np.ndarray, need_hi: np.ndarray, keeper: Keeper, pieces: dict):
    """New certificates for the levels `need_lo` (down) and `need_hi` (up), found with every cell
    outside a region held at its true value: first the cells' close neighbourhood (a small LP),
    then, for what that does not reach, their own piece. None when a level is not reached."""
    cells = np.union1d(need_lo, need_hi)
    probe = Keeper(primary, keeper.need_lo, keeper.need_hi)
    found = []

    def missing():
        return np.union1d(need_lo[probe.lo_by[need_lo] < 0], need_hi[probe.hi_by[need_hi] < 0])

    for hops in (2, 1):  # a national cell's two-hop neighbourhood can be the whole component
        region, rels = neighbourhood(table, trial, cells, hops)
        if len(region) <= NEIGHBOURHOOD_MAX_CELLS:
            break
    else:
        return None
    sub, own = sub_table(table, rels)
    local_sup = trial[own] & np.isin(own, region)
    res = audit(sub, local_sup, np.isin(own, cells) & local_sup, lpl[own], upl[own], workers=1)
    new = [Certificate(own[c.cells], c.values) for c in res.certificates]
    probe.add(new)
    found += new
    left = missing()
    for piece in np.unique(table.piece[left]):
        sub, own = _piece_table(table, piece, pieces)
        if sub.n_cells > PIECE_LP_MAX_CELLS:  # an LP over a big province's whole piece takes seconds
            return None
        local_sup = trial[own] & (table.piece[own] == piece)
        targets = np.isin(own, left[table.piece[left] == piece]) & local_sup
        res = audit(sub, local_sup, targets, lpl[own], upl[own], workers=1)
        if not res.passed:
            return None
        new = [Certificate(own[c.cells], c.values) for c in res.certificates]
        probe.add(new)
        found += new
    return found if len(missing()) == 0 else None
