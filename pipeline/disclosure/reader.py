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
from pipeline.disclosure.reader_identities import TOL, Identities, discover
from pipeline.disclosure.reader_table import ReaderTable, cell_flag, cell_frame, cell_names, drop_false_relations, reader_table
from pipeline.disclosure.reader_view import PLACE, ReaderView, build_view
from pipeline.disclosure.table import LinearTable, attacker_upper, protection_levels


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
    names = cell_names(view, t)

    failures = []
    value, known_after = propagate(t)
    unknown = np.isnan(t.value)
    derived = unknown & known_after
    s2 = cell_flag(view, ids, t, "S2")

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
        to_check = support_leaks(view, ids, t, protected, names, k, p)
    else:
        failures += support_leaks(view, ids, t, protected, names, k, p)
    failures += quotient_leaks(view, ids, t, known_after, names)

    lp = None
    if truth is not None:
        certificates = hints(cell_frame(view, ids, t)) if hints is not None else None
        lp, lp_failures = lp_attack(t, unknown & ~derived, protected, magnitude, to_zero, k, p, log=say, certificates=certificates)
        failures += [{"jenis": "dipersempit_lp", "sel": names(c), "detail": f"rentang [{lo:g}, {hi:g}] untuk nilai {v:g}"} for c, lo, hi, v in lp_failures]
    result = ReaderResult(
        identities=ids.describe(),
        relations={**t.kinds, "tak_berlaku_pada_nilai_sebenarnya": false_relations}, protected=int(protected.sum()),
        protected_counts=int((protected & t.exact).sum()), derived_exactly=int(derived.sum()),
        derived_s2=int((derived & s2).sum()), failures=failures, to_check=to_check, lp=lp, seconds=time.perf_counter() - t0,
        view=view, found=ids, needless_s2=needless_s2_rows(view, ids, t, value, known_after))
    say(f"pembaca: {result.protected:,} sel terlindung, {result.derived_exactly:,} sel tak terbit terhitung tepat "
        f"({result.derived_s2:,} S2), {len(failures)} gagal ({result.seconds:.1f} s)")
    return result


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


def protected_cells(view: ReaderView, ids: Identities, t: ReaderTable, k: int, p: float):
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


def _broken_by_one(t: ReaderTable, cells: np.ndarray, k: int, p: float) -> np.ndarray:
    """Is "at least one" already too much to know of these protected counts? True where the
    count is at most its lower protection level (a count of 3 must not be told apart from 0);
    without the truth every protected count is taken to be so."""
    if t.truth is None:
        return np.ones(len(cells), dtype=bool)
    v = t.truth[cells]
    lpl, _ = protection_levels(np.nan_to_num(v), p, k)
    return (v >= 1) & (v - lpl < 1)


def support_leaks(view: ReaderView, ids: Identities, t: ReaderTable, protected: np.ndarray, names, k: int, p: float) -> list:
    out = []
    for m, grp in ids.supports:
        cells = t.cell[:, grp]
        shown = ~np.isnan(view.value[:, m]) & (view.value[:, m] > 0) & (cells >= 0)
        hit = np.flatnonzero(shown)
        hit = hit[protected[cells[hit]] & _broken_by_one(t, cells[hit], k, p)]
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
