"""Where each downloaded row comes from: an official BPS figure's period and source line (table, link),
or the register (labelled synthetic in a demo release). Every download writes both columns, so a BPS
figure never leaves the site without its period and its source (the view downloads in web/routes.py,
the bulk files in web/bulk.py)."""
from __future__ import annotations

import pandas as pd

from components.i18n import _


def row_sources(rel, df: pd.DataFrame) -> pd.Series:
    """Each row's source: an official figure's BPS table, link and period; else the register,
    labelled synthetic in a demo release (the warning travels with every row)."""
    register = (_("Register DTSEN — DATA SINTETIS (rilis demo), bukan statistik resmi") if rel.synthetic
                else _("Register DTSEN, rilis {release}").format(release=rel.id))
    out = pd.Series(register, index=df.index, dtype=object)
    official = _official(rel, df)
    if official.any():
        src = rel.official_sources.set_index(["indicator_id", "kode_wilayah", "tahun"])["sumber"]
        keys = list(zip(df.loc[official, "indicator_id"], df.loc[official, "kode_wilayah"], df.loc[official, "tahun"].astype(int)))
        out[official] = [src.get(k, "BPS (statistik resmi)") for k in keys]
    return out


def row_periods(rel, df: pd.DataFrame, year: str = "tahun") -> pd.Series:
    """Each row's BPS period (e.g. 2024-03) for an official figure of the year in column `year`;
    empty for the register's own numbers (their period is the release's year)."""
    out = pd.Series("", index=df.index, dtype=object)
    official = _official(rel, df)
    if official.any():
        per = rel.official_sources.set_index(["indicator_id", "kode_wilayah", "tahun"])["periode"]
        keys = list(zip(df.loc[official, "indicator_id"], df.loc[official, "kode_wilayah"], df.loc[official, year].astype(int)))
        out[official] = [per.get(k, "") for k in keys]
    return out


def _official(rel, df: pd.DataFrame) -> pd.Series:
    """Which rows are official BPS figures (vectorised: the bulk table has a row per cell)."""
    return df["indicator_id"].isin([i for i, ind in rel.catalog.items() if ind.official])
