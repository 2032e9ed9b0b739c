"""The queries pages and routes ask of the current release, cached per release id."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from data.access import Release, ReleaseStore
from data.cache import cache

_store: ReleaseStore | None = None


def init_store(root: Path) -> ReleaseStore:
    global _store
    _store = ReleaseStore(root)
    return _store


def release() -> Release:
    if _store is None:
        raise RuntimeError("init_store() belum dipanggil")
    return _store.get()


def _cells_where(tingkat_clause: str) -> str:
    return (
        "SELECT c.kode_wilayah, r.nama, r.kode_bps, c.nilai, c.status, c.alasan, c.pembilang, c.penyebut, c.periode "
        "FROM cells c JOIN regions r ON r.kode = c.kode_wilayah "
        f"WHERE c.indicator_id = ? AND c.tahun = ? AND c.dimensi = ? AND c.kategori = ? AND {tingkat_clause} "
        "ORDER BY c.kode_wilayah"
    )


@cache.memoize()
def map_values(release_id: str, indicator_id: str, tahun: int, tingkat: str, dimensi: str, kategori: str, induk: str | None) -> pd.DataFrame:
    """Values of every region shown on a map: one level, optionally within a parent region."""
    rel = release()
    if induk:
        sql = _cells_where("c.tingkat = ? AND starts_with(c.kode_wilayah, ?)")
        params = [indicator_id, tahun, dimensi, kategori, tingkat, induk + "."]
    else:
        sql = _cells_where("c.tingkat = ?")
        params = [indicator_id, tahun, dimensi, kategori, tingkat]
    return rel.query(sql, params)


@cache.memoize()
def cell(release_id: str, indicator_id: str, kode: str, tahun: int, dimensi: str = "total", kategori: str = "total") -> dict | None:
    df = release().query(
        "SELECT nilai, status, alasan, pembilang, penyebut, periode FROM cells WHERE indicator_id = ? AND kode_wilayah = ? AND tahun = ? AND dimensi = ? AND kategori = ?",
        [indicator_id, kode, tahun, dimensi, kategori],
    )
    return None if df.empty else df.iloc[0].to_dict()


@cache.memoize()
def indicator_years(release_id: str, indicator_id: str) -> list[int]:
    df = release().query("SELECT DISTINCT tahun FROM cells WHERE indicator_id = ? ORDER BY tahun", [indicator_id])
    return [int(y) for y in df["tahun"]]


@cache.memoize()
def indicator_levels(release_id: str, indicator_id: str) -> list[str]:
    df = release().query("SELECT DISTINCT tingkat FROM cells WHERE indicator_id = ?", [indicator_id])
    return list(df["tingkat"])


@cache.memoize()
def series(release_id: str, indicator_id: str, kode: str, dimensi: str = "total", kategori: str = "total") -> pd.DataFrame:
    return release().query(
        "SELECT tahun, nilai, status, alasan FROM cells WHERE indicator_id = ? AND kode_wilayah = ? AND dimensi = ? AND kategori = ? ORDER BY tahun",
        [indicator_id, kode, dimensi, kategori],
    )


@cache.memoize()
def profile_cells(release_id: str, kodes: tuple[str, ...], tahun: int) -> pd.DataFrame:
    """Every total cell of some regions in one year (a region, its parent, the nation)."""
    placeholders = ", ".join("?" for _ in kodes)
    return release().query(
        f"SELECT indicator_id, kode_wilayah, nilai, status, periode FROM cells WHERE tahun = ? AND dimensi = 'total' AND kode_wilayah IN ({placeholders})",
        [tahun, *kodes],
    )
