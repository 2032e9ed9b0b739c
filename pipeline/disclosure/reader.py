"""The reader's audit: an attack from the published rows alone (issue 14, ARCHITECTURE §6).

The model's audit proves safety against the relations the model was told about. A
reader uses every identity the published numbers satisfy. This audit knows nothing
of the model: it reads the released rows (reader_view.py), finds the identities in
them (reader_identities.py), writes every relation they imply as one linear table,
and attacks it four ways:

1. exact derivation: a relation with one unknown left gives that unknown, and so on
   (a derived cell is as good as published for the next relation);
2. derivable groups: unknown parts of a relation whose total is derivable may not add
   up to 1..k−1 records (a group of protected parts that is itself small);
3. support: a statistic published > 0 where the count it is computed over is protected
   says that count is not zero (P1 beside a protected number of poor);
4. with the secure side's true values (at build time): the attacker's LP over all
   relations at once, for every protected cell, against its protection level.

A protected cell is, with the truth, an unknown count of 1..k−1 records or the sum of
a statistic protected by its rule; without it (`python -m pipeline audit-release`),
an unknown count shown by an S1 row. 1–3 need no truth, so the command runs them on
any release folder.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.disclosure.audit import audit
from pipeline.disclosure.reader_identities import TOL, Identities, category_places, discover
from pipeline.disclosure.reader_view import PLACE, ReaderView, build_view
from pipeline.disclosure.table import LinearTable, attacker_upper, protection_levels


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


@dataclass
class ReaderResult:
    identities: dict
    relations: dict
    protected: int
    protected_counts: int  # …of them counts (the rest: sums of statistics)
    derived_exactly: int  # unknown cells a reader computes exactly
    derived_s2: int  # …of them S2 cells (protection that buys nothing)
    failures: list = field(default_factory=list)  # dicts: jenis, sel, detail
    to_check: list = field(default_factory=list)  # without the truth: findings only the secure side can settle
    lp: dict | None = None
    seconds: float = 0.0
    view: object = None  # what the reader read and found (for a model that should learn from it)
    found: object = None
    # S2 rows whose every hidden count the reader computes exactly and rightly (indicator_id + place):
    # hiding them buys nothing, so the build publishes them
    needless_s2: pd.DataFrame | None = None

    @property
    def passed(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict:
        kinds = pd.Series([f["jenis"] for f in self.failures], dtype=object).value_counts().to_dict()
        return {
            "lolos": self.passed,
            "identitas_ditemukan": self.identities,
            "relasi": self.relations,
            "sel_terlindung_diserang": self.protected,
            "hitungan_terlindung_diserang": self.protected_counts,
            "sel_tak_terbit_terhitung_tepat": self.derived_exactly,
            "sel_S2_terhitung_tepat": self.derived_s2,
            "baris_S2_terhitung_tepat": 0 if self.needless_s2 is None else len(self.needless_s2),
            "gagal": len(self.failures),
            "perlu_diperiksa_sisi_aman": len(self.to_check),
            "gagal_per_jenis": {str(k): int(v) for k, v in kinds.items()},
            "contoh_gagal": self.failures[:20],
            "lp": self.lp,
            "detik": round(self.seconds, 1),
        }


def reader_audit(rows: pd.DataFrame, catalog: dict, weight: float, k: int, p: float,
                 truth: pd.DataFrame | None = None, log=None, earlier: list[pd.DataFrame] = (), hints=None) -> ReaderResult:
    """earlier: the rows of other releases still served (a reader holds them all).
    hints (optional, with the truth): cells frame → certificates over this audit's cells (tables a
    reader cannot rule out, e.g. the protection's own). Each is checked against this audit's
    relations before use; they only spare LPs, never change a verdict."""
    t0 = time.perf_counter()
    say = log or (lambda m: None)
    view = build_view(rows, catalog, weight, truth, earlier)
    ids = discover(view)
    say(f"pembaca: {ids.groups.n} kuantitas dari {len(view.series)} seri; identitas: {len(ids.sums)} jumlah, "
        f"{len(ids.breakdowns)} rincian, {len(ids.quotients)} hasil bagi, {len(ids.divisors)} pembagi rerata, {len(ids.supports)} dukungan")
    t = reader_table(view, ids, with_sums=truth is not None)
    false_relations = drop_false_relations(t) if truth is not None else 0
    if false_relations:
        say(f"pembaca: {false_relations:,} relasi yang tampak dari baris terbit tidak berlaku pada nilai sebenarnya (tidak dipakai)")
    names = _cell_names(view, t)

    failures = []
    value, known_after = propagate(t)
    unknown = np.isnan(t.value)
    derived = unknown & known_after
    col_of_cell = np.full(t.n_cells, -1)
    pl, cl = np.nonzero(t.cell >= 0)
    col_of_cell[t.cell[pl, cl]] = cl
    place_of_cell = np.full(t.n_cells, -1)
    place_of_cell[t.cell[pl, cl]] = pl
    s2 = _cell_flag(view, ids, t, "S2")

    protected, magnitude, to_zero = protected_cells(view, ids, t, k, p)
    # a count computed exactly is exposed when it is small (with the truth: when it is protected)
    if t.truth is None:
        exposed = derived & t.exact & (np.round(np.nan_to_num(value)) >= 1) & (np.round(np.nan_to_num(value)) < k)
    else:  # with the truth: a protected cell the reader computes right (a wrong belief discloses nothing)
        exposed = derived & protected & (np.abs(np.nan_to_num(value) - np.nan_to_num(t.truth)) < TOL)
    for c in np.flatnonzero(exposed):
        failures.append({"jenis": "terhitung_tepat", "sel": names(c), "detail": f"nilai {value[c]:g} dari baris yang terbit"})
    failures += derivable_groups(t, value, known_after, k, names)
    # Without the truth a reader cannot tell whether a protected count is small enough for "at
    # least one" to matter (a row is S1 for its numerator as often as for its denominator), so
    # what the support check finds is a question for the secure side, not a proven exposure.
    to_check = []
    if truth is None:
        to_check = support_leaks(view, ids, t, protected, names, k)
    else:
        failures += support_leaks(view, ids, t, protected, names, k)
    failures += quotient_leaks(view, ids, t, known_after, names)

    lp = None
    if truth is not None:
        certificates = hints(cell_frame(view, ids, t)) if hints is not None else None
        lp, lp_failures = lp_attack(t, unknown & ~derived, protected, magnitude, to_zero, k, p, log=say, certificates=certificates)
        failures += [{"jenis": "dipersempit_lp", "sel": names(c), "detail": f"rentang [{lo:g}, {hi:g}] untuk nilai {v:g}"} for c, lo, hi, v in lp_failures]
    result = ReaderResult(
        identities={k_: v for k_, v in ids.describe().items() if not k_.startswith("_")},
        relations={**t.kinds, "tak_berlaku_pada_nilai_sebenarnya": false_relations}, protected=int(protected.sum()),
        protected_counts=int((protected & t.exact).sum()), derived_exactly=int(derived.sum()),
        derived_s2=int((derived & s2).sum()), failures=failures, to_check=to_check, lp=lp, seconds=time.perf_counter() - t0,
        view=view, found=ids, needless_s2=needless_s2_rows(view, ids, t, value, known_after))
    say(f"pembaca: {result.protected:,} sel terlindung, {result.derived_exactly:,} sel tak terbit terhitung tepat "
        f"({result.derived_s2:,} S2), {len(failures)} gagal ({result.seconds:.1f} s)")
    return result


# --- the reader's table -------------------------------------------------------------------

def reader_table(view: ReaderView, ids: Identities, with_sums: bool) -> ReaderTable:
    g = ids.groups
    sum_means = sorted(ids.divisors) if with_sums else []
    n_p = len(view.places)
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
    del n_p

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


def _cell_flag(view: ReaderView, ids: Identities, t: ReaderTable, status: str) -> np.ndarray:
    """Cells that some row of the given status hides."""
    out = np.zeros(t.n_cells, dtype=bool)
    g = ids.groups
    for s in np.flatnonzero(g.of_series >= 0):
        j = g.of_series[s]
        m = (view.status[:, s] == status) & (t.cell[:, j] >= 0)
        out[t.cell[m, j]] = True
    return out


def _cell_names(view: ReaderView, t: ReaderTable):
    pl, cl = np.nonzero(t.cell >= 0)
    where = np.empty(t.n_cells, dtype=np.int64)
    col = np.empty(t.n_cells, dtype=np.int64)
    where[t.cell[pl, cl]] = pl
    col[t.cell[pl, cl]] = cl

    def name(c: int) -> str:
        p = view.places.iloc[where[c]]
        return f"{t.column_names[col[c]]} @ {p.kode_wilayah} {p.tahun} {p.dimensi}={p.kategori}"
    return name


# --- the attacks --------------------------------------------------------------------------

def needless_s2_rows(view: ReaderView, ids: Identities, t: ReaderTable, value: np.ndarray, known: np.ndarray) -> pd.DataFrame:
    """S2 rows of counts and shares all of whose counts the reader computes exactly (with the truth:
    and rightly)."""
    right = known if t.truth is None else known & (~np.isnan(t.value) | (np.abs(np.nan_to_num(value) - np.nan_to_num(t.truth)) < TOL))
    g = ids.groups
    ser = view.series
    ok_row = {}
    for s in np.flatnonzero(g.of_series >= 0):
        ind = ser["indicator_id"].iloc[s]
        cells = t.cell[:, g.of_series[s]]
        s2 = (view.status[:, s] == "S2") & (cells >= 0)
        good = np.zeros(len(cells), dtype=bool)
        good[s2] = right[cells[s2]] & ~t.mixed[cells[s2]]
        prev = ok_row.get(ind)
        ok_row[ind] = (s2 & good) if prev is None else (prev & s2 & good)
    # a mean that is the quotient of two counts both known is known too
    for m, (num, den) in ids.quotients.items():
        cn, cd = t.cell[:, num], t.cell[:, den]
        s2 = (view.status[:, m] == "S2") & (cn >= 0) & (cd >= 0)
        good = np.zeros(len(s2), dtype=bool)
        good[s2] = right[cn[s2]] & right[cd[s2]] & ~t.mixed[cn[s2]] & ~t.mixed[cd[s2]]
        ok_row[ser["indicator_id"].iloc[m]] = s2 & good
    frames = []
    for ind, mask in ok_row.items():
        if ser.loc[ser["indicator_id"] == ind, "role"].eq("mean").any() and ind not in {ser["indicator_id"].iloc[m] for m in ids.quotients}:
            continue
        places = view.places.loc[mask, PLACE]
        frames.append(places.assign(indicator_id=ind))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=PLACE + ["indicator_id"])


def propagate(t: ReaderTable) -> tuple[np.ndarray, np.ndarray]:
    """Exact derivation: repeatedly solve every exact relation with one unknown left."""
    value = t.value.copy()
    known = ~np.isnan(value)
    exact_rel = np.ones(int(t.rel.max(initial=-1)) + 1, dtype=bool)
    np.logical_and.at(exact_rel, t.rel, t.exact[t.rel_cell])
    use = exact_rel[t.rel]
    rel, cells, coef = t.rel[use], t.rel_cell[use], t.rel_coef[use]
    R = len(exact_rel)
    while True:
        unk = ~known[cells]
        n_unk = np.bincount(rel[unk], minlength=R)
        one = n_unk == 1
        target = unk & one[rel]
        if not target.any():
            break
        known_sum = np.bincount(rel[~unk], weights=coef[~unk] * value[cells[~unk]], minlength=R)
        c = cells[target]
        value[c] = -known_sum[rel[target]] / coef[target]
        known[c] = True
    return value, known


def derivable_groups(t: ReaderTable, value: np.ndarray, known: np.ndarray, k: int, names) -> list:
    """Unknown parts on one side of an exact relation add up to a derivable total: not in 1..k−1."""
    exact_rel = np.ones(int(t.rel.max(initial=-1)) + 1, dtype=bool)
    np.logical_and.at(exact_rel, t.rel, t.exact[t.rel_cell])
    R = len(exact_rel)
    unk = ~known[t.rel_cell]
    n_unk = np.bincount(t.rel[unk], minlength=R)
    pos = np.bincount(t.rel[unk & (t.rel_coef > 0)], minlength=R)
    neg = np.bincount(t.rel[unk & (t.rel_coef < 0)], minlength=R)
    same_side = (n_unk >= 2) & ((pos == 0) | (neg == 0)) & exact_rel
    known_sum = np.bincount(t.rel[~unk], weights=t.rel_coef[~unk] * np.nan_to_num(value[t.rel_cell[~unk]]), minlength=R)
    total = np.abs(known_sum)  # Σ of the unknown group, up to its sign
    bad = np.flatnonzero(same_side & (np.round(total) >= 1) & (np.round(total) < k))
    out = []
    for r in bad[:200]:
        members = t.rel_cell[(t.rel == r) & unk]
        out.append({"jenis": "kelompok_kecil", "sel": "; ".join(names(c) for c in members[:6]),
                    "detail": f"{len(members)} sel tak terbit berjumlah {total[r]:g} (< {k})"})
    return out


def protected_cells(view: ReaderView, ids: Identities, t: ReaderTable, k: int, p: float = 0.15):
    """Which unknown cells need a protection level; which are magnitudes; which must reach zero."""
    unknown = np.isnan(t.value)
    g = ids.groups
    protected = np.zeros(t.n_cells, dtype=bool)
    magnitude = ~t.exact
    to_zero = np.zeros(t.n_cells, dtype=bool)
    if t.truth is not None:
        small = (t.truth >= 1) & (t.truth < k) & t.exact
        protected |= unknown & small
        # a statistic's sum protected by its own rule (fewer than k_stat units)
        for i, m in enumerate(sorted(ids.divisors)):
            j = g.n + i
            if j >= t.cell.shape[1]:
                break
            s1 = (view.status[:, m] == "S1") & (t.cell[:, j] >= 0)
            protected[t.cell[s1, j]] = True
    else:
        for j in range(g.n):
            m = g.s1[:, j] & (t.cell[:, j] >= 0)
            protected[t.cell[m, j]] = True
        protected &= unknown
    # a sum over a protected small group must not be provably above zero
    sum_col = {m: g.n + i for i, m in enumerate(sorted(ids.divisors))}
    for m, grp in ids.supports:
        j = sum_col.get(m)
        if j is None or j >= t.cell.shape[1]:
            continue
        both = (t.cell[:, grp] >= 0) & (t.cell[:, j] >= 0)
        base = t.cell[both, grp]
        hit = protected[base] & _broken_by_one(t, base, k, p)
        protected[t.cell[both, j][hit]] = True
        to_zero[t.cell[both, j][hit]] = True
    protected &= unknown & ~t.mixed
    return protected, magnitude, to_zero


def _broken_by_one(t: ReaderTable, cells: np.ndarray, k: int, p: float = 0.15) -> np.ndarray:
    """Is "at least one" already too much to know of these protected counts? True where the
    count is at most its lower protection level (a count of 3 must not be told apart from 0);
    without the truth every protected count is taken to be so."""
    if t.truth is None:
        return np.ones(len(cells), dtype=bool)
    v = t.truth[cells]
    lpl, _ = protection_levels(np.nan_to_num(v), p, k)
    return (v >= 1) & (v - lpl < 1)


def support_leaks(view: ReaderView, ids: Identities, t: ReaderTable, protected: np.ndarray, names, k: int) -> list:
    out = []
    for m, grp in ids.supports:
        cells = t.cell[:, grp]
        shown = ~np.isnan(view.value[:, m]) & (view.value[:, m] > 0) & (cells >= 0)
        hit = np.flatnonzero(shown)
        hit = hit[protected[cells[hit]] & _broken_by_one(t, cells[hit], k)]
        for p in hit[:200]:
            out.append({"jenis": "dukungan", "sel": names(cells[p]),
                        "detail": f"{view.series['name'].iloc[m]} = {view.value[p, m]:g} terbit: kelompok ini tidak kosong"})
    return out


def quotient_leaks(view: ReaderView, ids: Identities, t: ReaderTable, known: np.ndarray, names) -> list:
    """A protected (S1) mean whose numerator and divisor are both published or derivable."""
    out = []
    for m, (num, den) in ids.quotients.items():
        cn, cd = t.cell[:, num], t.cell[:, den]
        s1 = (view.status[:, m] == "S1") & (cn >= 0) & (cd >= 0)
        hit = np.flatnonzero(s1)
        hit = hit[known[cn[hit]] & known[cd[hit]]]
        for p in hit[:200]:
            out.append({"jenis": "hasil_bagi", "sel": f"{view.series['name'].iloc[m]} @ {names(cn[p]).split(' @ ')[1]}",
                        "detail": "pembilang dan pembaginya terbit"})
    return out


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


def lp_attack(t: ReaderTable, unknown: np.ndarray, protected: np.ndarray, magnitude: np.ndarray, to_zero: np.ndarray,
              k: int, p: float, log=None, certificates=None):
    """The attacker's LP over every relation the reader found, with the true values."""
    value = np.where(np.isnan(t.truth), np.nan_to_num(t.value), t.truth)
    order = np.argsort(t.rel, kind="stable")
    rel = t.rel[order]
    R = int(rel.max(initial=-1)) + 1
    ptr = np.concatenate([[0], np.cumsum(np.bincount(rel, minlength=R))]).astype(np.int64)
    col = np.full(t.n_cells, 0)
    pl, cl = np.nonzero(t.cell >= 0)
    col[t.cell[pl, cl]] = cl
    table = LinearTable(value=value, lower=np.zeros(t.n_cells), upper=attacker_upper(value, col), cost=np.ones(t.n_cells),
                        rel_ptr=ptr, rel_cell=t.rel_cell[order], rel_coef=t.rel_coef[order])
    table.check()
    lpl, upl = protection_levels(value, p, k, magnitude)
    lpl = np.where(to_zero, value, lpl)
    targets = protected & unknown
    res = audit(table, unknown, targets, lpl, upl, log=log, certificates=certificates)
    fails = [(int(c), float(res.lo[c]), float(res.hi[c]), float(value[c])) for c in res.failures]
    summary = {"lolos": res.passed, "komponen": res.components, "komponen_terbesar": res.largest_component,
               "lp_diselesaikan": res.lps_solved, "lp_dilewati": res.lps_skipped, "sel_diserang": int(targets.sum()),
               "sertifikat_diperiksa": res.certificates_checked, "sertifikat_sah": res.certificates_valid,
               "margin_terkecil": None if not np.isfinite(res.smallest_margin) else round(float(res.smallest_margin), 3) + 0.0}
    return summary, fails
