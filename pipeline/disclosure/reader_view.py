"""What a reader holds: the published rows as a matrix of series × places (issue 14).

Nothing here knows the disclosure model or pipeline/definitions.py. A reader has
the released rows, the public catalogue (each indicator's rule: a count, a share
with its numerator and denominator, a mean) and the release's scale; from those
alone this module lays out every number they can read:

- a *series* is one published column of one indicator: a count's value, a share's
  numerator, denominator and complement (denominator − numerator), a mean's value;
- a *place* is a year, a region and a breakdown category;
- V[place, series] is the value in record units (published counts ÷ the release's
  weight), NaN where the row is protected; a row that is NA (nobody in its universe)
  publishes zeros, and every reader knows them.

Secure-side truth, when given, is laid out the same way so that the reader's audit
can judge protection levels; it never adds a relation or a known value.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

PLACE = ["tahun", "kode_wilayah", "dimensi", "kategori"]
COUNT_ROLES = ("n", "num", "den", "comp")
PARENT_LEN = {"kecamatan": 5, "kabupaten_kota": 2, "provinsi": 0}


@dataclass
class ReaderView:
    places: pd.DataFrame  # one row per place: PLACE + tingkat + parent (the parent region's place id, or −1) + total (the place id of its breakdown's total)
    series: pd.DataFrame  # one row per series: name, indicator_id, role, aturan, desimal
    value: np.ndarray  # [place, series]: what the reader reads (record units; NaN where protected or absent)
    present: np.ndarray  # [place, series]: the row exists (published, protected or NA)
    status: np.ndarray  # [place, series]: the row's status ('' where absent)
    truth: np.ndarray | None  # [place, series]: the secure side's true value (counts; a mean's *sum*), or None

    @property
    def known(self) -> np.ndarray:
        return ~np.isnan(self.value)

    def column(self, name: str) -> int:
        return int(np.flatnonzero(self.series["name"].to_numpy() == name)[0])


def _roles(aturan: str) -> tuple[str, ...]:
    return {"count": ("n",), "proporsi": ("num", "den", "comp"), "rasio": ("mean",), "statistik": ("mean",)}.get(aturan, ())


def build_view(rows: pd.DataFrame, catalog: dict, weight: float, truth: pd.DataFrame | None = None,
               earlier: list[pd.DataFrame] = ()) -> ReaderView:
    """rows: the release's indicator rows as served; catalog: id → {aturan, desimal, …} (katalog.json);
    weight: published counts per record (1 / the synthetic scale; 1 for a real extract);
    truth (secure side only): the same keys with n_unit, n_pembilang, jumlah;
    earlier: rows of releases still served for the same years. A count this release hides but
    an earlier one published is known to the reader where it did not change (with the truth:
    where the earlier value is the true one; without it every earlier value is taken as still true)."""
    shown = [i for i, c in catalog.items() if _roles(c.get("aturan", ""))]
    rows = rows[rows["indicator_id"].isin(shown)].copy()
    rows["tahun"] = rows["tahun"].astype(int)
    place_keys = rows[PLACE + ["tingkat"]].drop_duplicates(PLACE).sort_values(PLACE).reset_index(drop=True)
    place_index = pd.MultiIndex.from_frame(place_keys[PLACE])
    p_of_row = place_index.get_indexer(pd.MultiIndex.from_frame(rows[PLACE]))

    series = [(f"{i}|{r}", i, r, catalog[i]["aturan"], int(catalog[i].get("desimal", 2)))
              for i in sorted(rows["indicator_id"].unique()) for r in _roles(catalog[i]["aturan"])]
    series = pd.DataFrame(series, columns=["name", "indicator_id", "role", "aturan", "desimal"])
    col = {(i, r): c for c, (i, r) in enumerate(zip(series["indicator_id"], series["role"]))}
    n_p, n_s = len(place_keys), len(series)
    value = np.full((n_p, n_s), np.nan)
    present = np.zeros((n_p, n_s), dtype=bool)
    status = np.full((n_p, n_s), "", dtype=object)
    tru = np.full((n_p, n_s), np.nan) if truth is not None else None
    if truth is not None:
        key = ["indicator_id"] + PLACE
        t = truth.assign(tahun=truth["tahun"].astype(int)).set_index(key)
        t = t[~t.index.duplicated()].reindex(pd.MultiIndex.from_frame(rows[key]))

    ok = (rows["status"] == "ok").to_numpy()
    na = (rows["status"] == "NA").to_numpy()
    for ind, idx in rows.groupby("indicator_id").indices.items():
        r = rows.iloc[idx]
        p = p_of_row[idx]
        o, z = ok[idx], na[idx]
        published = {
            "n": r["nilai"].to_numpy(dtype=float) / weight,
            "num": r["pembilang"].to_numpy(dtype=float) / weight,
            "den": r["penyebut"].to_numpy(dtype=float) / weight,
            "mean": r["nilai"].to_numpy(dtype=float),
        }
        published["comp"] = published["den"] - published["num"]
        for role in _roles(catalog[ind]["aturan"]):
            c = col[(ind, role)]
            v = np.where(o, published[role], np.nan)
            if role != "mean":
                v = np.where(z, 0.0, np.round(v, 6))  # NA: nobody in the universe, every count is zero
            value[p, c] = v
            present[p, c] = True
            status[p, c] = r["status"].to_numpy()
            if tru is not None:
                tt = t.iloc[idx]
                n = tt["n_unit"].to_numpy(dtype=float)
                num = tt["n_pembilang"].to_numpy(dtype=float)
                tru[p, c] = {"n": n, "den": n, "num": num, "comp": n - num, "mean": tt["jumlah"].to_numpy(dtype=float)}[role]

    for old in earlier:
        _add_earlier(old, catalog, weight, place_index, series, col, value, tru)

    place_keys["parent"] = _parent_places(place_keys, place_index)
    totals = place_keys.assign(dimensi="total", kategori="total")
    place_keys["total"] = place_index.get_indexer(pd.MultiIndex.from_frame(totals[PLACE]))
    place_keys.loc[place_keys["dimensi"] == "total", "total"] = -1
    return ReaderView(place_keys, series, value, present, status, tru)


def _add_earlier(old: pd.DataFrame, catalog: dict, weight: float, place_index, series, col, value, tru) -> None:
    old = old[(old["status"] == "ok") & old["indicator_id"].isin(series["indicator_id"])]
    old = old.assign(tahun=old["tahun"].astype(int))
    p = place_index.get_indexer(pd.MultiIndex.from_frame(old[PLACE]))
    old, p = old[p >= 0], p[p >= 0]
    for ind, idx in old.groupby("indicator_id").indices.items():
        r = old.iloc[idx]
        got = {"n": r["nilai"] / weight, "num": r["pembilang"] / weight, "den": r["penyebut"] / weight}
        got["comp"] = got["den"] - got["num"]
        for role in _roles(catalog[ind]["aturan"]):
            if role == "mean":
                continue
            c = col[(ind, role)]
            v = got[role].to_numpy(dtype=float)
            rows_p = p[idx]
            hidden = np.isnan(value[rows_p, c]) & ~np.isnan(v)
            if tru is not None:
                hidden &= np.abs(tru[rows_p, c] - v) < 0.5
            value[rows_p[hidden], c] = np.round(v[hidden], 6)


def _parent_places(places: pd.DataFrame, index: pd.MultiIndex) -> np.ndarray:
    """The place of the same year and category in the parent region (dotted Kemendagri codes)."""
    parent_code = [("00" if n == 0 else k[:n]) if (n := PARENT_LEN.get(t)) is not None else None
                   for k, t in zip(places["kode_wilayah"], places["tingkat"])]
    keys = places[PLACE].assign(kode_wilayah=parent_code)
    out = index.get_indexer(pd.MultiIndex.from_frame(keys.fillna({"kode_wilayah": "-"})))
    out[np.array([c is None for c in parent_code])] = -1
    return out
