"""Certificates: tables a reader cannot rule out, kept as proof that an interval is wide enough.

Every optimum of an audit LP is a whole table that satisfies every relation, keeps
every published cell at its value and stays within the a-priori bounds. If in
such a table a protected cell stands at v + UPL, no reader can prove it lies
lower: the table *is* the proof, and anyone can check it in one pass over the
relations, without solving anything.

So the protection hands the audit the tables its own LPs found, and the audit
checks each one against the table and the suppression it is judging (`check`).
It trusts none of them: a table that breaks a relation, leaves its bounds or
moves a published cell is dropped, and the cells it would have covered get
their LPs as before. A certificate can only spare work, never change a verdict.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from pipeline.disclosure.parallel import default_workers, fork_map


TOL = 1e-6  # the audit's one tolerance (audit.py imports it); relative to each relation's size for residuals
CHUNK = 4_000_000  # certificate entries checked at once (bounds the memory of `check`)


@dataclass(frozen=True)
class Certificate:
    """A table, as where it differs from the true one: cells[i] takes values[i]."""

    cells: np.ndarray  # int64
    values: np.ndarray  # float64

    @classmethod
    def from_solution(cls, table, free_cells: np.ndarray, solution: np.ndarray) -> Certificate:
        """An LP optimum may stray past a bound by the solver's tolerance, which after HiGHS's
        scaling can exceed ours on a small cell beside huge ones: it is put back on the bound
        (a change the relation tolerance absorbs; `check` still verifies everything)."""
        value = table.value
        solution = np.clip(solution, table.lower[free_cells], table.upper[free_cells])
        moved = np.abs(solution - value[free_cells]) > 1e-9 * (1.0 + np.abs(value[free_cells]))
        return cls(np.asarray(free_cells[moved], dtype=np.int64), np.asarray(solution[moved], dtype=float))


def check(table, suppressed: np.ndarray, certificates: list[Certificate], reasons: dict | None = None) -> np.ndarray:
    """Which certificates are tables a reader of this suppression pattern cannot rule out.
    `reasons` (optional) counts the refused ones by why: a published cell moved, a bound left,
    a relation broken."""
    ok = np.ones(len(certificates), dtype=bool)
    reasons = {} if reasons is None else reasons
    if not certificates:
        return ok
    value = table.value
    rel_size = np.add.reduceat(np.abs(table.rel_coef * value[table.rel_cell]), table.rel_ptr[:-1]) if table.n_relations else np.zeros(0)
    lengths = np.array([len(c.cells) for c in certificates])
    # Chunks of about CHUNK entries, at least two when there are many (checked in two processes).
    size = min(CHUNK, max(PARALLEL_MIN // 2, int(lengths.sum()) // 2 + 1))
    cuts = np.searchsorted(np.cumsum(lengths), np.arange(size, int(lengths.sum()), size), side="right")
    bounds = list(zip(np.concatenate([[0], cuts]), np.concatenate([cuts, [len(certificates)]])))
    bounds = [(int(a), int(b)) for a, b in bounds if b > a]
    _relations_by_cell(table)  # built once here, not in each process
    workers = default_workers(None) if lengths.sum() >= PARALLEL_MIN else 1
    for start, stop, part_ok, part_reasons in fork_map(_check_range, (table, suppressed, certificates, rel_size), bounds,
                                                       workers, size=lambda b: b[1] - b[0], batch=1):
        ok[start:stop] = part_ok
        for why, n in part_reasons.items():
            reasons[why] = reasons.get(why, 0) + n
    return ok


PARALLEL_MIN = 2_000_000  # entries from which the check runs in two processes


def _check_range(context, bounds):
    table, suppressed, certificates, rel_size = context
    start, stop = bounds
    reasons: dict = {}
    return start, stop, _check_chunk(table, suppressed, certificates[start:stop], rel_size, reasons), reasons


def _check_chunk(table, suppressed, certs, rel_size, reasons) -> np.ndarray:
    value, lower, upper = table.value, table.lower, table.upper
    ok = np.ones(len(certs), dtype=bool)
    lengths = np.array([len(c.cells) for c in certs])
    owner = np.repeat(np.arange(len(certs)), lengths)
    cells = np.concatenate([c.cells for c in certs]) if len(certs) else np.zeros(0, dtype=np.int64)
    values = np.concatenate([c.values for c in certs]) if len(certs) else np.zeros(0)
    slack = TOL * (1.0 + np.abs(value[cells]))
    # Only unknown cells may differ from the truth, and only within the reader's bounds.
    published = ~suppressed[cells]
    outside = (values < lower[cells] - slack) | (values > upper[cells] + slack)
    for why, bad in (("sel terbit bergeser", published), ("di luar batas", outside & ~published)):
        refused = np.unique(owner[bad])
        reasons[why] = reasons.get(why, 0) + int((ok[refused]).sum())
        ok[refused] = False
    # Every relation through a moved cell must still hold: Σ coef·(y − v) = 0 over its moved cells.
    # One sparse product gives every (certificate, relation) residual at once: rows are the
    # certificates' moves, columns the relations.
    by_cell = _relations_by_cell(table)
    shape = (len(certs), table.n_cells)
    moves = sp.csr_matrix((values - value[cells], (owner, cells)), shape=shape)
    sizes = sp.csr_matrix((np.abs(values), (owner, cells)), shape=shape)
    residual = moves @ by_cell
    size = sizes @ abs(by_cell)
    # |residual| beyond the tolerance of its relation's size (the moved terms and the true ones)
    excess = (abs(residual) - TOL * size).tocoo()
    broken = excess.data > TOL * (1.0 + rel_size[excess.col])
    refused = np.unique(excess.row[broken])
    reasons["relasi dilanggar"] = reasons.get("relasi dilanggar", 0) + int(ok[refused].sum())
    ok[refused] = False
    return ok


def _relations_by_cell(table) -> sp.csr_matrix:
    """cells × relations, the coefficients (kept: the relations of a table never change)."""
    cached = table.__dict__.get("_coef_by_cell")
    if cached is None:
        cached = table.__dict__["_coef_by_cell"] = sp.csr_matrix(
            (table.rel_coef, (table.rel_cell, table.relation_of_entry())), shape=(table.n_cells, table.n_relations))
    return cached


def reach(table, certificates: list[Certificate], valid: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per cell, the lowest and highest value among the valid certificates (all, without `valid`) and the truth."""
    lo, hi = table.value.astype(float), table.value.astype(float)
    valid = np.ones(len(certificates), dtype=bool) if valid is None else valid
    good = [c for c, ok in zip(certificates, valid) if ok and len(c.cells)]
    if good:
        cells = np.concatenate([c.cells for c in good])
        values = np.concatenate([c.values for c in good])
        np.minimum.at(lo, cells, values)
        np.maximum.at(hi, cells, values)
    return lo, hi


