"""The map figure: classed choropleth of published values, protected cells drawn apart.

The geometry is a URL to a static, cacheable file of the release; the figure
itself carries only codes, classes and hover text.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.formatting import format_numbers, unit_affixes
from components.i18n import N_, _
from components.legend import (
    MISSING_COLOUR,
    PROTECTED_COLOUR,
    class_labels,
    classify,
    palette_for,
    quantile_breaks,
)

# Plotly fetches its (empty) base map from a CDN unless told otherwise: serve it locally.
MAP_CONFIG = {"displayModeBar": False, "scrollZoom": False, "topojsonURL": "/assets/topojson/", "responsive": True}

STATUS_TEXT = {
    # The rule's name only: which part was small (the cell, those counted, those not) would say where.
    "S1": N_("dilindungi (S1: terlalu sedikit rumah tangga atau orang di sel, atau di antara yang dihitung atau tidak dihitung)"),
    "S2": N_("dilindungi (S2: disembunyikan agar sel kecil lain tidak bisa dihitung dari selisih)"),
    "NA": N_("tidak berlaku (tidak ada penduduk sasaran)"),
}


def status_label(status: str) -> str:
    return _(STATUS_TEXT[status]) if status in STATUS_TEXT else _("tidak tersedia")


@dataclass(frozen=True)
class NumberTexts:
    """Each region's value, numerator and denominator as shown (formatted once per switch,
    for the hover lines and the table alike)."""

    nilai: list[str]
    pembilang: list[str]
    penyebut: list[str]

    @classmethod
    def of(cls, df: pd.DataFrame, decimals: int) -> "NumberTexts":
        blank = [""] * len(df)
        return cls(format_numbers(df["nilai"].tolist(), decimals),
                   format_numbers(df["pembilang"].tolist(), 0) if "pembilang" in df else blank,
                   format_numbers(df["penyebut"].tolist(), 0) if "penyebut" in df else blank)


def hover_texts(df: pd.DataFrame, decimals: int, satuan: str, tahun: int, with_names: bool = True,
                texts: NumberTexts | None = None) -> list[str]:
    """Per region: year, value, rank and numerator/denominator, or why it is not shown.
    with_names=False leaves the name out (the figure carries names once, in `text`)."""
    status = df["status"].tolist()
    ok = [s == "ok" for s in status]
    nilai = df["nilai"].to_numpy(dtype=float)
    ranks = pd.Series(np.where(ok, nilai, np.nan)).rank(ascending=False, method="min").tolist()
    n_ok = sum(ok)
    before, after = unit_affixes(satuan)
    texts = texts or NumberTexts.of(df, decimals)
    values, nums, dens = texts.nilai, texts.pembilang, texts.penyebut
    names = df["nama"].tolist() if with_names else [None] * len(df)
    out = []
    rank_of, share_of = _("peringkat {rank} dari {n}"), _("{a} dari {b}")  # looked up once, not per region
    why = {st: status_label(st) for st in set(status) if st != "ok"}
    for is_ok, nama, value, rank, st, a, b in zip(ok, names, values, ranks, status, nums, dens):
        head = (f"<b>{nama}</b> " if with_names else "") + f"({tahun})<br>"
        if is_ok:
            text = f"{head}{before}{value}{after}<br>" + rank_of.format(rank=int(rank), n=n_ok)
            if a and b:
                text += "<br>" + share_of.format(a=a, b=b)
        else:
            text = head + why[st]
        out.append(text)
    return out


def map_extent(lat, lng, pad: float = 0.25, min_span: float = 0.08) -> dict:
    """Axis ranges around the shown regions' centroids, padded in proportion so that a city's
    kecamatan fill the map as a country's provinces do (plotly's fitbounds clips eastern Indonesia)."""
    lat0, lat1, lng0, lng1 = min(lat), max(lat), min(lng), max(lng)
    dlat, dlng = max(lat1 - lat0, min_span), max(lng1 - lng0, min_span)
    return {"lataxis_range": [lat0 - pad * dlat, lat1 + pad * dlat], "lonaxis_range": [lng0 - pad * dlng, lng1 + pad * dlng]}


def bounds_extent(bounds, pad: float = 0.03, min_span: float = 0.08) -> dict | None:
    """Axis ranges around the regions' whole boundaries ((west, south, east, north) each), so no
    edge region is cut (centroids alone cut Gunungkidul's coast and Papua's east)."""
    if not bounds:
        return None
    west, south = min(b[0] for b in bounds), min(b[1] for b in bounds)
    east, north = max(b[2] for b in bounds), max(b[3] for b in bounds)
    dlng, dlat = max(east - west, min_span), max(north - south, min_span)
    return {"lataxis_range": [south - pad * dlat, north + pad * dlat], "lonaxis_range": [west - pad * dlng, east + pad * dlng]}


@dataclass(frozen=True)
class MapValues:
    """What changes when only the indicator, year or breakdown changes: one class per region
    (0..n-1 value classes, then 'dilindungi', then 'tidak berlaku'), hover lines, the colours."""

    z: list[int]
    hover: list[str]
    colours: list[str]
    legend: list[tuple[str, str, int]]  # (colour, label, regions)

    def colorscale(self) -> list[list]:
        """Stepped: category i owns the band [i/m, (i+1)/m] so z = i paints colour i exactly."""
        m = len(self.colours)
        out = []
        for i, c in enumerate(self.colours):
            out += [[i / m, c], [(i + 1) / m, c]]
        return out


def map_classes(df: pd.DataFrame, decimals: int, satuan: str, arah: str, tahun: int, texts: NumberTexts | None = None) -> MapValues:
    df = df.reset_index(drop=True)
    ok = (df["status"] == "ok").to_numpy()
    values = df.loc[ok, "nilai"].astype(float).tolist()
    breaks = quantile_breaks(values)
    palette = palette_for(arah)[-max(len(breaks), 1):] if len(breaks) < 5 else palette_for(arah)
    labels = class_labels(values, breaks, decimals)
    classes = iter(classify(values, breaks))
    n = len(labels)
    protected = df["status"].isin(["S1", "S2"]).to_numpy()
    z = [next(classes) if is_ok else (n if prot else n + 1) for is_ok, prot in zip(ok, protected)]
    colours = palette[:n] + [PROTECTED_COLOUR, MISSING_COLOUR]
    counts = np.bincount(np.asarray(z, dtype=int), minlength=n + 2) if z else np.zeros(n + 2, dtype=int)
    legend = [(palette[k], labels[k], int(counts[k])) for k in range(n)]
    legend += [(PROTECTED_COLOUR, _("dilindungi (S1/S2)"), int(counts[n])), (MISSING_COLOUR, _("tidak berlaku / tidak tersedia"), int(counts[n + 1]))]
    return MapValues(z, hover_texts(df, decimals, satuan, tahun, with_names=False, texts=texts), colours, [e for e in legend if e[2]])


def map_figure(df: pd.DataFrame, geojson_url: str, decimals: int, satuan: str, arah: str, tahun: int, title: str = "",
               extent: dict | None = None, vals: MapValues | None = None) -> dict:
    """df: kode_wilayah, nama, nilai, status, pembilang, penyebut (one row per region shown).

    One choropleth trace over every region shown, as a plain dict (plotly's validating
    objects cost more time than the rest of the callback). The region codes and names are
    sent with the figure; a later change of indicator, year or breakdown over the same
    regions sends only `map_patch` (classes, hover lines, colours)."""
    vals = vals or map_classes(df, decimals, satuan, arah, tahun)
    trace = {
        "type": "choropleth", "geojson": geojson_url, "featureidkey": "properties.kode",
        "locations": df["kode_wilayah"].tolist(), "text": df["nama"].tolist(),
        "z": vals.z, "zmin": -0.5, "zmax": len(vals.colours) - 0.5, "colorscale": vals.colorscale(), "showscale": False,
        "customdata": vals.hover, "hovertemplate": "<b>%{text}</b> %{customdata}<extra></extra>",
        "marker": {"line": {"color": "#555555", "width": 0.4}},
    }
    geo = {"visible": False, "projection": {"type": "mercator"}, **(extent or {"fitbounds": "locations"})}
    if extent:
        geo = {"visible": False, "projection": {"type": "mercator"}, "lataxis": {"range": extent["lataxis_range"]}, "lonaxis": {"range": extent["lonaxis_range"]}}
    layout = {"geo": geo, "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "autosize": True, "paper_bgcolor": "white", "dragmode": False,
              "showlegend": False, "uirevision": geojson_url}
    return {"data": [trace], "layout": layout}


def with_outline(fig: dict, geojson_url: str, kode: str) -> dict:
    """The map with one region drawn round in a thick dark line (a kecamatan among its siblings)."""
    outline = {"type": "choropleth", "geojson": geojson_url, "featureidkey": "properties.kode", "locations": [kode], "z": [0],
               "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], "showscale": False, "hoverinfo": "skip",
               "marker": {"line": {"color": "#111111", "width": 3}}}
    return {**fig, "data": list(fig["data"]) + [outline]}


def with_links(fig: dict, links: dict[str, str]) -> dict:
    """Where a tap on each region leads, for the served SVG map (plotly ignores layout.meta): a
    reader without JavaScript, or before it arrives, drills down by following a link."""
    return {**fig, "layout": {**fig["layout"], "meta": {"tautan": links}}}


def map_patch(vals: MapValues):
    """The values-only update of a figure made by `map_figure` over the same regions."""
    from dash import Patch

    patch = Patch()
    patch["data"][0]["z"] = vals.z
    patch["data"][0]["customdata"] = vals.hover
    patch["data"][0]["colorscale"] = vals.colorscale()
    patch["data"][0]["zmax"] = len(vals.colours) - 0.5
    return patch


def regions_key(geojson_url: str, codes) -> str:
    """Identifies the regions a figure draws: when it is unchanged, only values need sending."""
    import hashlib

    return hashlib.blake2b((geojson_url + "|" + "|".join(codes)).encode(), digest_size=8).hexdigest()


def legend_items(vals: MapValues, title: str):
    """The map's legend as text (readable by everyone, patched with the values)."""
    from dash import html

    return [html.P(title, className="legend-title"),
            html.Ul([html.Li([html.Span(className="swatch", style={"background": c}, **{"aria-hidden": "true"}), f"{label} ({n})"])
                     for c, label, n in vals.legend], className="legend-list")]


