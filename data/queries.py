"""The queries pages and routes ask of a release, cached per release id.

Every query takes the release it reads (a request resolves its release once, in
web/release_context.py, and `release()` hands that one out); no query looks up a release itself."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from flask import g, has_request_context

import threading

from data.access import Release, ReleaseStore
from data.cache import cache
from data.search import Hit, SearchIndex

_store: ReleaseStore | None = None


def init_store(root: Path) -> ReleaseStore:
    global _store
    _store = ReleaseStore(root)
    return _store


def store() -> ReleaseStore:
    if _store is None:
        raise RuntimeError("init_store() belum dipanggil")
    return _store


def release() -> Release:
    """The release this request asked for (`rilis=<id>`, resolved once per request by
    web/release_context.py), else the current one. No page decides which release is current."""
    if has_request_context() and getattr(g, "release", None) is not None:
        return g.release
    return store().get()


def map_values(rel: Release, indicator_id: str, tahun: int, tingkat: str, dimensi: str, kategori: str, induk: str | None) -> pd.DataFrame:
    """Values of every region shown on a map: one level, optionally within a parent region
    (columns kode_wilayah, nama, kode_bps, nilai, status, alasan, pembilang, penyebut, periode,
    ordered by region code). An in-memory slice, cheaper than a cache round trip."""
    return rel.cells.map_values(indicator_id, tahun, tingkat, dimensi, kategori, induk)


@cache.memoize()
def cell(rel: Release, indicator_id: str, kode: str, tahun: int, dimensi: str = "total", kategori: str = "total") -> dict | None:
    df = rel.query(
        "SELECT nilai, status, alasan, pembilang, penyebut, periode FROM cells WHERE indicator_id = ? AND kode_wilayah = ? AND tahun = ? AND dimensi = ? AND kategori = ?",
        [indicator_id, kode, tahun, dimensi, kategori],
    )
    return None if df.empty else df.iloc[0].to_dict()


@cache.memoize()
def indicator_years(rel: Release, indicator_id: str) -> list[int]:
    df = rel.query("SELECT DISTINCT tahun FROM cells WHERE indicator_id = ? ORDER BY tahun", [indicator_id])
    return [int(y) for y in df["tahun"]]


@cache.memoize()
def published_categories(rel: Release, indicator_id: str, tingkat: str, tahun: int) -> dict[str, frozenset[str]]:
    """breakdown → its categories with at least one published value at this level in this year: a
    map that would be all grey or empty is never offered."""
    df = rel.query("SELECT DISTINCT dimensi, kategori FROM cells WHERE indicator_id = ? AND tingkat = ? AND tahun = ? AND status = 'ok'",
                         [indicator_id, tingkat, int(tahun)])
    return {d: frozenset(g["kategori"]) for d, g in df.groupby("dimensi")}


@cache.memoize()
def level_years(rel: Release, indicator_id: str, tingkat: str) -> list[int]:
    """The years with cells at this level (BPS may publish a year nationally before the provinces)."""
    df = rel.query("SELECT DISTINCT tahun FROM cells WHERE indicator_id = ? AND tingkat = ? ORDER BY tahun", [indicator_id, tingkat])
    return [int(y) for y in df["tahun"]]


@cache.memoize()
def indicator_levels(rel: Release, indicator_id: str) -> list[str]:
    df = rel.query("SELECT DISTINCT tingkat FROM cells WHERE indicator_id = ?", [indicator_id])
    return list(df["tingkat"])


def series(rel: Release, indicator_id: str, kode: str, dimensi: str = "total", kategori: str = "total") -> pd.DataFrame:
    """One region's value in every year it is published (tahun, nilai, status, alasan)."""
    info = rel.region(kode)  # None: an unknown code, whose series is empty
    return rel.cells.series(indicator_id, kode, info["tingkat"] if info else "", rel.years, dimensi, kategori)


