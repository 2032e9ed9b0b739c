"""A map figure drawn as plain SVG, for the served HTML (before any script runs).

On a slow phone plotly.js takes seconds to arrive and start; the same figure drawn
here paints with the page's text. `choropleth_svg` reads the very figure the page
gives Dash (its regions, colours and hover lines), so the first picture and the
interactive map cannot disagree. Pure: geometry in, SVG text out.
"""
from __future__ import annotations

import html
import math
import re

WIDTH = 1000  # viewBox width; one unit is about 5 km on the national map

_TAGS = re.compile(r"<[^>]+>")


def _rings(geometry: dict):
    kind, coords = geometry["type"], geometry["coordinates"]
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    for polygon in polygons:
        yield from polygon


def projection(features: list[dict], width: int = WIDTH):
    """Equirectangular, x shrunk by cos(mid-latitude) (Indonesia straddles the equator, so this
    is close to the Mercator plotly draws); returns (project(lon, lat) → (x, y), height)."""
    lons = [p[0] for f in features for ring in _rings(f["geometry"]) for p in ring]
    lats = [p[1] for f in features for ring in _rings(f["geometry"]) for p in ring]
    if not lons:
        return (lambda lon, lat: (0.0, 0.0)), 1
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    shrink = math.cos(math.radians((north + south) / 2))
    scale = width / max((east - west) * shrink, 1e-9)
    height = max(1, math.ceil((north - south) * scale))
    return (lambda lon, lat: ((lon - west) * shrink * scale, (north - lat) * scale)), height


def _area(points) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]))) / 2


def path_data(geometry: dict, project, decimals: int = 0, min_area: float = 0.5) -> str:
    """One region's outline as SVG path data; points that round onto the previous one are dropped,
    and so are islets smaller than `min_area` square units (invisible; the region's largest ring
    always stays, so a small city is still drawn)."""
    rings = []
    for ring in _rings(geometry):
        points, last = [], None
        for lon, lat in (p[:2] for p in ring):
            x, y = project(lon, lat)
            pt = (round(x, decimals), round(y, decimals))
            if pt != last:
                points.append(pt)
                last = pt
        if points and points[0] == points[-1]:
            points.pop()
        if len(points) >= 3:
            rings.append(points)
    if not rings:
        return ""
    largest = max(rings, key=_area)
    kept = [r for r in rings if r is largest or _area(r) >= min_area]
    return "".join("M" + " ".join(f"{_num(x)} {_num(y)}" for x, y in r) + "Z" for r in kept)


def _num(v: float) -> str:
    text = f"{v:.1f}"
    return text[:-2] if text.endswith(".0") else text


def plain_text(hover: str) -> str:
    """A plotly hover line ('<b>Garut</b> (2025)<br>9,2 %') as a tooltip's plain words."""
    return _TAGS.sub("", hover.replace("<br>", " · ")).strip()


def _stepped_colours(trace: dict) -> list[str]:
    scale = trace.get("colorscale") or []
    return [c for _, c in scale[::2]] if scale else []


def region_fills(figure: dict) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """kode → (fill colour, tooltip) from a figure's choropleth traces, and the codes to outline
    (a trace with a transparent fill and a thick line marks one region among its siblings)."""
    fills, outlined = {}, []
    for trace in figure.get("data", []):
        if trace.get("type") != "choropleth":
            continue
        locations = list(trace.get("locations") or [])
        colours = _stepped_colours(trace)
        if colours and all("rgba(0,0,0,0)" in c.replace(" ", "") for c in colours):
            outlined += locations
            continue
        names = list(trace.get("text") or [None] * len(locations))
        hovers = list(trace.get("customdata") or trace.get("hovertext") or [""] * len(locations))
        zs = list(trace.get("z") or [0] * len(locations))
        zmin = trace.get("zmin", 0)
        zmax = trace.get("zmax", 1)
        for kode, name, hover, z in zip(locations, names, hovers, zs):
            if len(set(colours)) <= 1:
                colour = colours[0] if colours else "#cccccc"
            else:  # the stepped scale of map_figure: z = i paints colour i
                share = (z - zmin) / max(zmax - zmin, 1e-9)
                colour = colours[min(len(colours) - 1, max(0, int(share * len(colours))))]
            words = plain_text(str(hover))
            fills[kode] = (colour, f"{name} {words}" if name else words)
    return fills, outlined


def choropleth_svg(figure: dict, features: list[dict], label: str, width: int = WIDTH) -> str:
    """The figure's regions as an SVG image: fills and tooltips from the figure, geometry from
    `features` (GeoJSON features with properties.kode). Regions the figure does not name are
    left out, as plotly leaves them out."""
    fills, outlined = region_fills(figure)
    links = ((figure.get("layout") or {}).get("meta") or {}).get("tautan") or {}
    shown = [f for f in features if f.get("properties", {}).get("kode") in fills or f.get("properties", {}).get("kode") in outlined]
    project, height = projection(shown, width)
    paths = []
    for f in shown:
        kode = f["properties"]["kode"]
        d = path_data(f["geometry"], project)
        if not d or kode not in fills:
            continue
        colour, tip = fills[kode]
        path = f'<path d="{d}" fill="{html.escape(colour)}" data-kode="{html.escape(kode)}"><title>{html.escape(tip)}</title></path>'
        if kode in links:  # a tap drills down; keyboards use the table's links (hundreds of tab stops here would trap them)
            path = f'<a href="{html.escape(links[kode])}" tabindex="-1" aria-label="{html.escape(tip)}">{path}</a>'
        paths.append(path)
    for f in shown:
        if f["properties"]["kode"] in outlined:
            paths.append(f'<path d="{path_data(f["geometry"], project)}" fill="none" stroke="#111111" stroke-width="3"/>')
    return (f'<svg class="svg-map" viewBox="0 0 {width} {height}" preserveAspectRatio="xMidYMid meet" role="img" '
            f'aria-label="{html.escape(label)}" xmlns="http://www.w3.org/2000/svg">'
            f'<g stroke="#555555" stroke-width="0.5" stroke-linejoin="round">{"".join(paths)}</g></svg>')