def coverage_sentence(df: pd.DataFrame, level_name: str) -> str:
    """'412 dari 514 kabupaten/kota punya nilai yang dipublikasikan; 102 dilindungi.'
    level_name: the level's name as counted (components.texts.level_name(…, plural=True))."""
    n = len(df)
    status = df["status"].tolist()
    ok, s1, s2 = status.count("ok"), status.count("S1"), status.count("S2")
    na = n - ok - s1 - s2
    text = _("{ok} dari {n} {level} punya nilai yang dipublikasikan.").format(ok=ok, n=n, level=level_name)
    if s1:
        text += " " + _("{k} dilindungi karena terlalu sedikit rumah tangga atau orang di sel, atau di antara yang dihitung atau tidak dihitung (S1).").format(k=s1)
    if s2:
        text += " " + _("{k} dilindungi agar sel kecil lain tidak bisa dihitung dari selisih (S2).").format(k=s2)
    if na:
        text += " " + _("{k} tidak berlaku.").format(k=na)
    if n and (s1 + s2) > n / 3:
        text += " " + _("Coba tingkat wilayah yang lebih besar atau kategori 'total' untuk melihat lebih banyak nilai.")
    if ok:
        shown = [(v, nama) for v, nama, st in zip(df["nilai"].tolist(), df["nama"].tolist(), status) if st == "ok"]
        order = sorted(range(len(shown)), key=lambda i: shown[i][0])  # stable: ties keep region order
        text += " " + _("Terendah: {low}; tertinggi: {high}.").format(low=shown[order[0]][1], high=shown[order[-1]][1])
    return text


