"""Readers for the reference data in DTSEN_REFERENCE_DIR (boundaries, registry, BPS figures)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd


def read_wilayah(ref: Path, provinces: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Region registry; optionally limited to some provinces (and their descendants)."""
    df = pd.read_csv(ref / "reference" / "wilayah.csv", dtype={"kode": str, "kode_induk": str})
    df["kode_provinsi"] = df["kode"].str[:2]
    if provinces:
        df = df[df["kode_provinsi"].isin(provinces)]
    return df.reset_index(drop=True)


def read_statistik(ref: Path) -> pd.DataFrame:
    """Published BPS figures, long form, with `tahun` and `bulan` split from `periode`."""
    df = pd.read_csv(ref / "reference" / "statistik_provinsi.csv", dtype={"kode_wilayah": str, "periode": str})
    parts = df["periode"].str.split("-", expand=True)
    df["tahun"] = parts[0].astype(int)
    df["bulan"] = parts[1].fillna("").astype(str) if parts.shape[1] > 1 else ""
    return df


def read_targets(ref: Path) -> pd.DataFrame:
    return pd.read_csv(ref / "reference" / "target_rpjmn_sdg.csv", dtype=str)


def write_targets(targets: pd.DataFrame, catalog: dict, path: Path) -> None:
    """The target rows the catalogue points at, shipped inside the release so the portal
    shows the targets this release was built against (the app reads nothing but releases)."""
    keys = {ind.target for ind in catalog.values() if ind.target}
    targets[targets["indikator"].isin(keys)].to_csv(path, index=False)
