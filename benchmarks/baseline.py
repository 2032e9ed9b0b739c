"""The naive baseline both disclosure benchmarks compare against.

"Suppress the smallest sibling until each relation has two protected cells": per
relation, a lone suppressed cell gets its smallest non-zero eligible sibling as a
partner, repeated until no relation has one. It looks only at the relations it is
given (links between tables ignored), which is why an attacker can still narrow
some of its cells.
"""
from __future__ import annotations

import numpy as np


def naive_baseline(table, suppressed: np.ndarray, eligible: np.ndarray, relations: np.ndarray | None = None) -> np.ndarray:
    """The baseline pattern grown from `suppressed` (not changed). `relations`: a mask of the
    relations the baseline looks at (all when None); partners come only from `eligible`."""
    rel = table.relation_of_entry()
    looked_at = np.ones(table.n_relations, dtype=bool) if relations is None else relations
    sup = suppressed.copy()
    cells = table.rel_cell
    while True:
        sup_e = sup[cells]
        n_sup = np.bincount(rel[sup_e], minlength=table.n_relations)
        need = (n_sup == 1) & looked_at
        cand = need[rel] & ~sup_e & eligible[cells] & (table.value[cells] > 0)
        if not cand.any():
            return sup
        c_rel, c_cell = rel[cand], cells[cand]
        order = np.lexsort((table.value[c_cell], c_rel))
        c_rel, c_cell = c_rel[order], c_cell[order]
        first = np.ones(len(c_rel), dtype=bool)
        first[1:] = c_rel[1:] != c_rel[:-1]
        sup[c_cell[first]] = True
