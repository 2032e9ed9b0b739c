"""The attacker's audit: for every protected cell, the tightest interval a reader can derive.

It takes only the table (values, relations, bounds) and the set of cells that
are not published, and trusts nothing else: not the suppression code, not the
statuses. For each primary cell p it solves min y_p and max y_p subject to every
relation, published cells fixed at their values, and lower ≤ y ≤ upper.

Made to scale as DISCLOSURE.md describes: variables are the suppressed cells
only; the problem splits exactly into connected components (cells sharing a
relation); one HiGHS model per component is re-used between solves, changing
only the objective; and since every optimum is a feasible table, each solution
widens every cell's observed range, so LPs whose levels are already met are
skipped. A component held together by a single equation needs no LP at all (its
closed form is exact), and a huge component is first checked piece by piece
(year × province), the rest held at true values: a level met there is met in the
whole, so only what is still short gets the whole component's LP.

Each optimum that first reaches a protected cell's level is handed out as a
*certificate* (certificates.py). A later audit given certificates checks every
one itself, relation by relation, and skips only the LPs the valid ones answer:
that is how the build's final audit re-judges the whole release in minutes
without trusting anything the protection computed.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from pipeline.disclosure import certificates as certs
from pipeline.disclosure.certificates import TOL, Certificate
from pipeline.disclosure.parallel import default_workers, fork_map
from pipeline.disclosure.table import LinearTable, csr_entries, csr_gather, neighbourhood



@dataclass
class AuditResult:
    # Per protected cell (NaN elsewhere), how far a reader's range reaches: the exact minimum
    # and maximum where an LP or the closed form was solved for it, else the value it takes in
    # a checked table (a certificate or witness) that already reaches the level.
    lo: np.ndarray
    hi: np.ndarray
    failures: list[int]  # primary cells whose interval is too narrow
    components: int = 0
    largest_component: int = 0
    lps_solved: int = 0
    lps_skipped: int = 0
    seconds: float = 0.0
    smallest_margin: float = float("inf")  # min over primaries of the slack beyond the required levels
    detail: dict = field(default_factory=dict)
    # Quick mode only: cells short in their piece that share a relation with a suppressed cell
    # of another piece. Holding that cell fixed pins them (a province cell beside its sibling
    # provinces under a published national total), so the piece cannot judge them: only the
    # whole component's LP can. They are not failures; the exact audit decides them.
    deferred: list[int] = field(default_factory=list)
    # Tables found by this audit's solves that first reach a protected cell's level (certificates.py).
    certificates: list = field(default_factory=list)
    certificates_checked: int = 0
    certificates_valid: int = 0

    @property
    def passed(self) -> bool:
        return not self.failures


def components(table: LinearTable, suppressed: np.ndarray):
    """Component label per suppressed cell, and the relations that touch suppressed cells.

    Suppressed cells are joined when they share a relation: connected components of the
    graph of cells and relations (scipy, in C). Each component is named by its smallest
    cell, so the order of components does not depend on the graph library."""
    rel = table.relation_of_entry()
    on = suppressed[table.rel_cell]
    touched = np.unique(rel[on])
    n = table.n_cells
    size = n + table.n_relations
    # Edges from each suppressed cell to its relations, laid out directly as CSR rows by cell
    # (the cells' entries are already sorted once per table): pruning calls this thousands of
    # times on small tables, where building and validating a COO graph cost more than the search.
    ptr, order = table.entries_by_cell()
    mine = order[suppressed[table.rel_cell[order]]]
    indptr = np.zeros(size + 1, dtype=np.int64)
    indptr[1:n + 1] = np.cumsum(np.bincount(table.rel_cell[mine], minlength=n))
    indptr[n + 1:] = indptr[n]
    graph = csr_matrix((np.ones(len(mine)), (n + rel[mine]).astype(np.int64), indptr), shape=(size, size))
    _, label = connected_components(graph, directed=True, connection="weak")
    sup_cells = np.flatnonzero(suppressed)
    smallest = np.full(label.max(initial=0) + 1, np.iinfo(np.int64).max)
    np.minimum.at(smallest, label[sup_cells], sup_cells)
    return sup_cells, smallest[label[sup_cells]], touched, smallest[label[n + touched]]


def by_component(table: LinearTable, suppressed: np.ndarray):
    """Each component's suppressed cells and the relations that touch them, one sort for all
    (not a scan of every cell per component)."""
    sup_cells, labels, touched, rel_label = components(table, suppressed)
    order = np.argsort(labels, kind="stable")
    sup_cells, labels = sup_cells[order], labels[order]
    r_order = np.argsort(rel_label, kind="stable")
    touched, rel_label = touched[r_order], rel_label[r_order]
    uniq, starts = np.unique(labels, return_index=True)
    ends = np.append(starts[1:], len(labels))
    r_uniq, r_starts = np.unique(rel_label, return_index=True)
    r_ends = np.append(r_starts[1:], len(rel_label))
    r_index = {lab: (s, e) for lab, s, e in zip(r_uniq, r_starts, r_ends)}
    for lab, s, e in zip(uniq, starts, ends):
        rs, re_ = r_index.get(lab, (0, 0))
        yield sup_cells[s:e], touched[rs:re_]


def audit(table: LinearTable, suppressed: np.ndarray, primary: np.ndarray, lpl: np.ndarray, upl: np.ndarray,
          cache: dict | None = None, log=None, workers: int | None = None, exact: bool = True,
          witness: tuple[np.ndarray, np.ndarray] | None = None, certificates: list[Certificate] | None = None,
          settle: bool = True, verdict_only: bool = False) -> AuditResult:
    """cache (optional): component pattern → intervals, so that a repair loop re-solves only
    the components whose suppression pattern changed since the last round.

    witness (optional): per cell, a low and a high value it takes in tables a reader cannot
    rule out — the optima of earlier audits of the same table with fewer cells suppressed.
    Suppressing more only frees cells, so those tables stay feasible: a level they already
    reach needs no LP, and a subproblem whose primaries all reach theirs is not solved.

    certificates (optional): tables claimed to be ones a reader cannot rule out (certificates.py).
    Each is checked here against every relation, the bounds and this suppression; the valid
    ones serve as witnesses, the rest are ignored. Nobody's claim is taken on trust.

    exact=False (for the repair loop only): huge components are judged piece by piece, which
    may call a safe cell unsafe but never the reverse. The published verdict is always exact.

    settle=False (for the repair loop only): in a huge component, a cell that its piece and its
    neighbourhood leave short is called exposed without any LP over the whole component (each
    takes seconds there). That too may call a safe cell unsafe, never the reverse, and a pass
    is still exact: every protected cell then reaches its levels in a table found.

    verdict_only=True (for pruning's trials): a component stops at the first protected cell
    an LP of its own proves short. The verdict, pass or fail, is the same; the failures listed
    and the intervals of the cells it did not judge are then partial."""
    t0 = time.perf_counter()
    suppressed = suppressed.astype(bool) | primary.astype(bool)
    n_certs = 0
    if certificates is not None:
        reasons: dict = {}
        valid = certs.check(table, suppressed, certificates, reasons)
        reached = certs.reach(table, certificates, valid)
        witness = reached if witness is None else (np.fmin(witness[0], reached[0]), np.fmax(witness[1], reached[1]))
        n_certs, n_valid = len(certificates), int(valid.sum())
        if log is not None:
            why = ", ".join(f"{n} {r}" for r, n in reasons.items() if n)
            log(f"audit: {n_valid:,} of {n_certs:,} certificates checked valid{f' (refused: {why})' if why else ''} ({time.perf_counter() - t0:.1f} s)")
    value = table.value
    lo = np.full(table.n_cells, np.nan)
    hi = np.full(table.n_cells, np.nan)
    groups = list(by_component(table, suppressed))
    result = AuditResult(lo, hi, [], components=len(groups), largest_component=max((len(g[0]) for g in groups), default=0))
    if n_certs:
        result.certificates_checked, result.certificates_valid = n_certs, n_valid
    jobs = []  # (cache key, free cells, their relations, their primaries, whole component?)
    piece_cells_all = []  # quick mode: the cells of components judged piece by piece
    for comp_cells, rels in groups:
        prim = comp_cells[primary[comp_cells]]
        if len(prim) == 0:
            continue
        if not exact and table.piece is not None and len(comp_cells) >= PIECE_MIN:
            # A quick verdict for the repair loop: each piece alone, the rest of the component
            # fixed at its true values. Safe in its piece ⇒ safe; a cell short there may in fact
            # be safe, and is repaired anyway. The final (exact) audit never takes this path.
            labels_c = table.piece[comp_cells]
            piece_cells_all.append(comp_cells)
            for piece in np.unique(labels_c):
                piece_cells = comp_cells[labels_c == piece]
                piece_prim = piece_cells[primary[piece_cells]]
                if len(piece_prim):
                    jobs.append((piece_cells.tobytes(), piece_cells, _relations_of(table, piece_cells), piece_prim, False, True, ()))
            continue
        unsettled = not settle and len(comp_cells) >= PIECE_MIN
        jobs.append((comp_cells.tobytes() + (b"|unsettled" if unsettled else b""), comp_cells, rels, prim, True, not unsettled,
                     _pieces_solved(table, comp_cells, primary, cache)))
    todo = []
    need_lo_all, need_hi_all = np.maximum(table.lower, value - lpl), value + upl  # a count cannot go below 0; a table with negative values below its own a-priori bound
    for job in jobs:
        prim = job[3]
        if cache is not None and job[0] in cache:
            result.lo[prim], result.hi[prim] = cache[job[0]]
            result.lps_skipped += 2 * len(prim)
        elif witness is not None and np.all(witness[0][prim] <= need_lo_all[prim] + TOL) and np.all(witness[1][prim] >= need_hi_all[prim] - TOL):
            result.lo[prim], result.hi[prim] = witness[0][prim], witness[1][prim]
            result.lps_skipped += 2 * len(prim)
        else:
            todo.append((*job, None if witness is None else (witness[0][prim], witness[1][prim])))
    if log is not None:
        big = max(todo, key=lambda j: len(j[1]), default=(None, [], [], [], True, True, ()))
        log(f"audit: {len(todo):,} of {len(jobs):,} subproblems to solve over {len(groups):,} components "
            f"({sum(len(j[3]) for j in todo):,} protected cells); largest {len(big[1]):,} cells with {len(big[3]):,} protected")
    for done in _run_jobs(table, suppressed, lpl, upl, _bundled(todo), workers, verdict_only):
        for key, prim, lo_c, hi_c, solved, skipped, found in done:
            result.lo[prim], result.hi[prim] = lo_c, hi_c
            result.lps_solved += solved
            result.lps_skipped += skipped
            result.certificates += found
            if cache is not None and not verdict_only:  # partial intervals are no answer to keep
                cache[key] = (lo_c, hi_c)

    cut = _cut_cells(table, suppressed, piece_cells_all) if piece_cells_all else None
    prim_cells = np.flatnonzero(primary)
    margin = np.fmin(need_lo_all[prim_cells] - lo[prim_cells], hi[prim_cells] - need_hi_all[prim_cells])
    if len(prim_cells) and not np.isnan(margin).all():
        result.smallest_margin = min(result.smallest_margin, float(np.nanmin(margin)))
    # A protected cell without an interval was not judged: that is a failure too, never a pass.
    short = prim_cells[np.isnan(margin) | (margin < -TOL * (1 + value[prim_cells]))]
    deferred = cut[short] if cut is not None else np.zeros(len(short), dtype=bool)
    result.deferred = short[deferred].tolist()
    result.failures = short[~deferred].tolist()
    result.seconds = time.perf_counter() - t0
    return result


def _cut_cells(table, suppressed, parts) -> np.ndarray:
    """Cells of the pieced components that share a relation with a suppressed cell of another piece."""
    in_pieced = np.zeros(table.n_cells, dtype=bool)
    in_pieced[np.concatenate(parts)] = True
    rel = table.relation_of_entry()
    cells = table.rel_cell
    on = in_pieced[cells] & suppressed[cells]
    r, c = rel[on], cells[on]
    piece = table.piece[c]
    # A relation is cut when its suppressed cells come from more than one piece.
    lo = np.full(table.n_relations, np.iinfo(np.int64).max)
    hi = np.full(table.n_relations, -1)
    np.minimum.at(lo, r, piece)
    np.maximum.at(hi, r, piece)
    cut_rel = hi > lo
    out = np.zeros(table.n_cells, dtype=bool)
    out[c[cut_rel[r]]] = True
    return out


def _run_jobs(table, suppressed, lpl, upl, jobs, workers, verdict_only=False):
    """Solve subproblems, in two processes when there is enough work (they are independent)."""
    few = sum(len(j[3]) for j in jobs) < 2000
    return fork_map(_solve_job, (table, lpl, upl, verdict_only), jobs, 1 if few else default_workers(workers), size=lambda j: len(j[1]), batch=64)


BUNDLE_CELLS = 300  # small components are solved together in LPs of about this many free cells


def _bundled(jobs: list) -> list:
    """Small whole components gathered into bundles: one LP over several components is as
    exact as one LP each, because they share no cell and no relation, so an optimum of a sum
    of objectives, one per component, is each component's own optimum. HiGHS then pays its
    fixed cost per solve once per bundle instead of once per component (3× faster on the
    demo's thousands of small components). A job becomes (keys, cells, relations, primaries,
    True, True, (), start, component of each primary, component of each cell)."""
    out, bundle = [], []

    def close() -> None:
        if len(bundle) == 1:
            out.append(bundle[0])
        elif bundle:
            starts = [j[7] for j in bundle]
            start = None if any(x is None for x in starts) else tuple(np.concatenate([x[i] for x in starts]) for i in (0, 1))
            blocks = np.repeat(np.arange(len(bundle)), [len(j[3]) for j in bundle])
            cell_blocks = np.repeat(np.arange(len(bundle)), [len(j[1]) for j in bundle])
            out.append(([j[0] for j in bundle], np.concatenate([j[1] for j in bundle]), np.concatenate([j[2] for j in bundle]),
                        np.concatenate([j[3] for j in bundle]), True, True, (), start, blocks, cell_blocks))
        bundle.clear()

    size = 0
    for job in jobs:
        key, cells, rels, prim, whole, settle = job[:6]
        if not (whole and settle and len(rels) > 1 and len(cells) < BUNDLE_CELLS):
            out.append(job)
            continue
        if size + len(cells) > BUNDLE_CELLS:
            close()
            size = 0
        bundle.append(job)
        size += len(cells)
    close()
    return out


def _solve_job(context, job) -> list:
    """Results per component: (key, primaries, lo, hi, LPs solved, LPs skipped, certificates)."""
    table, lpl, upl, verdict_only = context
    key, free_cells, rels, prim, whole, settle, solved_pieces, start = job[:8]
    blocks, cell_blocks = job[8:10] if len(job) > 8 else (None, None)
    counter = AuditResult(None, None, [])
    lo_c, hi_c = _solve_component(table, free_cells, rels, prim, lpl, upl, counter, whole, start, settle, solved_pieces,
                                  blocks, cell_blocks, verdict_only)
    if blocks is None:
        return [(key, prim, lo_c, hi_c, counter.lps_solved, counter.lps_skipped, counter.certificates)]
    cuts = np.flatnonzero(np.diff(blocks)) + 1
    parts = zip(key, np.split(prim, cuts), np.split(lo_c, cuts), np.split(hi_c, cuts))
    return [(k, p, lo, hi, counter.lps_solved if i == 0 else 0, counter.lps_skipped if i == 0 else 0,
             counter.certificates if i == 0 else []) for i, (k, p, lo, hi) in enumerate(parts)]


def _pieces_solved(table, comp_cells: np.ndarray, primary: np.ndarray, cache: dict | None) -> tuple:
    """Pieces of a huge component that a quick audit of this very pattern already solved exactly
    (their results are in `cache`, and in the witness this audit starts from): solving them again
    inside the component's job would only repeat the same LPs."""
    if cache is None or table.piece is None or len(comp_cells) < PIECE_MIN:
        return ()
    labels = table.piece[comp_cells]
    solved = []
    for lab in np.unique(labels):
        piece_cells = comp_cells[labels == lab]
        if primary[piece_cells].any() and piece_cells.tobytes() in cache:
            solved.append(int(lab))
    return tuple(solved)


def _relations_of(table, cells: np.ndarray) -> np.ndarray:
    """Every relation that mentions one of `cells`."""
    ptr, order = table.entries_by_cell()
    return np.unique(table.relation_of_entry()[csr_gather(ptr, order, cells)])


PIECE_MIN = 2000  # components at least this large are first checked piece by piece
NEIGHBOURHOOD_MAX_HOPS = 8  # …then around what is still short, within up to this many shared relations
NEIGHBOURHOOD_SHARE = 0.25  # …while that neighbourhood holds at most this share of the component
PRESOLVE_MIN = 20_000  # HiGHS presolve only for LPs at least this large


def _solve_component(table, comp_cells, rels, prim, lpl, upl, counter: AuditResult, whole: bool = True, start=None,
                     settle: bool = True, solved_pieces=(), blocks=None, cell_blocks=None, verdict_only: bool = False):
    """(lo, hi) of every primary in `prim`, over the cells `comp_cells` (a component, or with
    whole=False a piece of one, the rest held at true values). `start`: (lo, hi) of the
    primaries already witnessed by feasible tables (see `audit`). settle=False: no LP of a
    single cell over the whole component (see `audit`). `blocks`: for a bundle of components
    (see `_bundled`), the component of each primary, and `cell_blocks` of each cell.

    A huge whole component (a year's national cells can chain every province together)
    is first solved piece by piece, each piece's LP holding the component's other cells
    fixed at their true values. That only shrinks the feasible set, and the true table
    stays in it, so a level met in a piece is met in the component, and every piece
    optimum is a feasible table of the whole. Only primaries still short afterwards get
    LPs over the whole component, so the verdict is always the whole component's.
    """
    value = table.value
    if len(rels) == 0:  # nothing links these cells: only the a-priori bounds hold
        return table.lower[prim].astype(float), table.upper[prim].astype(float)
    need_lo = np.maximum(table.lower[prim], value[prim] - lpl[prim])
    need_hi = value[prim] + upl[prim]
    if len(rels) == 1 and whole:
        return _one_relation(table, comp_cells, rels[0], prim, need_lo, need_hi, counter.certificates)
    index = {int(c): i for i, c in enumerate(comp_cells)}
    seen_lo = np.full(len(comp_cells), np.inf)
    seen_hi = np.full(len(comp_cells), -np.inf)
    prim_pos = np.array([index[int(p)] for p in prim], dtype=np.int64)
    if start is not None:
        seen_lo[prim_pos], seen_hi[prim_pos] = start

    def short() -> np.ndarray:
        return (seen_hi[prim_pos] < need_hi - TOL) | (seen_lo[prim_pos] > need_lo + TOL)

    def bound_within(part: np.ndarray, own_lps: bool = True) -> None:
        """LP over the cells of `part` (a mask over the component), the others at true values."""
        mine = part[prim_pos] & short()
        if not mine.any():
            return
        part_cells = comp_cells[part]
        lp = _ComponentLP(table, part_cells, _relations_of(table, part_cells), counter)
        rows = np.flatnonzero(part)
        lo_p, hi_p = seen_lo[rows], seen_hi[rows]
        lp.bound(lp.columns_of(prim[mine]), need_lo[mine], need_hi[mine], lo_p, hi_p, settle=own_lps)
        seen_lo[rows], seen_hi[rows] = lo_p, hi_p

    if whole and table.piece is not None and len(comp_cells) >= PIECE_MIN:
        labels = table.piece[comp_cells]
        for lab in np.unique(labels):
            if lab not in solved_pieces:
                bound_within(labels == lab)
        # What its piece leaves short is mostly pinned by a cell of another piece (a province
        # beside its siblings under a national total). The short cells' close neighbourhood,
        # growing a hop at a time, the rest at true values, reaches most of them in an LP a
        # tenth of the component's size (demo: 423 short, 38 left after three hops, in 3 s
        # where the whole component's pushes took 46 s to leave 34). It grows while it stays
        # well below the whole: a few cells left short can look further out at little cost.
        inside = np.zeros(table.n_cells, dtype=bool)
        inside[comp_cells] = True
        for hops in range(1, NEIGHBOURHOOD_MAX_HOPS + 1):
            pending = short()
            if not pending.any():
                break
            region, _ = neighbourhood(table, inside, prim[pending], hops)
            if hops > 1 and len(region) > NEIGHBOURHOOD_SHARE * len(comp_cells):
                break
            bound_within(np.isin(comp_cells, region), own_lps=False)
        if not settle:  # what is still short is called short (see `audit`)
            return seen_lo[prim_pos], seen_hi[prim_pos]
    pending = short()
    if pending.any():
        lp = _ComponentLP(table, comp_cells, rels, counter)
        lp.blocks = cell_blocks
        lp.bound(prim_pos[pending], need_lo[pending], need_hi[pending], seen_lo, seen_hi, settle,
                 None if blocks is None else blocks[pending], verdict_only)
    return seen_lo[prim_pos], seen_hi[prim_pos]


def _one_relation(table, comp_cells, r, prim, need_lo, need_hi, found: list):
    """A single equation Σ a·y = b over box-bounded unknowns needs no LP: each unknown's
    range is what the others' extremes leave, clipped to its own box (exact). The tables
    that reach a primary's levels are added to `found` as certificates."""
    ptr, cells, coefs = table.rel_ptr, table.rel_cell, table.rel_coef
    m, a = cells[ptr[r]:ptr[r + 1]], coefs[ptr[r]:ptr[r + 1]]
    free = np.isin(m, comp_cells)
    b = -float(np.dot(a[~free], table.value[m[~free]]))
    m, a = m[free], a[free]
    lo_t, hi_t = a * table.lower[m], a * table.upper[m]
    term_min, term_max = np.minimum(lo_t, hi_t), np.maximum(lo_t, hi_t)
    rest_min, rest_max = term_min.sum() - term_min, term_max.sum() - term_max
    x1, x2 = (b - rest_max) / a, (b - rest_min) / a
    lo_all = np.maximum(np.minimum(x1, x2), table.lower[m])
    hi_all = np.minimum(np.maximum(x1, x2), table.upper[m])
    where = {int(c): i for i, c in enumerate(m)}
    idx = np.array([where[int(p)] for p in prim])
    for j, y_j in [*zip(idx[hi_all[idx] >= need_hi - TOL], hi_all[idx][hi_all[idx] >= need_hi - TOL]),
                   *zip(idx[lo_all[idx] <= need_lo + TOL], lo_all[idx][lo_all[idx] <= need_lo + TOL])]:
        found.append(_one_relation_table(table, m, a, term_min, term_max, b, j, y_j))
    return lo_all[idx], hi_all[idx]


def _one_relation_table(table, m, a, term_min, term_max, b, j, y_j) -> Certificate:
    """A table in which cell j of the equation takes y_j (within its closed-form range): the
    other cells start at their smallest terms and fill up in turn until the equation holds."""
    others = np.arange(len(m)) != j
    gaps = (term_max - term_min)[others]
    extra = (b - a[j] * y_j) - term_min[others].sum()
    fill = np.clip(extra - (np.cumsum(gaps) - gaps), 0.0, gaps)
    y = np.empty(len(m))
    y[j] = y_j
    y[others] = (term_min[others] + fill) / a[others]
    return Certificate.from_solution(table, m, y)


class _ComponentLP:
    """min/max of cells subject to `rels`, with `free_cells` unknown and every other cell at its value."""

    def __init__(self, table, free_cells, rels, counter: AuditResult):
        free_cells = np.asarray(free_cells, dtype=np.int64)
        self.counter = counter
        self.table, self.free_cells = table, free_cells
        self.need = None  # (cols, need_lo, need_hi) while `bound` runs: which optima are certificates
        self.blocks = None  # in a bundle of components: the component of each column
        self._sorted = np.argsort(free_cells, kind="stable")
        rels = np.asarray(rels, dtype=np.int64)
        entries = csr_entries(table.rel_ptr, rels)
        row = np.repeat(np.arange(len(rels)), table.rel_ptr[rels + 1] - table.rel_ptr[rels])
        cells, coefs = table.rel_cell[entries], table.rel_coef[entries]
        col = self._find(cells)
        free = col >= 0
        # Cells outside the LP sit at their true values: they move to the right-hand side.
        rhs = -np.bincount(row[~free], weights=coefs[~free] * table.value[cells[~free]], minlength=len(rels))
        starts = np.concatenate([[0], np.cumsum(np.bincount(row[free], minlength=len(rels)))[:-1]])
        idx, vals = col[free], coefs[free]
        h = self.h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        if len(free_cells) < PRESOLVE_MIN:  # on small LPs presolve costs more than it saves (2000 jobs: 23 s → 13 s)
            h.setOptionValue("presolve", "off")
        self.col_lower = table.lower[free_cells].astype(float)
        self.col_upper = table.upper[free_cells].astype(float)
        h.addVars(len(free_cells), self.col_lower, self.col_upper)
        h.addRows(len(rels), rhs, rhs, len(idx), starts.astype(np.int32), idx.astype(np.int32), vals.astype(float))
        self.n = len(free_cells)

    def _find(self, cells: np.ndarray) -> np.ndarray:
        """The LP column of each cell, −1 for cells that are not free in this LP."""
        ordered = self.free_cells[self._sorted]
        if not len(ordered):
            return np.full(len(cells), -1)
        at = np.searchsorted(ordered, cells).clip(0, len(ordered) - 1)
        return np.where(ordered[at] == cells, self._sorted[at], -1)

    def columns_of(self, cells: np.ndarray) -> np.ndarray:
        """The LP columns of cells that are free in this LP."""
        return self._find(np.asarray(cells, dtype=np.int64))

    def _solve(self, sense, cols, weights, seen_lo, seen_hi, need_lo=None, need_hi=None) -> None:
        """One optimum of Σ weights·y over `cols`. With the levels given, each pushed cell is
        capped at its level for this solve (a cell pushed up may not pass need_hi, one pushed
        down may not pass need_lo): the optimum then spreads its push over the cells still
        short instead of driving a few far past their levels, so one solve settles many. The
        caps only shrink the feasible set, and the true table stays inside it (v < v + UPL),
        so every optimum is still a table a reader cannot rule out; a cell that stops short of
        its cap has met its true extreme."""
        h = self.h
        capped = None
        if need_hi is not None:
            w = np.asarray(weights) if sense == highspy.ObjSense.kMaximize else -np.asarray(weights)
            capped = np.asarray(cols, dtype=np.int32)
            lower, upper = self.col_lower[capped].copy(), self.col_upper[capped].copy()
            upper[w > 0] = np.minimum(upper[w > 0], need_hi[w > 0])
            lower[w < 0] = np.maximum(lower[w < 0], need_lo[w < 0])
            h.changeColsBounds(len(capped), capped, lower, upper)
        h.changeColsCost(len(cols), cols, weights)
        h.changeObjectiveSense(sense)
        h.run()
        self.counter.lps_solved += 1
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"audit LP: {h.modelStatusToString(status)}")
        sol = np.asarray(h.getSolution().col_value)
        h.changeColsCost(len(cols), cols, np.zeros(len(cols)))  # (this resets the model status)
        if capped is not None:
            h.changeColsBounds(len(capped), capped, self.col_lower[capped], self.col_upper[capped])
        if self.need is not None:  # keep the optimum if it is the first to reach some cell's level
            c, n_lo, n_hi = self.need
            first = ((sol[c] >= n_hi - TOL) & (seen_hi[c] < n_hi - TOL)) | ((sol[c] <= n_lo + TOL) & (seen_lo[c] > n_lo + TOL))
            if first.any():
                self.counter.certificates += self._certificates(sol, c[first])
        np.minimum(seen_lo, sol, out=seen_lo)
        np.maximum(seen_hi, sol, out=seen_hi)

    def _certificates(self, sol: np.ndarray, reached: np.ndarray) -> list:
        """The optimum as a certificate; in a bundle, one per component whose cells in `reached`
        it first takes to their levels (components share no relation, so each one's part of
        the optimum, the rest at true values, is a table of its own). Kept apart, a pruned
        cell in one component does not void the others' proofs."""
        if self.blocks is None:
            return [Certificate.from_solution(self.table, self.free_cells, sol)]
        return [Certificate.from_solution(self.table, self.free_cells[part], sol[part])
                for part in (self.blocks == b for b in np.unique(self.blocks[reached]))]

    def _mixed_pushes(self, cols, need_lo, need_hi, checks, seen_lo, seen_hi, rounds: int = 24) -> None:
        """Cells sharing a published total cannot all rise at once (their sum is fixed), so a
        same-sign push stalls on them. Push a random half of the short cells up and the other
        half down in one LP, with fresh signs each time, while that keeps making progress."""
        rng = np.random.default_rng(len(cols))
        hi_short, lo_short = checks[0][1], checks[1][1]
        stale = 0
        for _ in range(rounds):
            up, down = hi_short(), lo_short()
            if up.sum() + down.sum() < 4:
                return
            before = up.sum() + down.sum()
            coin = rng.random(len(cols)) < 0.5
            weights = np.where(up & (coin | ~down), 1.0, np.where(down, -1.0, 0.0))
            self._solve(highspy.ObjSense.kMaximize, cols, weights, seen_lo, seen_hi, need_lo, need_hi)
            after = hi_short().sum() + lo_short().sum()
            stale = stale + 1 if after > before * 0.98 else 0
            if stale >= 3:
                return

    def bound(self, cols, need_lo, need_hi, seen_lo, seen_hi, settle: bool = True, blocks=None, verdict_only: bool = False) -> None:
        """Widen seen_lo/seen_hi (indexed like this LP's columns) until each cell in `cols`
        meets its levels or has its true extreme. Every optimum is a feasible table: push all
        cells still short up at once (then down), re-weighting to those still short while
        that makes progress; only the rest (usually the true failures) get LPs of their own,
        and with settle=False not even they: they stay short. `blocks`: the component of each
        cell in `cols` when the LP holds several; a cell's own LP then runs together with one
        short cell of every other component (the optimum of the sum is each one's own)."""
        cols = np.asarray(cols, dtype=np.int32)
        self.need = (cols, need_lo, need_hi)
        checks = ((highspy.ObjSense.kMaximize, lambda i=slice(None): seen_hi[cols[i]] < need_hi[i] - TOL),
                  (highspy.ObjSense.kMinimize, lambda i=slice(None): seen_lo[cols[i]] > need_lo[i] + TOL))
        if len(cols) > 1:
            for sense, short in checks:
                pending = short()
                while pending.sum() > 1:
                    self._solve(sense, cols, pending.astype(float), seen_lo, seen_hi, need_lo, need_hi)
                    still = short()
                    if still.sum() >= pending.sum():
                        break
                    pending = still
            self._mixed_pushes(cols, need_lo, need_hi, checks, seen_lo, seen_hi)
        if not settle:
            return
        blocks = np.zeros(len(cols), dtype=np.int64) if blocks is None else np.asarray(blocks)
        for sense, short in checks:
            todo = np.ones(len(cols), dtype=bool)
            while todo.any():
                # In order, as one LP per cell would go: a cell already reached is skipped.
                waiting = np.flatnonzero(todo)
                reached = waiting[~short(waiting)]
                todo[reached] = False
                self.counter.lps_skipped += len(reached)
                waiting = np.flatnonzero(todo)
                if not len(waiting):
                    break
                _, first = np.unique(blocks[waiting], return_index=True)  # the next short cell of each component
                i = waiting[first]
                todo[i] = False
                self._solve(sense, cols[i], np.ones(len(i)), seen_lo, seen_hi, need_lo[i], need_hi[i])
                if verdict_only and short(i).any():  # proven short: the verdict is known
                    return
