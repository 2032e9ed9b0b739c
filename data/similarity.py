"""Similar regions (as ONS's "similar areas"): the regions of the same level nearest to one region
over a stated set of indicators, each standardised across the level.

Only published values go in: a protected cell is simply absent, never estimated, so a ranking can
tell nothing a reader could not compute from the open table. Pure: a frame of values in, a list out.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# The stated set: poverty, consumption, schooling, work, health cover and housing, each published at
# every level (kecamatan too), so a kecamatan is matched on the same things as a province. Shown on
# the page, with their names from the catalogue.
INDICATORS = ("persen_penduduk_miskin", "rata_rata_konsumsi_per_kapita", "rata_rata_lama_sekolah_15plus", "tpt", "cakupan_jkn",
              "persen_rt_hunian_layak")
MIN_COMMON = 4  # published indicators a region needs to be matched at all; fewer and a "distance" compares too little
SHOWN = 5


@dataclass(frozen=True)
class Neighbour:
    kode: str
    distance: float  # root mean square difference of the standardised values (0 = identical)
    common: int      # how many indicators the distance is over (the same for every neighbour of a region)


def standardised(values: pd.DataFrame) -> pd.DataFrame:
    """values: kode_wilayah, indicator_id, nilai (published cells of one level and year) → a wide
    table of z-scores, a row per region and a column per indicator (NaN where not published). An
    indicator with no spread (or one region) says nothing about similarity and is left out."""
    wide = values.pivot_table(index="kode_wilayah", columns="indicator_id", values="nilai", aggfunc="first").astype(float)
    sd = wide.std(ddof=0)
    keep = sd[(sd > 0) & (wide.count() >= 2)].index
    return (wide[keep] - wide[keep].mean()) / sd[keep]


def nearest(values: pd.DataFrame, kode: str, k: int = SHOWN, min_common: int = MIN_COMMON) -> list[Neighbour]:
    """The k regions nearest to `kode` (itself excluded), nearest first, ties by code. Every distance
    is over the same indicators, those published for `kode`: a candidate must have all of them (a
    distance over fewer would be smaller by having less to differ on, so a region with gaps would
    look similar to everything). [] when `kode` has fewer than `min_common` published indicators."""
    z = standardised(values)
    if kode not in z.index:
        return []
    me = z.loc[kode].dropna()
    if len(me) < min_common:
        return []
    others = z.drop(index=kode)[me.index]
    others = others[others.notna().all(axis=1)]
    distance = np.sqrt(((others - me) ** 2).mean(axis=1))
    ranked = pd.DataFrame({"distance": distance}).rename_axis("kode_wilayah").reset_index().sort_values(["distance", "kode_wilayah"])
    return [Neighbour(r.kode_wilayah, float(r.distance), len(me)) for r in ranked.head(k).itertuples()]