@cache.memoize()
def profile_cells(rel: Release, kodes: tuple[str, ...], tahun: int, subjects: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every total cell of some regions (a region, its parent, the nation) in one year per indicator,
    like for like: the latest year up to `tahun` in which every subject (default: all of `kodes`) that has
    the indicator at all has a cell of it (else the latest any of them has). BPS publishes some figures
    for a province a year later than for the nation: a profile or comparison then shows that year's
    cells, and says which (column `tahun`), instead of leaving the indicator out."""
    placeholders = ", ".join("?" for _ in kodes)
    subjects = tuple(kodes) if subjects is None else subjects
    df = rel.query(
        f"SELECT indicator_id, kode_wilayah, tahun, nilai, status, periode FROM cells WHERE tahun <= ? AND dimensi = 'total' "
        f"AND kode_wilayah IN ({placeholders})", [tahun, *kodes])
    mine = df[df["kode_wilayah"].isin(subjects)]
    having = mine.groupby("indicator_id")["kode_wilayah"].nunique()
    per_year = mine.groupby(["indicator_id", "tahun"])["kode_wilayah"].nunique().reset_index()
    common = per_year[per_year["kode_wilayah"].to_numpy() == per_year["indicator_id"].map(having).to_numpy()]
    year = common.groupby("indicator_id")["tahun"].max().combine_first(mine.groupby("indicator_id")["tahun"].max())
    return df[df["tahun"] == df["indicator_id"].map(year)].reset_index(drop=True)


_search_lock = threading.Lock()
_search_index: dict[str, SearchIndex] = {}


def search_index(rel: Release) -> SearchIndex:
    """Built once per release (about a second), then shared by every request."""
    from data.catalog import DOMAIN_NAMES

    with _search_lock:
        if rel.id not in _search_index:
            inds = [(i.id, i.nama_id, DOMAIN_NAMES[i.domain], indicator_levels(rel, i.id), i.nama_en) for i in rel.catalog.values()]
            if len(_search_index) >= 2:  # the current release and one pinned one
                _search_index.pop(next(iter(_search_index)))
            _search_index[rel.id] = SearchIndex(rel.regions.reset_index(drop=True), inds)
        return _search_index[rel.id]


def search(rel: Release, query: str, limit: int = 10) -> list[Hit]:
    return search_index(rel).search(query, limit)


@cache.memoize()
def tracker(rel: Release, indicator_id: str, tingkat: str) -> dict:
    """Everything the target page shows for one indicator: the national series, the target, the
    path and every region's status (pure assessment in data/targets.py)."""
    from data.targets import assess, assess_regions, latest_target, parse_target, target_path

    ind = rel.catalog[indicator_id]
    dim, cat = ind.target_kategori.split(":") if ind.target_kategori else ("total", "total")
    years = indicator_years(rel, indicator_id)
    base_year, last_year = years[0], years[-1]
    rows = rel.targets[rel.targets["indikator"] == ind.target].to_dict("records")
    goal = latest_target(rows, base_year)
    if goal is None:
        return {}
    target = parse_target(goal["target_nilai"])
    target_year = int(goal["target_tahun"])
    national = series(rel, indicator_id, "00", dim, cat)
    ok = national[national["status"] == "ok"].set_index("tahun")["nilai"]
    v0, v1 = ok.get(base_year), ok.get(last_year)
    path_years = list(range(base_year, target_year + 1))
    path = target_path(base_year, v0, target_year, target.threshold(ind.arah), path_years) if v0 is not None else []
    # Regions are judged over the years they are published in (BPS may publish a year nationally first).
    region_years = [y for y in years if len(map_values(rel, indicator_id, y, tingkat, dim, cat, None))]
    r0, r1 = (region_years[0], region_years[-1]) if region_years else (base_year, last_year)
    regions = assess_regions(map_values(rel, indicator_id, r0, tingkat, dim, cat, None),
                             map_values(rel, indicator_id, r1, tingkat, dim, cat, None),
                             target, target_year, ind.arah, r0, r1)
    return {
        "dimensi": dim, "kategori": cat, "base_year": base_year, "last_year": last_year, "target_year": target_year,
        "target": target, "target_row": goal, "all_targets": rows, "national": national, "path_years": path_years, "path": path,
        "national_progress": assess(base_year, v0, last_year, v1, target, target_year, ind.arah), "regions": regions,
        "region_years": (r0, r1),
    }


@cache.memoize()
def profile_download(rel: Release, kodes: tuple[str, ...], desil_indicators: tuple[str, ...] = ()) -> pd.DataFrame:
    """What a region profile shows, every year: the total cells of the region, its parent and the
    nation, and the region's desil breakdown of `desil_indicators` (the profile's panels)."""
    places = ", ".join("?" for _ in kodes)
    inds = ", ".join("?" for _ in desil_indicators) or "NULL"
    return rel.query(
        f"SELECT indicator_id, kode_wilayah, tahun, dimensi, kategori, nilai, status, periode FROM cells "
        f"WHERE (dimensi = 'total' AND kode_wilayah IN ({places})) OR (dimensi = 'desil' AND kode_wilayah = ? AND indicator_id IN ({inds})) "
        f"ORDER BY tahun, indicator_id, kode_wilayah, kategori",
        [*kodes, kodes[0], *desil_indicators])


@cache.memoize()
def region_series(rel: Release, kode: str) -> pd.DataFrame:
    """Every total cell of one region, all years (the profile's trends)."""
    return rel.query(
        "SELECT indicator_id, tahun, nilai, status FROM cells WHERE kode_wilayah = ? AND dimensi = 'total' ORDER BY indicator_id, tahun", [kode])


@cache.memoize()
def breakdown(rel: Release, indicator_id: str, kode: str, tahun: int, dimensi: str) -> pd.DataFrame:
    """One region's cells over the categories of a breakdown (e.g. desil 1..10)."""
    return rel.query(
        "SELECT kategori, nilai, status, pembilang, penyebut FROM cells WHERE indicator_id = ? AND kode_wilayah = ? AND tahun = ? AND dimensi = ?",
        [indicator_id, kode, tahun, dimensi])


@cache.memoize()
def published_level_values(rel: Release, indicator_ids: tuple[str, ...], tingkat: str, tahun: int) -> pd.DataFrame:
    """The published (status ok) total values of some indicators for every region of one level in
    one year: what the similar-regions ranking may use, and nothing protected."""
    places = ", ".join("?" for _ in indicator_ids) or "NULL"
    return rel.query(
        f"SELECT kode_wilayah, indicator_id, nilai FROM cells WHERE tingkat = ? AND tahun = ? AND dimensi = 'total' AND status = 'ok' "
        f"AND nilai IS NOT NULL AND indicator_id IN ({places})", [tingkat, int(tahun), *indicator_ids])


@cache.memoize()
def similar_regions(rel: Release, kode: str) -> list:
    """The regions of the same level nearest to `kode` over data/similarity.py's stated indicators,
    in the latest year (the profile's year); [] for Indonesia or too few published values."""
    from data.similarity import INDICATORS, nearest

    info = rel.region(kode)
    if info is None or info["tingkat"] == "nasional":
        return []
    ids = tuple(i for i in INDICATORS if i in rel.catalog)
    return nearest(published_level_values(rel, ids, info["tingkat"], rel.years[-1]), kode)
