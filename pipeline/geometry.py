"""Light web geometry for the map: repaired, simplified as a coverage, rounded.

`shapely.coverage_simplify` simplifies shared edges once, so neighbours keep
meeting without gaps or slivers (topology-preserving), unlike per-polygon
simplification.
"""
from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

# Tolerance (degrees) and coordinate decimals per level: tuned so that the
# national kabupaten layer and one province's kecamatan stay small over the wire.
LEVEL_SETTINGS = {"provinsi": (0.02, 3), "kabupaten_kota": (0.012, 3), "kecamatan": (0.004, 4)}


def repair(geoms: np.ndarray) -> np.ndarray:
    """Valid (Multi)Polygons only: fix invalid rings, drop lines/points from GeometryCollections."""
    fixed = shapely.make_valid(geoms)
    out = []
    for g in fixed:
        parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
        polys = [q for p in parts for q in shapely.get_parts(p)]
        out.append(shapely.MultiPolygon(polys) if len(polys) != 1 else polys[0])
    return np.array(out, dtype=object)


def simplify_level(gdf: gpd.GeoDataFrame, tolerance: float, decimals: int) -> gpd.GeoDataFrame:
    geoms = repair(gdf.geometry.to_numpy())
    simple = shapely.coverage_simplify(geoms, tolerance=tolerance)
    simple = repair(simple)  # coordinates are rounded when written (to_geojson)
    # d3-geo (plotly's map engine) reads rings on the sphere: an exterior ring must run
    # clockwise, or it fills the rest of the globe instead of the region.
    simple = shapely.orient_polygons(simple, exterior_cw=True)
    out = gdf[["kode", "nama"]].copy()
    return gpd.GeoDataFrame(out, geometry=list(simple), crs=gdf.crs)


def to_geojson(gdf: gpd.GeoDataFrame, decimals: int) -> str:
    feats = []
    for kode, nama, geom in zip(gdf["kode"], gdf["nama"], gdf.geometry):
        if geom is None or geom.is_empty:
            continue
        g = json.loads(shapely.to_geojson(geom))
        feats.append({"type": "Feature", "id": kode, "properties": {"kode": kode, "nama": nama}, "geometry": _round(g, decimals)})
    return json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":"), ensure_ascii=False)


def _round(g: dict, decimals: int) -> dict:
    def r(c):
        return [r(x) for x in c] if isinstance(c[0], list) else [round(c[0], decimals), round(c[1], decimals)]

    return {"type": g["type"], "coordinates": r(g["coordinates"])}


def build_web_geometry(ref: Path, out: Path, provinces: list[str]) -> list[Path]:
    """Write geo/provinsi.geojson, geo/kabupaten_kota.geojson and geo/kecamatan/<prov>.geojson."""
    written = []
    (out / "kecamatan").mkdir(parents=True, exist_ok=True)
    for level, (tol, dec) in LEVEL_SETTINGS.items():
        gdf = gpd.read_parquet(ref / "geo" / f"{level}.parquet")
        gdf = gdf[gdf["kode"].str[:2].isin(provinces)].reset_index(drop=True)
        simple = simplify_level(gdf, tol, dec)
        if level == "kecamatan":
            for prov, part in simple.groupby(simple["kode"].str[:2]):
                path = out / "kecamatan" / f"{prov}.geojson"
                path.write_text(to_geojson(part, dec), encoding="utf-8")
                written.append(path)
        else:
            path = out / f"{level}.geojson"
            path.write_text(to_geojson(simple, dec), encoding="utf-8")
            written.append(path)
    return written
