"""The map figure: classed choropleth of published values, protected cells drawn apart.

The geometry is a URL to a static, cacheable file of the release; the figure
itself carries only codes, classes and hover text.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components.formatting import format_number, format_value
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
    "S1": "dilindungi (S1: penekanan primer, sel terlalu kecil)",
    "S2": "dilindungi (S2: penekanan komplementer)",
    "NA": "tidak berlaku (tidak ada penduduk sasaran)",
}


def status_label(status: str) -> str:
    return STATUS_TEXT.get(status, "tidak tersedia")


def hover_texts(df: pd.DataFrame, decimals: int, satuan: str, tahun: int) -> list[str]:
    ok = (df["status"] == "ok").to_numpy()
    ranked = df["nilai"].where(ok).rank(ascending=False, method="min")
    n_ok = int(ok.sum())
    num = df["pembilang"] if "pembilang" in df else pd.Series(None, index=df.index)
    den = df["penyebut"] if "penyebut" in df else pd.Series(None, index=df.index)
    out = []
    for is_ok, nama, nilai, rank, status, a, b in zip(ok, df["nama"], df["nilai"], ranked, df["status"], num, den):
        head = f"<b>{nama}</b> ({tahun})<br>"
        if is_ok:
            text = head + format_value(nilai, decimals, satuan) + f"<br>peringkat {int(rank)} dari {n_ok}"
            if pd.notna(a) and pd.notna(b):
                text += f"<br>{format_number(a)} dari {format_number(b)}"
        else:
            text = head + status_label(status)
        out.append(text)
    return out


def map_extent(lat, lng, pad: float = 0.25, min_span: float = 0.08) -> dict:
    """Axis ranges around the shown regions' centroids, padded in proportion so that a city's
    kecamatan fill the map as a country's provinces do (plotly's fitbounds clips eastern Indonesia)."""
    lat0, lat1, lng0, lng1 = min(lat), max(lat), min(lng), max(lng)
    dlat, dlng = max(lat1 - lat0, min_span), max(lng1 - lng0, min_span)
    return {"lataxis_range": [lat0 - pad * dlat, lat1 + pad * dlat], "lonaxis_range": [lng0 - pad * dlng, lng1 + pad * dlng]}


def map_figure(df: pd.DataFrame, geojson_url: str, decimals: int, satuan: str, arah: str, tahun: int, title: str, extent: dict | None = None) -> go.Figure:
    """df: kode_wilayah, nama, nilai, status, pembilang, penyebut (one row per region shown)."""
    df = df.reset_index(drop=True)
    ok = df["status"] == "ok"
    values = df.loc[ok, "nilai"].astype(float).tolist()
    breaks = quantile_breaks(values)
    palette = palette_for(arah)[-max(len(breaks), 1):] if len(breaks) < 5 else palette_for(arah)
    labels = class_labels(values, breaks, decimals)
    hover = hover_texts(df, decimals, satuan, tahun)
    df = df.assign(hover=hover)
    fig = go.Figure()
    classes = classify(df.loc[ok, "nilai"].astype(float).tolist(), breaks)
    shown = df[ok].assign(kelas=classes)
    for k, label in enumerate(labels):
        part = shown[shown["kelas"] == k]
        fig.add_trace(_trace(part, geojson_url, palette[k], label))
    protected = df[df["status"].isin(["S1", "S2"])]
    if len(protected):
        fig.add_trace(_trace(protected, geojson_url, PROTECTED_COLOUR, "dilindungi (S1/S2)"))
    missing = df[~ok & ~df["status"].isin(["S1", "S2"])]
    if len(missing):
        fig.add_trace(_trace(missing, geojson_url, MISSING_COLOUR, "tidak berlaku / tidak tersedia"))
    fig.update_geos(visible=False, projection_type="mercator", **(extent or {"fitbounds": "locations"}))
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        legend={"title": {"text": title, "side": "top"}, "orientation": "h", "yanchor": "top", "y": -0.02, "x": 0, "font": {"size": 12}},
        autosize=True,
        paper_bgcolor="white",
        dragmode=False,
        uirevision=geojson_url,  # keep zoom while only the values change
    )
    return fig


def _trace(part: pd.DataFrame, geojson_url: str, colour: str, name: str) -> go.Choropleth:
    return go.Choropleth(
        geojson=geojson_url,
        featureidkey="properties.kode",
        locations=part["kode_wilayah"].tolist(),
        z=[1] * len(part),
        colorscale=[[0, colour], [1, colour]],
        showscale=False,
        marker_line_color="#555555",
        marker_line_width=0.4,
        hovertext=part["hover"].tolist(),
        hoverinfo="text",
        name=name,
        showlegend=True,
    )


def coverage_sentence(df: pd.DataFrame, level_name: str) -> str:
    """'412 dari 514 kabupaten/kota punya nilai yang dipublikasikan; 102 dilindungi.'"""
    n = len(df)
    ok = int((df["status"] == "ok").sum())
    s1 = int((df["status"] == "S1").sum())
    s2 = int((df["status"] == "S2").sum())
    na = n - ok - s1 - s2
    text = f"{ok} dari {n} {level_name} punya nilai yang dipublikasikan."
    if s1 or s2:
        text += f" {s1 + s2} dilindungi (S1 primer: {s1}, S2 komplementer: {s2}) karena terlalu sedikit rumah tangga atau orang di dalam sel."
    if na:
        text += f" {na} tidak berlaku."
    if n and (s1 + s2) > n / 3:
        text += " Coba tingkat wilayah yang lebih besar atau kategori 'total' untuk melihat lebih banyak nilai."
    if ok:
        best = df[df["status"] == "ok"].sort_values("nilai")
        text += f" Terendah: {best.iloc[0]['nama']}; tertinggi: {best.iloc[-1]['nama']}."
    return text


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
