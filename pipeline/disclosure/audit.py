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
skipped.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from pipeline.disclosure.table import LinearTable

TOL = 1e-6


@dataclass
class AuditResult:
    lo: np.ndarray  # derived minimum per cell (NaN where not audited)
    hi: np.ndarray
    failures: list[int]  # primary cells whose interval is too narrow
    components: int = 0
    largest_component: int = 0
    lps_solved: int = 0
    lps_skipped: int = 0
    seconds: float = 0.0
    smallest_margin: float = float("inf")  # min over primaries of the slack beyond the required levels
    detail: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.failures


class DisjointSets:
    def __init__(self, n: int):
        self.parent = np.arange(n)

    def find(self, x: int) -> int:
        p = self.parent
        root = x
        while p[root] != root:
            root = p[root]
        while p[x] != root:
            p[x], x = root, p[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def components(table: LinearTable, suppressed: np.ndarray):
    """Component label per suppressed cell, and the relations that touch suppressed cells."""
    rel = table.relation_of_entry()
    sup_entry = suppressed[table.rel_cell]
    touched = np.unique(rel[sup_entry])
    ds = DisjointSets(table.n_cells)
    ptr, cells = table.rel_ptr, table.rel_cell
    for r in touched:
        members = cells[ptr[r]:ptr[r + 1]]
        members = members[suppressed[members]]
        first = members[0]
        for c in members[1:]:
            ds.union(first, c)
    sup_cells = np.flatnonzero(suppressed)
    labels = np.array([ds.find(c) for c in sup_cells], dtype=np.int64)
    rel_label = np.array([ds.find(cells[ptr[r]:ptr[r + 1]][suppressed[cells[ptr[r]:ptr[r + 1]]]][0]) for r in touched], dtype=np.int64)
    return sup_cells, labels, touched, rel_label


def audit(table: LinearTable, suppressed: np.ndarray, primary: np.ndarray, lpl: np.ndarray, upl: np.ndarray,
          cache: dict | None = None, log=None, workers: int | None = None) -> AuditResult:
    """cache (optional): component pattern → intervals, so that a repair loop re-solves only
    the components whose suppression pattern changed since the last round."""
    t0 = time.perf_counter()
    suppressed = suppressed.astype(bool) | primary.astype(bool)
    value = table.value
    lo = np.full(table.n_cells, np.nan)
    hi = np.full(table.n_cells, np.nan)
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

    result = AuditResult(lo, hi, [], components=len(uniq), largest_component=int((ends - starts).max(initial=0)))
    jobs = []  # (cache key, component cells, its relations, its primaries)
    for lab, s, e in zip(uniq, starts, ends):
        comp_cells = sup_cells[s:e]
        prim = comp_cells[primary[comp_cells]]
        if len(prim) == 0:
            continue
        key = comp_cells.tobytes() if cache is not None else None
        if key is not None and key in cache:
            result.lo[prim], result.hi[prim] = cache[key]
            result.lps_skipped += 2 * len(prim)
            continue
        rs, re_ = r_index.get(lab, (0, 0))
        jobs.append((key, comp_cells, touched[rs:re_], prim))
    if log is not None:
        big = max(jobs, key=lambda j: len(j[1]), default=(None, [], [], []))
        log(f"audit: {len(jobs):,} of {len(uniq):,} components to solve ({sum(len(j[3]) for j in jobs):,} protected cells); "
            f"largest {len(big[1]):,} cells with {len(big[3]):,} protected")
    for key, prim, lo_c, hi_c, solved, skipped in _run_jobs(table, suppressed, lpl, upl, jobs, workers):
        result.lo[prim], result.hi[prim] = lo_c, hi_c
        result.lps_solved += solved
        result.lps_skipped += skipped
        if key is not None:
            cache[key] = (lo_c, hi_c)

    for p in np.flatnonzero(primary):
        need_lo = max(0.0, value[p] - lpl[p])
        need_hi = value[p] + upl[p]
        margin = min(need_lo - lo[p], hi[p] - need_hi)
        result.smallest_margin = min(result.smallest_margin, margin)
        if margin < -TOL * (1 + value[p]):
            result.failures.append(int(p))
    result.seconds = time.perf_counter() - t0
    return result


_SHARED: tuple = ()  # what forked workers read (copy-on-write, never pickled)


def _run_jobs(table, suppressed, lpl, upl, jobs, workers):
    """Solve components, in two processes when there is enough work (they are independent)."""
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    n_prim = sum(len(j[3]) for j in jobs)
    if workers <= 1 or n_prim < 2000 or "fork" not in mp.get_all_start_methods():
        yield from (_solve_job(table, suppressed, lpl, upl, job) for job in jobs)
        return
    global _SHARED
    _SHARED = (table, suppressed, lpl, upl, jobs)
    order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][1]))  # big ones first, spread evenly
    chunks = [order[w::workers] for w in range(workers)]
    with mp.get_context("fork").Pool(workers) as pool:
        for part in pool.imap_unordered(_solve_chunk, chunks):
            yield from part
    _SHARED = ()


