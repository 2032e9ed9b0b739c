"""The exact interval a reader can pin each suppressed cell to (min and max of an LP each).

The audit (audit.py) only asks whether a cell *reaches* its protection levels and stops
pushing once it does, so its lo/hi are not the true extremes. Where the extremes
themselves are wanted (`audit-jj` prints them, the sliding protection level compares
their width), this module solves them outright with HiGHS through scipy. It is meant for
tables of up to a few thousand suppressed cells.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from pipeline.disclosure.table import LinearTable


def intervals(table: LinearTable, suppressed: np.ndarray, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) for each of `cells` (each must be suppressed), over every relation at once."""
    sup = np.flatnonzero(suppressed)
    col = np.full(table.n_cells, -1)
    col[sup] = np.arange(len(sup))
    rel = table.relation_of_entry()
    on = suppressed[table.rel_cell]
    rels = np.unique(rel[on])
    row = np.full(table.n_relations, -1)
    row[rels] = np.arange(len(rels))
    a_eq = csr_matrix((table.rel_coef[on], (row[rel[on]], col[table.rel_cell[on]])), shape=(len(rels), len(sup)))
    known = ~on
    b_eq = -np.bincount(rel[known], weights=table.rel_coef[known] * table.value[table.rel_cell[known]], minlength=table.n_relations)[rels]
    bounds = list(zip(table.lower[sup], table.upper[sup]))
    lo, hi = np.empty(len(cells)), np.empty(len(cells))
    for i, c in enumerate(cells):
        objective = np.zeros(len(sup))
        objective[col[c]] = 1.0
        for sign, out in ((1.0, lo), (-1.0, hi)):
            res = linprog(sign * objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if res.status != 0:
                raise ValueError(f"LP sel {c}: {res.message}")
            out[i] = sign * res.fun
    return lo, hi