def _trace(part: pd.DataFrame, geojson_url: str, colour: str, name: str) -> go.Choropleth:
    return go.Choropleth(
        geojson=geojson_url, featureidkey="properties.kode", locations=part["kode_wilayah"].tolist(), z=[1] * len(part),
        colorscale=[[0, colour], [1, colour]], showscale=False, marker_line_color="#555555", marker_line_width=0.4,
        hovertext=part["hover"].tolist(), hoverinfo="text", name=name, showlegend=True,
    )


def category_map_figure(df: pd.DataFrame, geojson_url: str, category: str, order: list[str], labels: dict, colours: dict,
                        hover: list[str], extent: dict | None = None) -> go.Figure:
    """A map of categories (e.g. target status): one trace per category, in `order`, named by `labels`."""
    df = df.reset_index(drop=True).assign(hover=hover)
    fig = go.Figure()
    for key in order:
        part = df[df[category] == key]
        if len(part):
            fig.add_trace(_trace(part, geojson_url, colours[key], f"{labels[key]} ({len(part)})"))
    fig.update_geos(visible=False, projection_type="mercator", **(extent or {"fitbounds": "locations"}))
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, autosize=True, paper_bgcolor="white", dragmode=False,
                      legend={"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0, "font": {"size": 12}})
    return fig