def _solve_chunk(indices):
    table, suppressed, lpl, upl, jobs = _SHARED
    return [_solve_job(table, suppressed, lpl, upl, jobs[i]) for i in indices]


def _solve_job(table, suppressed, lpl, upl, job):
    key, comp_cells, rels, prim = job
    sub = AuditResult(np.full(table.n_cells, np.nan), np.full(table.n_cells, np.nan), [])
    _solve_component(table, suppressed, comp_cells, rels, prim, lpl, upl, sub)
    return key, prim, sub.lo[prim].copy(), sub.hi[prim].copy(), sub.lps_solved, sub.lps_skipped


def _solve_component(table, suppressed, comp_cells, rels, prim, lpl, upl, result: AuditResult) -> None:
    value, ptr, cells, coefs = table.value, table.rel_ptr, table.rel_cell, table.rel_coef
    pos = {int(c): i for i, c in enumerate(comp_cells)}
    n = len(comp_cells)
    if len(rels) == 0:  # nothing links these cells: only the a-priori bounds hold
        for p in prim:
            result.lo[p], result.hi[p] = table.lower[p], table.upper[p]
        return
    starts, idx, vals, rhs = [0], [], [], []
    for r in rels:
        m = cells[ptr[r]:ptr[r + 1]]
        k = coefs[ptr[r]:ptr[r + 1]]
        sup = suppressed[m]
        idx += [pos[int(c)] for c in m[sup]]
        vals += k[sup].tolist()
        rhs.append(-float(np.dot(k[~sup], value[m[~sup]])))
        starts.append(len(idx))
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.addVars(n, table.lower[comp_cells].astype(float), table.upper[comp_cells].astype(float))
    rhs = np.array(rhs)
    h.addRows(len(rels), rhs, rhs, len(idx), np.array(starts[:-1], dtype=np.int32), np.array(idx, dtype=np.int32), np.array(vals, dtype=float))
    seen_lo = np.full(n, np.inf)
    seen_hi = np.full(n, -np.inf)

    def solve(sense) -> None:
        h.changeObjectiveSense(sense)
        h.run()
        result.lps_solved += 1
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"audit LP: {h.modelStatusToString(status)}")
        sol = np.asarray(h.getSolution().col_value)
        np.minimum(seen_lo, sol, out=seen_lo)
        np.maximum(seen_hi, sol, out=seen_hi)

    # Every optimum is a feasible table. Push all primaries still short of their upper level
    # up at once (then those short of the lower level down), re-weighting to the ones still
    # short while that makes progress: most levels are met in a handful of LPs, and only
    # the remaining cells — usually the true failures — get LPs of their own.
    cols = np.array([pos[int(p)] for p in prim], dtype=np.int32)
    need_lo_all = np.maximum(0.0, value[prim] - lpl[prim])
    need_hi_all = value[prim] + upl[prim]
    if len(prim) > 1:
        for sense, short in ((highspy.ObjSense.kMaximize, lambda: seen_hi[cols] < need_hi_all - TOL),
                             (highspy.ObjSense.kMinimize, lambda: seen_lo[cols] > need_lo_all + TOL)):
            pending = short()
            while pending.sum() > 1:
                h.changeColsCost(len(cols), cols, pending.astype(float))
                solve(sense)
                still = short()
                h.changeColsCost(len(cols), cols, np.zeros(len(cols)))
                if still.sum() >= pending.sum():
                    break
                pending = still
    for p in prim:
        j = pos[int(p)]
        need_lo = max(0.0, value[p] - lpl[p])
        need_hi = value[p] + upl[p]
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            done = seen_lo[j] <= need_lo + TOL if sense == highspy.ObjSense.kMinimize else seen_hi[j] >= need_hi - TOL
            if done:
                result.lps_skipped += 1
                continue
            h.changeColCost(j, 1.0)
            solve(sense)
            h.changeColCost(j, 0.0)
        result.lo[p] = seen_lo[j]
        result.hi[p] = seen_hi[j]
