"""A linear table: cells with values, and additivity relations Σ coef·cell = 0 between them.

This is the whole of what an attacker can combine: the audit and the
suppression work on this structure and nothing else, so any table (ours, or
one read from tau-ARGUS's JJ format) can be protected and checked the same way.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class LinearTable:
    value: np.ndarray  # true value of each cell (float)
    lower: np.ndarray  # the attacker's a-priori bounds (0 for counts)
    upper: np.ndarray  # …and upper bound: the parent's value, never infinity
    cost: np.ndarray  # information loss if the cell is suppressed
    rel_ptr: np.ndarray  # CSR: relation r covers entries rel_ptr[r]:rel_ptr[r+1]
    rel_cell: np.ndarray  # cell index of each entry
    rel_coef: np.ndarray  # coefficient of each entry (relation: Σ coef·value = 0)
    names: list[str] = field(default_factory=list)
    # Optional hint for the audit's speed only (never its verdict): a label per cell naming
    # its subtable (here year × province), so a huge component is first checked piece by piece.
    piece: np.ndarray | None = None

    @property
    def n_cells(self) -> int:
        return len(self.value)

    @property
    def n_relations(self) -> int:
        return len(self.rel_ptr) - 1

    def relation_of_entry(self) -> np.ndarray:
        """The relation of each entry (kept: the relations of a table never change)."""
        cached = self.__dict__.get("_rel_of_entry")
        if cached is None:
            cached = self.__dict__["_rel_of_entry"] = np.repeat(np.arange(self.n_relations), np.diff(self.rel_ptr))
        return cached

    def entries_by_cell(self) -> tuple[np.ndarray, np.ndarray]:
        """The relations transposed: cell c's entries are order[ptr[c]:ptr[c + 1]].
        Built once (an argsort over every entry) and kept: the relations never change."""
        cached = self.__dict__.get("_by_cell")
        if cached is None:
            order = np.argsort(self.rel_cell, kind="stable")
            ptr = np.concatenate([[0], np.cumsum(np.bincount(self.rel_cell, minlength=self.n_cells))]).astype(np.int64)
            cached = self.__dict__["_by_cell"] = (ptr, order)
        return cached

    def check(self) -> None:
        """Every relation holds on the true values (else the model itself is wrong)."""
        if not self.n_relations:
            return
        terms = self.rel_coef * self.value[self.rel_cell]
        sums = np.add.reduceat(terms, self.rel_ptr[:-1])
        size = np.maximum.reduceat(np.abs(terms), self.rel_ptr[:-1])  # each relation against its own terms, not the table's largest
        bad = np.flatnonzero(np.abs(sums) > 1e-6 * (1 + size))
        if len(bad):
            raise ValueError(f"{len(bad)} relasi tidak berlaku pada nilai sebenarnya, mis. relasi {bad[0]}")


def from_relations(value, relations: list[list[tuple[int, float]]], lower=None, upper=None, cost=None, names=None) -> LinearTable:
    """Convenience constructor for small hand-built tables (tests, JJ files)."""
    value = np.asarray(value, dtype=float)
    ptr = np.zeros(len(relations) + 1, dtype=np.int64)
    cells, coefs = [], []
    for r, rel in enumerate(relations):
        ptr[r + 1] = ptr[r] + len(rel)
        cells += [c for c, _ in rel]
        coefs += [k for _, k in rel]
    lower = np.zeros_like(value) if lower is None else np.asarray(lower, dtype=float)
    if upper is None:
        upper = attacker_upper(value)
    cost = 1.0 + value if cost is None else np.asarray(cost, dtype=float)  # large cells (totals) go last
    return LinearTable(value, lower, np.asarray(upper, dtype=float), cost, ptr, np.asarray(cells, dtype=np.int64), np.asarray(coefs, dtype=float), names or [])


def attacker_upper(value: np.ndarray, group: np.ndarray | None = None) -> np.ndarray:
    """A finite a-priori upper bound for every cell: twice the largest cell of its group (for
    the model: cells of the same quantity, whose largest is its national total), plus 10;
    without groups, twice the largest cell of all.

    The tight bound, a cell's published parent, comes from the relations themselves
    together with lower bounds of zero; this cap only keeps every LP bounded. It stays
    above v + UPL for every cell (2·max + 10 > 1.15·v + 5), so it never decides a verdict.
    Per group, not global: a bound of 10^13 (the largest expenditure sum) on a cell of
    about 100 costs HiGHS its precision there (residuals near 10^-3, so some of its optima
    failed the certificate check)."""
    if group is None:
        return np.full(len(value), 2.0 * float(np.max(value, initial=0.0)) + 10.0)
    largest = np.zeros(int(group.max(initial=-1)) + 1)
    np.maximum.at(largest, group, value)
    return 2.0 * largest[group] + 10.0


def protection_levels(value: np.ndarray, p: float, k: int, magnitude: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """LPL = UPL = max(⌈p·v⌉, ⌈k/2⌉) for counts; p·v for magnitudes (sums)."""
    count_level = np.maximum(np.ceil(p * value), np.ceil(k / 2))
    if magnitude is None:
        return count_level, count_level
    level = np.where(magnitude, p * value, count_level)
    return level, level


def exact_derivable(table: LinearTable, suppressed: np.ndarray) -> np.ndarray:
    """Suppressed cells a reader computes exactly by chaining relations: one with a single
    unknown gives it, which may leave another relation with a single unknown, and so on.
    A pattern must be judged without them: a derivable partner is as good as published, so
    a group it was meant to join may be small after all (issue 14, finding 2)."""
    rel, cells = table.relation_of_entry(), table.rel_cell
    unknown = suppressed.astype(bool).copy()
    while True:
        unk = unknown[cells]
        n_unk = np.bincount(rel[unk], minlength=table.n_relations)
        solved = cells[unk & (n_unk[rel] == 1)]
        if len(solved) == 0:
            return suppressed & ~unknown
        unknown[solved] = False


def csr_entries(ptr: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The entry positions ptr[r]:ptr[r + 1] of every r in `rows`, concatenated, without a Python loop."""
    rows = np.asarray(rows, dtype=np.int64)
    starts = ptr[rows]
    lengths = ptr[rows + 1] - starts
    # each entry's position = its row's start + its offset within the row
    return np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(int(lengths.sum()))


def csr_gather(ptr: np.ndarray, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """values[ptr[r]:ptr[r + 1]] for every r in `rows`, concatenated."""
    return values[csr_entries(ptr, rows)]


def neighbourhood(table: LinearTable, among: np.ndarray, cells: np.ndarray, hops: int = 2):
    """The cells of `among` (a mask: the suppressed ones) within `hops` shared relations of
    `cells`, and the relations touching them."""
    ptr, order = table.entries_by_cell()
    rel_of = table.relation_of_entry()
    region = np.asarray(cells, dtype=np.int64)
    for _ in range(hops):
        rels = np.unique(rel_of[order[csr_entries(ptr, region)]])
        region = np.union1d(region, table.rel_cell[csr_entries(table.rel_ptr, rels)])
        region = region[among[region]]
    return region, np.unique(rel_of[order[csr_entries(ptr, region)]])


def apply_derived(suppressed: np.ndarray, derived) -> None:
    """A complement nobody publishes is unknown exactly when its numerator or denominator is."""
    if derived is not None and len(derived[0]):
        comp, num, den = derived
        suppressed[comp] = suppressed[num] | suppressed[den]
