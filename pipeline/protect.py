"""Primary disclosure rules (ARCHITECTURE §6), counted on records, before anything is written.

- count: a cell with 1..k−1 contributing units is suppressed (a true zero is published).
- proporsi: suppressed when its denominator is below k, or its numerator or its
  complement (denominator − numerator) is between 1 and k−1.
- rasio (a mean that is the quotient of two counts the release also publishes, e.g. persons ÷
  households): the rule of its counts, k for the divisor; a stricter k_stat would only hide
  a value any reader computes from the two published counts.
- statistik (Gini, means, poverty gaps): needs k_stat units and k households.

The published reason is the rule's *name* only. Which part of the rule fired
(numerator, complement…) would tell a reader where the small count is, so that
detail stays in the secure-side report.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.settings import DisclosureParams

PUBLIC_REASON = {"count": "ambang_frekuensi", "proporsi": "ambang_frekuensi", "rasio": "ambang_frekuensi", "statistik": "ambang_statistik"}


def primary_status(cells: pd.DataFrame, params: DisclosureParams) -> pd.DataFrame:
    """Add `status` (ok / S1 / NA), `alasan` (public rule name) and `alasan_rinci` (secure side)."""
    k, k_stat = params.k, params.k_stat
    n = cells["n_unit"].to_numpy()
    num = cells["n_pembilang"].fillna(0).to_numpy()
    n_rt = cells["n_rt"].to_numpy()
    rule = cells["aturan"].to_numpy()
    small = lambda x: (x >= 1) & (x < k)  # noqa: E731

    detail = np.full(len(cells), None, dtype=object)
    is_count, is_share, is_stat = rule == "count", rule == "proporsi", rule == "statistik"
    is_ratio = rule == "rasio"
    detail[(is_count | is_ratio) & small(n)] = "n<k"
    detail[is_share & (n > 0) & (n < k)] = "penyebut<k"
    detail[is_share & (n >= k) & small(num)] = "pembilang<k"
    detail[is_share & (n >= k) & ~small(num) & small(n - num)] = "komplemen<k"
    detail[is_stat & (n > 0) & ((n < k_stat) | (n_rt < k))] = "n<k_stat"

    detail[_family_small(cells, small)] = "keluarga<k"
    status = np.where(detail != None, "S1", "ok")  # noqa: E711  (elementwise)
    status = np.where((is_share | is_stat | is_ratio) & (n == 0), "NA", status)  # nobody in the universe: not applicable
    out = cells.copy()
    out["status"] = status
    out["alasan_rinci"] = detail
    out["alasan"] = [PUBLIC_REASON[r] if s == "S1" else None for r, s in zip(rule, status)]
    return out


def _family_small(cells: pd.DataFrame, small) -> np.ndarray:
    """Rows of statistics over a small group (P1, P2 over the poor) whose group count is protected:
    a published P1 > 0 would say that group is not empty (INDICATOR_FAMILIES)."""
    from pipeline.definitions import INDICATOR_FAMILIES

    place = ["kode_wilayah", "tingkat", "tahun", "dimensi", "kategori"]
    hit = np.zeros(len(cells), dtype=bool)
    if not set(place) <= set(cells.columns):  # cells without places (a bare rule check) have no families
        return hit
    for member, base in INDICATOR_FAMILIES.items():
        b = cells.loc[(cells["indicator_id"] == base) & small(cells["n_unit"]), place]
        is_member = (cells["indicator_id"] == member).to_numpy()
        keys = pd.MultiIndex.from_frame(cells.loc[is_member, place])
        hit[np.flatnonzero(is_member)[keys.isin(pd.MultiIndex.from_frame(b))]] = True
    return hit


def publishable(cells: pd.DataFrame, decimals: dict[str, int]) -> pd.DataFrame:
    """The open-tier table: values blanked where not `ok`, counts of records dropped."""
    out = cells.copy()
    hidden = out["status"] != "ok"
    for col in ("nilai", "pembilang", "penyebut"):
        out.loc[hidden, col] = np.nan
    dec = out["indicator_id"].map(decimals).fillna(2).astype(int)
    out["nilai"] = [round(v, d) if pd.notna(v) else np.nan for v, d in zip(out["nilai"], dec)]
    return out
