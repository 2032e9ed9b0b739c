"""The reader's table: one cell per quantity and place a reader can name, and every relation the
identities they found imply (issue 14; used by reader.py).

Columns are the quantity groups of reader_identities.py, then one per mean whose divisor was
found (its sum, known only within the mean's rounding). Relations: regions add up to their
parent and categories to their total (for a quantity only if every fully published family
does), a share's complement is its denominator less its numerator, and the sums of series and
of breakdown categories that were found.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.disclosure.reader_identities import TOL, Identities, category_places
from pipeline.disclosure.reader_view import PLACE, ReaderView


@dataclass
class ReaderTable:
    """Cells: one per (place, column); columns are the quantity groups, then one per mean's sum."""

    cell: np.ndarray  # [place, column] → cell id or −1
    column_names: list[str]
    value: np.ndarray  # per cell: what the reader knows (NaN unknown)
    truth: np.ndarray | None
    exact: np.ndarray  # per cell: False for a mean's sum (known only within rounding)
    mixed: np.ndarray  # per cell: the reader merged series whose true values differ here (a false belief)
    rel: np.ndarray  # entries: relation id, cell, coefficient
    rel_cell: np.ndarray
    rel_coef: np.ndarray
    kinds: dict = field(default_factory=dict)  # relation kind → number of relations

    @property
    def n_cells(self) -> int:
        return len(self.value)


def reader_table(view: ReaderView, ids: Identities, with_sums: bool) -> ReaderTable:
    g = ids.groups
    sum_means = sorted(ids.divisors) if with_sums else []
    present = np.concatenate([g.present] + [view.present[:, [m]] for m in sum_means], axis=1)
    cell = np.full(present.shape, -1)
    cell[present] = np.arange(int(present.sum()))
    n_cells = int(present.sum())
    value = np.full(n_cells, np.nan)
    truth = np.full(n_cells, np.nan) if view.truth is not None else None
    exact = np.ones(n_cells, dtype=bool)
    mixed = np.zeros(n_cells, dtype=bool)
    for j in range(g.n):
        m = present[:, j]
        value[cell[m, j]] = g.value[m, j]
        if truth is not None:
            truth[cell[m, j]] = g.truth[m, j]
            mixed[cell[m, j]] = g.mixed[m, j]
    for i, ms in enumerate(sum_means):
        j = g.n + i
        m = present[:, j]
        d = ids.divisors[ms]
        exact[cell[m, j]] = False
        value[cell[m, j]] = (view.value[:, ms] * g.value[:, d])[m]  # within rounding only
        if truth is not None:
            truth[cell[m, j]] = view.truth[m, ms]
    names = list(g.names) + [f"Σ {view.series['name'].iloc[m]}" for m in sum_means]

    rels, kinds = [], {}
    next_id = [0]

    def add_entries(kind, rel_local, cells_, coefs, n_rel):
        if n_rel == 0:
            return
        rels.append((rel_local + next_id[0], cells_, coefs.astype(float)))
        next_id[0] += n_rel
        kinds[kind] = kinds.get(kind, 0) + int(n_rel)

    def add(kind, cells_list, coefs):
        """cells_list: [n_rel, width] cell ids (−1 = no term); coefs: [width]."""
        cells_list = np.asarray(cells_list)
        if cells_list.size == 0:
            return
        n, w = cells_list.shape
        rr = np.repeat(np.arange(n), w)
        cc = cells_list.ravel()
        kk = np.tile(np.asarray(coefs, dtype=float), n)
        keep = cc >= 0
        add_entries(kind, rr[keep], cc[keep], kk[keep], n)

    child = np.flatnonzero(view.places["parent"].to_numpy() >= 0)
    parent = view.places["parent"].to_numpy()[child]
    tot = view.places["total"].to_numpy()
    cat = np.flatnonzero(tot >= 0)
    cat_key = pd.factorize(pd.Series(tot[cat]).astype(str) + "|" + view.places["dimensi"].to_numpy()[cat])[0]
    for j in range(present.shape[1]):
        verify = j < g.n
        for kind, heads, members, keys in (("wilayah", parent, child, pd.factorize(parent)[0]), ("kategori", tot[cat], cat, cat_key)):
            r, c, k_, n = _families(cell[:, j], heads, members, keys, value, verify)
            add_entries(kind if verify else "jumlah_rerata", r, c, k_, n)
    # a share's complement is its denominator less its numerator
    ser = view.series
    for ind in ser.loc[ser["role"] == "comp", "indicator_id"]:
        cols = [g.of_series[view.column(f"{ind}|{r}")] for r in ("den", "num", "comp")]
        if len(set(cols)) < 3:
            continue
        c = cell[:, cols]
        add("komplemen", c[(c >= 0).all(axis=1)], [1.0, -1.0, -1.0])
    for whole, parts in ids.sums:
        c = cell[:, [whole] + parts]
        add("jumlah_seri", c[(c >= 0).all(axis=1)], [1.0] + [-1.0] * len(parts))
    for whole, part, dimensi, cats in ids.breakdowns:
        cp = category_places(view, dimensi, cats)
        ok = (cp >= 0).all(axis=1) & (cell[:, whole] >= 0)
        terms = cell[np.maximum(cp[ok], 0), part]
        ok2 = (terms >= 0).all(axis=1)
        add("jumlah_kategori", np.column_stack([cell[ok, whole][ok2], terms[ok2]]), [1.0] + [-1.0] * len(cats))
    if rels:
        rel = np.concatenate([r[0] for r in rels])
        rc = np.concatenate([r[1] for r in rels])
        rk = np.concatenate([r[2] for r in rels])
    else:
        rel, rc, rk = np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([])
    return ReaderTable(cell, names, value, truth, exact, mixed, rel, rc, rk, kinds)