class Keeper:
    """Per protected cell, the first certificate that reaches each of its two levels.

    Certificates stay valid as suppression grows (more unknowns only free cells), so
    what every audit of the repair loop found is kept for the next one and for the
    build's final audit. Only those that reach a level are worth keeping."""

    def __init__(self, primary: np.ndarray, need_lo: np.ndarray, need_hi: np.ndarray):
        self.primary, self.need_lo, self.need_hi = primary.astype(bool), need_lo, need_hi
        self.lo_by = np.full(len(primary), -1, dtype=np.int64)
        self.hi_by = np.full(len(primary), -1, dtype=np.int64)
        self.kept: dict[int, Certificate] = {}
        self._next = 0

    def add(self, certificates: list[Certificate]) -> None:
        for c in certificates:
            mine = self.primary[c.cells]
            cells, values = c.cells[mine], c.values[mine]
            up = cells[(values >= self.need_hi[cells] - TOL) & (self.hi_by[cells] < 0)]
            down = cells[(values <= self.need_lo[cells] + TOL) & (self.lo_by[cells] < 0)]
            if len(up) or len(down):
                self.kept[self._next] = c
                self.hi_by[up] = self.lo_by[down] = self._next
                self._next += 1

    def forget_published(self, suppressed: np.ndarray) -> int:
        """Drop certificates that move a cell published again (pruning); returns how many."""
        gone = [i for i, c in self.kept.items() if not suppressed[c.cells].all()]
        for i in gone:
            del self.kept[i]
        if gone:
            dead = np.array(gone)
            self.lo_by[np.isin(self.lo_by, dead)] = -1
            self.hi_by[np.isin(self.hi_by, dead)] = -1
        return len(gone)

    def certificates(self) -> list[Certificate]:
        return list(self.kept.values())

    @property
    def entries(self) -> int:
        return sum(len(c.cells) for c in self.kept.values())
