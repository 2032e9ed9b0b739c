"""Small figures (trend, ranking, distribution, target path) and their text alternatives.

Pure: data in, a plotly figure or a sentence out. Every chart on the portal has a
sentence or table beside it that says the same thing (WCAG 1.1.1), built here
from the same numbers.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.formatting import format_number, format_value, plotly_separators, unit_name
from components.i18n import _

INK, ACCENT, MUTED, TARGET = "#1f2d3d", "#0b5cab", "#6c757d", "#b35806"
BASE_LAYOUT = dict(
    margin={"l": 48, "r": 12, "t": 8, "b": 36},
    paper_bgcolor="white",
    plot_bgcolor="white",
    font={"size": 13, "color": INK},
    dragmode=False,
    showlegend=False,
)
GRAPH_CONFIG = {"displayModeBar": False, "responsive": True}


def _axis_format(decimals: int) -> dict:
    return {"tickformat": f",.{decimals}f", "separatethousands": True}


def trend_figure(series: pd.DataFrame, decimals: int, satuan: str, height: int = 220) -> go.Figure:
    """series: tahun, nilai, status. Protected years are gaps, marked below the axis."""
    ok = series[series["status"] == "ok"]
    fig = go.Figure(go.Scatter(
        x=ok["tahun"], y=ok["nilai"], mode="lines+markers+text", line={"color": ACCENT, "width": 3}, marker={"size": 9},
        text=[format_number(v, decimals) for v in ok["nilai"]], textposition="top center", cliponaxis=False,
        hovertext=[f"{t}: {format_value(v, decimals, satuan)}" for t, v in zip(ok["tahun"], ok["nilai"])], hoverinfo="text",
    ))
    fig.update_layout(**BASE_LAYOUT, height=height, separators=plotly_separators())
    fig.update_xaxes(tickmode="array", tickvals=list(series["tahun"]), showgrid=False, range=_year_range(series["tahun"]))
    fig.update_yaxes(gridcolor="#e9ecef", zeroline=False, rangemode="tozero" if satuan == "persen" else "normal", **_axis_format(decimals))
    return fig


def _year_range(years) -> list[float]:
    years = list(years)
    return [min(years) - 0.4, max(years) + 0.4] if years else [0, 1]


def trend_sentence(name: str, series: pd.DataFrame, decimals: int, satuan: str) -> str:
    ok = series[series["status"] == "ok"]
    hidden = series[series["status"] != "ok"]
    if ok.empty:
        return _("{name}: tidak ada nilai yang dipublikasikan pada tahun-tahun rilis ini.").format(name=name)
    parts = [f"{int(t)}: {format_value(v, decimals, satuan)}" for t, v in zip(ok["tahun"], ok["nilai"])]
    text = f"{name} — " + "; ".join(parts) + "."
    if len(hidden):
        text += " " + _("Dilindungi pada {years}.").format(years=", ".join(str(int(t)) for t in hidden["tahun"]))
    return text


def ranked_dots(df: pd.DataFrame, decimals: int, satuan: str, highlight: str | None = None) -> go.Figure:
    """df: nama, nilai, status, kode_wilayah — published rows as a dot plot (a lollipop from 0),
    highest on top. Dots, not bars: the portal's plotly bundle holds scatter and choropleth only."""
    ok = df[df["status"] == "ok"].sort_values("nilai")
    colours = [TARGET if k == highlight else ACCENT for k in ok["kode_wilayah"]]
    values = ok["nilai"].astype(float).tolist()
    fig = go.Figure(go.Scatter(
        x=values, y=ok["nama"], mode="markers+text", marker={"color": colours, "size": 9},
        error_x={"type": "data", "symmetric": False, "array": [0] * len(values), "arrayminus": values, "width": 0, "color": "#9db7d5", "thickness": 2},
        text=[format_number(v, decimals) for v in values], textposition="middle right", cliponaxis=False,
        hovertext=[f"{n}: {format_value(v, decimals, satuan)}" for n, v in zip(ok["nama"], values)], hoverinfo="text",
    ))
    fig.update_layout(**{**BASE_LAYOUT, "margin": {"l": 8, "r": 56, "t": 8, "b": 24}}, height=max(160, 19 * len(ok) + 40), separators=plotly_separators())
    fig.update_yaxes(automargin=True, tickfont={"size": 11}, type="category")
    fig.update_xaxes(gridcolor="#e9ecef", rangemode="tozero", **_axis_format(decimals))
    return fig