def drop_false_relations(t: ReaderTable) -> int:
    """A relation a reader infers from the published cells may be false on the hidden ones (a
    category that is zero wherever it is published). It misleads the reader instead of telling
    them anything, so the attack with the truth leaves it out; their number is reported."""
    if len(t.rel) == 0:
        return 0
    R = int(t.rel.max()) + 1
    terms = t.rel_coef * t.truth[t.rel_cell]
    res = np.bincount(t.rel, weights=np.nan_to_num(terms), minlength=R)
    size = np.zeros(R)
    np.maximum.at(size, t.rel, np.abs(np.nan_to_num(terms)))
    missing = np.bincount(t.rel, weights=np.isnan(terms), minlength=R) > 0
    exact = np.ones(R, dtype=bool)
    np.logical_and.at(exact, t.rel, t.exact[t.rel_cell])
    false = ~missing & np.where(exact, np.abs(res) >= TOL, np.abs(res) > 1e-6 * (1 + size))
    false |= np.bincount(t.rel, weights=t.mixed[t.rel_cell], minlength=R) > 0  # built on a false merge
    keep = ~false[t.rel] & ~missing[t.rel]
    t.rel, t.rel_cell, t.rel_coef = np.unique(t.rel[keep], return_inverse=True)[1], t.rel_cell[keep], t.rel_coef[keep]
    return int(false.sum())


def _families(col_cells: np.ndarray, heads: np.ndarray, members: np.ndarray, keys: np.ndarray, value: np.ndarray, verify: bool):
    """Complete families (head present, every member present) as relation entries head − Σ members.
    With verify, a column whose fully published families do not add up gets none: the reader
    would see that they do not."""
    F = int(keys.max(initial=-1)) + 1
    empty = (np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([]), 0)
    if F == 0:
        return empty
    mc = col_cells[members]
    head = np.full(F, -1)
    head[keys] = col_cells[heads]
    ok = (head >= 0) & (np.bincount(keys, weights=(mc < 0), minlength=F) == 0)
    if verify:
        vm = np.where(mc >= 0, value[np.maximum(mc, 0)], np.nan)
        vh = np.where(head >= 0, value[np.maximum(head, 0)], np.nan)
        full = ok & ~np.isnan(vh) & (np.bincount(keys, weights=np.isnan(vm), minlength=F) == 0)
        res = vh - np.bincount(keys, weights=np.nan_to_num(vm), minlength=F)
        if np.any(np.abs(res[full]) >= TOL):
            return empty
    fam_ids = np.cumsum(ok) - 1  # renumber the complete families 0..n−1
    m_ok = ok[keys]
    rel = np.concatenate([fam_ids[ok], fam_ids[keys[m_ok]]])
    cells_ = np.concatenate([head[ok], mc[m_ok]])
    coefs = np.concatenate([np.ones(int(ok.sum())), -np.ones(int(m_ok.sum()))])
    return rel, cells_, coefs, int(ok.sum())


def cell_flag(view: ReaderView, ids: Identities, t: ReaderTable, status: str) -> np.ndarray:
    """Cells that some row of the given status hides."""
    out = np.zeros(t.n_cells, dtype=bool)
    g = ids.groups
    for s in np.flatnonzero(g.of_series >= 0):
        j = g.of_series[s]
        m = (view.status[:, s] == status) & (t.cell[:, j] >= 0)
        out[t.cell[m, j]] = True
    return out


def cell_names(view: ReaderView, t: ReaderTable):
    pl, cl = np.nonzero(t.cell >= 0)
    where = np.empty(t.n_cells, dtype=np.int64)
    col = np.empty(t.n_cells, dtype=np.int64)
    where[t.cell[pl, cl]] = pl
    col[t.cell[pl, cl]] = cl

    def name(c: int) -> str:
        p = view.places.iloc[where[c]]
        return f"{t.column_names[col[c]]} @ {p.kode_wilayah} {p.tahun} {p.dimensi}={p.kategori}"
    return name


def cell_frame(view: ReaderView, ids: Identities, t: ReaderTable) -> pd.DataFrame:
    """Each cell of the reader's table: its place and the series it stands for (for hints)."""
    pl, cl = np.nonzero(t.cell >= 0)
    g = ids.groups
    members = {j: list(view.series["name"].to_numpy()[g.of_series == j]) for j in range(g.n)}
    for i, m in enumerate(sorted(ids.divisors)):
        members[g.n + i] = [f"Σ {view.series['name'].iloc[m]}"]
    frame = view.places.iloc[pl][PLACE + ["tingkat"]].reset_index(drop=True)
    frame["cell"] = t.cell[pl, cl]
    frame["series"] = [members[c] for c in cl]
    return frame.sort_values("cell").reset_index(drop=True)