def strip_plot(df: pd.DataFrame, decimals: int, satuan: str) -> go.Figure:
    """Every published region as one dot along the value axis (jittered so none hides another)."""
    ok = df[df["status"] == "ok"]
    rng = np.random.default_rng(7)  # fixed: the same page draws the same picture
    fig = go.Figure(go.Scatter(
        x=ok["nilai"].astype(float).tolist(), y=rng.uniform(-1, 1, len(ok)).round(3).tolist(), mode="markers",
        marker={"color": ACCENT, "size": 6, "opacity": 0.55},
        hovertext=[f"{n}: {format_value(v, decimals, satuan)}" for n, v in zip(ok["nama"], ok["nilai"])], hoverinfo="text",
    ))
    fig.update_layout(**BASE_LAYOUT, height=180, separators=plotly_separators())
    fig.update_xaxes(title_text=unit_name(satuan), gridcolor="#e9ecef", **_axis_format(decimals))
    fig.update_yaxes(visible=False, range=[-1.6, 1.6])
    return fig


def distribution_sentence(df: pd.DataFrame, level_name: str, decimals: int, satuan: str) -> str:
    """Median and spread of the published values, and how many are protected."""
    ok = df[df["status"] == "ok"]["nilai"].astype(float)
    n, shown = len(df), len(ok)
    if not shown:
        return _("Tidak ada {level} dengan nilai yang dipublikasikan.").format(level=level_name)
    q1, med, q3 = ok.quantile([0.25, 0.5, 0.75])
    fv = lambda v: format_value(v, decimals, satuan)
    text = _("{shown} dari {n} {level} punya nilai yang dipublikasikan. Nilai tengahnya {median}; separuh {level} "
             "berada antara {q1} dan {q3}; terendah {low}, tertinggi {high}.").format(
        shown=shown, n=n, level=level_name, median=fv(med), q1=fv(q1), q3=fv(q3), low=fv(ok.min()), high=fv(ok.max()))
    if shown < n:
        text += " " + _("{k} dilindungi atau tidak berlaku.").format(k=n - shown)
    return text


def target_figure(actual: pd.DataFrame, path_years: list[int], path_values: list[float], target_year: int,
                  target_low: float | None, target_high: float | None, decimals: int, satuan: str) -> go.Figure:
    """The observed national series against the straight path to the target (and the target band)."""
    fig = go.Figure()
    if target_low is not None and target_high is not None and target_low != target_high:
        fig.add_shape(type="rect", x0=target_year - 0.3, x1=target_year + 0.3, y0=target_low, y1=target_high,
                      fillcolor=TARGET, opacity=0.25, line_width=0)
    fig.add_trace(go.Scatter(x=path_years, y=path_values, mode="lines", line={"color": TARGET, "dash": "dash", "width": 2},
                             name=_("jalur target"), hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[target_year], y=[path_values[-1]], mode="markers+text", marker={"color": TARGET, "size": 11, "symbol": "diamond"},
                             text=[_("target {value}").format(value=format_number(path_values[-1], decimals))], textposition="top center",
                             cliponaxis=False, name=_("target"), hoverinfo="text",
                             hovertext=[_("target {year}: {value}").format(year=target_year, value=format_value(path_values[-1], decimals, satuan))]))
    ok = actual[actual["status"] == "ok"]
    fig.add_trace(go.Scatter(x=ok["tahun"], y=ok["nilai"], mode="lines+markers", line={"color": ACCENT, "width": 3}, marker={"size": 9},
                             name=_("teramati"), hoverinfo="text",
                             hovertext=[f"{t}: {format_value(v, decimals, satuan)}" for t, v in zip(ok["tahun"], ok["nilai"])]))
    fig.update_layout(**{**BASE_LAYOUT, "showlegend": True}, height=260, separators=plotly_separators(),
                      legend={"orientation": "h", "y": -0.18, "x": 0})
    first = min([*path_years, *actual["tahun"].astype(int).tolist()])  # the observed years always show
    fig.update_xaxes(tickmode="linear", dtick=1, showgrid=False, range=[first - 0.4, target_year + 0.5])
    fig.update_yaxes(gridcolor="#e9ecef", **_axis_format(decimals))
    return fig
