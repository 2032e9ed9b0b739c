"""The portal's charts drawn as plain SVG, for images and embeds (no browser, no plotly.js):
a trend with one line per region, and regions ranked as dots.

Pure: numbers in, an `<svg viewBox=…>` out, which components/figure_image.py frames with a
title, legend and source. Only published values are passed in; a year without one is a gap in
its line, never a point. Each point carries `data-kode`, `data-tahun` and `data-nilai` (the value
as published, rounded to the indicator's decimals, '.' decimal mark) so a test, or a reader's
program, can hold the picture to the page and the API.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from components.formatting import format_number

WIDTH = 1120
INK, GRID, MUTED = "#212529", "#dee2e6", "#555555"
# The region itself first, then the regions above it, then Indonesia: told apart by colour,
# dash and marker, so a grey-scale print or a colour-blind reader still can.
STYLES = (("#0b5cab", "", "circle"), ("#b35806", "8 5", "square"), ("#1b7837", "2 4", "diamond"), ("#555555", "12 4 2 4", "triangle"),
          ("#762a83", "6 3 1 3", "circle"))  # five: a comparison's most


@dataclass(frozen=True)
class Line:
    kode: str
    label: str
    points: dict[int, float]   # year → published value (protected or missing years are absent)
    hidden: tuple[int, ...]    # years the region's cell exists but is protected (said in the notes)


def style(n: int) -> tuple[str, str, str]:
    return STYLES[min(n, len(STYLES) - 1)]


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (1, 2, 2.5 or 5 × a power of ten apart)."""
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks, t = [], start
    while t < hi + step * 0.999:
        ticks.append(round(t, 10))
        t += step
    return ticks


def axis_span(lo: float, hi: float, pad: float, percent: bool) -> tuple[float, float]:
    """The value axis's ends around [lo, hi] with `pad` either side; a percentage's stop at 0 and 100
    when its values do (a padded 98 % would otherwise draw ticks up to 125, or 100.5)."""
    bottom, top = lo - pad, hi + pad
    if percent:
        bottom = max(bottom, 0.0) if lo >= 0 else bottom
        top = min(top, 100.0) if hi <= 100 else top
    return bottom, top


def _tick_decimals(ticks: list[float], decimals: int) -> int:
    """As few decimals as tell the ticks apart (never more than the indicator's)."""
    for d in range(0, decimals + 1):
        if len({round(t, d) for t in ticks}) == len(ticks) and all(abs(t - round(t, d)) < 1e-9 for t in ticks):
            return d
    return decimals


def _years_and_values(ticks, decimals: int, py, xs: dict, left: float, right: float, height: int, year_size: int) -> list[str]:
    """A years-across chart's frame: a grid line and a label per value tick, a label per year."""
    td = _tick_decimals(ticks, decimals)
    parts = []
    for t in ticks:
        parts.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{py(t):.1f}" y2="{py(t):.1f}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 10}" y="{py(t) + 6:.1f}" font-size="17" text-anchor="end" fill="{MUTED}">{format_number(t, td)}</text>')
    for y, x in xs.items():
        parts.append(f'<text x="{x:.1f}" y="{height - 16}" font-size="{year_size}" text-anchor="middle" fill="{INK}">{y}</text>')
    return parts


def _marker(shape: str, x: float, y: float, colour: str, attrs: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="{colour}" {attrs}/>'
    if shape == "diamond":
        return f'<path d="M{x:.1f} {y - 8:.1f}L{x + 8:.1f} {y:.1f}L{x:.1f} {y + 8:.1f}L{x - 8:.1f} {y:.1f}Z" fill="{colour}" {attrs}/>'
    if shape == "triangle":
        return f'<path d="M{x:.1f} {y - 8:.1f}L{x + 7:.1f} {y + 6:.1f}L{x - 7:.1f} {y + 6:.1f}Z" fill="{colour}" {attrs}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6.5" fill="{colour}" {attrs}/>'


def machine_value(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def trend_svg(lines: list[Line], years: list[int], decimals: int, from_zero: bool, label: str, height: int = 460) -> str:
    """Years across, values up; each line broken where a year has no published value. The first
    line's values are written by its points (the others are read off the axis and the table)."""
    left, right, top, bottom = 90, 30, 30, 50
    values = [v for line in lines for v in line.points.values()]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if from_zero:
        lo = min(lo, 0.0)
    pad = (hi - lo) * 0.08 or abs(hi) * 0.1 or 1.0
    ticks = nice_ticks(*axis_span(lo, hi, pad, percent=from_zero))  # from_zero: a percentage
    y0, y1 = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    inset = 40  # the first and last years' markers and labels clear the axis and the edge
    step = (plot_w - 2 * inset) / max(len(years) - 1, 1)
    xs = {y: left + inset + (i * step if len(years) > 1 else plot_w / 2 - inset) for i, y in enumerate(years)}

    def py(v: float) -> float:
        return top + plot_h - (v - y0) / ((y1 - y0) or 1) * plot_h

    parts = _years_and_values(ticks, decimals, py, xs, left, right, height, year_size=18)
    for n, line in reversed(list(enumerate(lines))):  # the region itself drawn last, on top
        colour, dash, shape = style(n)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        run: list[tuple[float, float]] = []
        for y in years + [None]:
            if y is not None and y in line.points:
                run.append((xs[y], py(line.points[y])))
                continue
            if len(run) > 1:
                pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in run)
                parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="{4 if n == 0 else 3}"{dash_attr}/>')
            run = []
        for y in years:
            if y not in line.points:
                continue
            v = line.points[y]
            attrs = f'data-kode="{escape(line.kode)}" data-tahun="{y}" data-nilai="{machine_value(v, decimals)}"'
            parts.append(_marker(shape, xs[y], py(v), colour, attrs))
            if n == 0:  # its label above it, or below when another line runs above it that year
                above = [o.points[y] for o in lines[1:] if y in o.points and o.points[y] >= v]
                ly = py(v) + 30 if above and py(v) - py(min(above)) < 34 else py(v) - 14
                parts.append(f'<text x="{xs[y]:.1f}" y="{ly:.1f}" font-size="18" font-weight="bold" text-anchor="middle" '
                             f'fill="{colour}" stroke="#ffffff" stroke-width="4" paint-order="stroke">{format_number(v, decimals)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="svg-chart" role="img" '
            f'aria-label="{escape(label)}">{"".join(parts)}</svg>')


@dataclass(frozen=True)
class Ranked:
    kode: str
    name: str
    value: float


def ranked_svg(rows: list[Ranked], decimals: int, label: str, highlight: str | None = None) -> str:
    """Published regions as lollipops from zero (or from the lowest value when some are negative),
    highest on top; the region `highlight` in the second colour."""
    left, right, top, row_h = 300, 110, 20, 26
    rows = sorted(rows, key=lambda r: -r.value)
    height = top + row_h * len(rows) + 50
    lo = min([0.0] + [r.value for r in rows])
    hi = max([r.value for r in rows] + [lo + 1e-9])
    ticks = nice_ticks(lo, hi)
    x0, x1 = ticks[0], ticks[-1]
    plot_w = WIDTH - left - right

    def px(v: float) -> float:
        return left + (v - x0) / ((x1 - x0) or 1) * plot_w

    td = _tick_decimals(ticks, decimals)
    parts = []
    axis_y = top + row_h * len(rows) + 4
    for t in ticks:
        parts.append(f'<line x1="{px(t):.1f}" x2="{px(t):.1f}" y1="{top - 6}" y2="{axis_y}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{px(t):.1f}" y="{axis_y + 24}" font-size="16" text-anchor="middle" fill="{MUTED}">{format_number(t, td)}</text>')
    base = px(max(x0, min(0.0, x1)))
    for i, r in enumerate(rows):
        cy = top + row_h * i + row_h / 2
        colour = STYLES[1][0] if r.kode == highlight else STYLES[0][0]
        name = r.name if len(r.name) <= 30 else r.name[:29] + "…"
        parts.append(f'<text x="{left - 12}" y="{cy + 6:.1f}" font-size="16" text-anchor="end" fill="{INK}">{escape(name)}</text>')
        parts.append(f'<line x1="{base:.1f}" x2="{px(r.value):.1f}" y1="{cy:.1f}" y2="{cy:.1f}" stroke="#9db7d5" stroke-width="3"/>')
        parts.append(f'<circle cx="{px(r.value):.1f}" cy="{cy:.1f}" r="7" fill="{colour}" data-kode="{escape(r.kode)}" '
                     f'data-nilai="{machine_value(r.value, decimals)}"/>')
        parts.append(f'<text x="{px(r.value) + 12:.1f}" y="{cy + 6:.1f}" font-size="16" fill="{INK}">{format_number(r.value, decimals)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="svg-chart" role="img" '
            f'aria-label="{escape(label)}">{"".join(parts)}</svg>')


@dataclass(frozen=True)
class Spot:
    kode: str
    value: float


def strip_svg(spots: list[Spot], decimals: int, label: str, jitter: list[float] | None = None, height: int = 300,
              percent: bool = False) -> str:
    """Every published region as one dot along the value axis, spread up and down by `jitter` (one
    number in [-1, 1] per spot, the page's own, so the image and the page draw the same picture);
    the median as a line, the middle half as a band."""
    left, right, top, bottom = 40, 40, 20, 56
    values = sorted(s.value for s in spots)
    lo, hi = (values[0], values[-1]) if values else (0.0, 1.0)
    pad = (hi - lo) * 0.04 or abs(hi) * 0.1 or 1.0
    ticks = nice_ticks(*axis_span(lo, hi, pad, percent))
    x0, x1 = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    mid = top + plot_h / 2

    def px(v: float) -> float:
        return left + (v - x0) / ((x1 - x0) or 1) * plot_w

    def quantile(q: float) -> float:  # linear, as pandas' default (the sentence beside the chart)
        pos = (len(values) - 1) * q
        i = int(math.floor(pos))
        return values[i] + (values[min(i + 1, len(values) - 1)] - values[i]) * (pos - i)

    td = _tick_decimals(ticks, decimals)
    parts = []
    for t in ticks:
        parts.append(f'<line x1="{px(t):.1f}" x2="{px(t):.1f}" y1="{top}" y2="{top + plot_h}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{px(t):.1f}" y="{height - 20}" font-size="17" text-anchor="middle" fill="{MUTED}">{format_number(t, td)}</text>')
    if values:
        q1, med, q3 = quantile(0.25), quantile(0.5), quantile(0.75)
        parts.append(f'<rect x="{px(q1):.1f}" y="{top + 4}" width="{max(px(q3) - px(q1), 1):.1f}" height="{plot_h - 8}" fill="#e7eef7"/>')
        parts.append(f'<line x1="{px(med):.1f}" x2="{px(med):.1f}" y1="{top}" y2="{top + plot_h}" stroke="{STYLES[1][0]}" stroke-width="3" '
                     f'stroke-dasharray="8 5"/>')
    colour = STYLES[0][0]
    for n, s in enumerate(spots):
        dy = (jitter[n] if jitter and n < len(jitter) else 0.0) * (plot_h / 2 - 12)
        parts.append(f'<circle cx="{px(s.value):.1f}" cy="{mid + dy:.1f}" r="6" fill="{colour}" fill-opacity="0.55" stroke="{colour}" '
                     f'stroke-width="1" data-kode="{escape(s.kode)}" data-nilai="{machine_value(s.value, decimals)}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="svg-chart" role="img" '
            f'aria-label="{escape(label)}">{"".join(parts)}</svg>')


def target_svg(observed: dict[int, float], path_years: list[int], path_values: list[float], target_year: int,
               band: tuple[float, float] | None, decimals: int, label: str, height: int = 420, percent: bool = False,
               kode: str = "00") -> str:
    """The observed national series (solid, its values written) against the straight path to the
    target (dashed) and the target itself (a diamond; a range target as a band at its year). The
    observed points carry data-kode (the region's, "00" for Indonesia) data-tahun data-nilai; the path's data-jalur-tahun
    data-jalur-nilai; the target data-target-tahun data-target-nilai."""
    left, right, top, bottom = 90, 40, 40, 50
    years = sorted(set(observed) | set(path_years) | {target_year})
    years = list(range(years[0], years[-1] + 1))
    values = list(observed.values()) + list(path_values) + (list(band) if band else [])
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (hi - lo) * 0.1 or abs(hi) * 0.1 or 1.0
    ticks = nice_ticks(*axis_span(lo, hi, pad, percent))
    y0, y1 = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    inset = 30
    step = (plot_w - 2 * inset) / max(len(years) - 1, 1)
    xs = {y: left + inset + i * step for i, y in enumerate(years)}

    def py(v: float) -> float:
        return top + plot_h - (v - y0) / ((y1 - y0) or 1) * plot_h

    obs_colour, target_colour = STYLES[0][0], STYLES[1][0]
    parts = _years_and_values(ticks, decimals, py, xs, left, right, height, year_size=17)
    if band and band[0] != band[1]:
        a, b = py(max(band)), py(min(band))
        parts.append(f'<rect x="{xs[target_year] - 18:.1f}" y="{a:.1f}" width="36" height="{max(b - a, 2):.1f}" fill="{target_colour}" '
                     f'fill-opacity="0.25"/>')
    if len(path_years) > 1:
        pts = " ".join(f"{xs[y]:.1f},{py(v):.1f}" for y, v in zip(path_years, path_values))
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{target_colour}" stroke-width="3" stroke-dasharray="8 5"/>')
        for y, v in zip(path_years, path_values):
            parts.append(f'<circle cx="{xs[y]:.1f}" cy="{py(v):.1f}" r="2.5" fill="{target_colour}" data-jalur-tahun="{y}" '
                         f'data-jalur-nilai="{machine_value(v, decimals)}"/>')
    if path_values:
        goal = path_values[-1]
        parts.append(_marker("diamond", xs[target_year], py(goal), target_colour,
                             f'data-target-tahun="{target_year}" data-target-nilai="{machine_value(goal, decimals)}"'))
        top_of = min(py(goal), py(max(band))) if band else py(goal)  # above the band, where nothing else is drawn
        parts.append(f'<text x="{xs[target_year]:.1f}" y="{top_of - 14:.1f}" font-size="18" font-weight="bold" text-anchor="middle" '
                     f'fill="{target_colour}" stroke="#ffffff" stroke-width="4" paint-order="stroke">{format_number(goal, decimals)}</text>')
    run: list[tuple[float, float]] = []
    for y in years + [None]:
        if y is not None and y in observed:
            run.append((xs[y], py(observed[y])))
            continue
        if len(run) > 1:
            parts.append(f'<polyline points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in run)}" fill="none" stroke="{obs_colour}" stroke-width="4"/>')
        run = []
    for y in sorted(observed):
        v = observed[y]
        parts.append(_marker("circle", xs[y], py(v), obs_colour, f'data-kode="{escape(kode)}" data-tahun="{y}" data-nilai="{machine_value(v, decimals)}"'))
        parts.append(f'<text x="{xs[y]:.1f}" y="{py(v) + 30:.1f}" font-size="18" font-weight="bold" text-anchor="middle" '
                     f'fill="{obs_colour}" stroke="#ffffff" stroke-width="4" paint-order="stroke">{format_number(v, decimals)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="svg-chart" role="img" '
            f'aria-label="{escape(label)}">{"".join(parts)}</svg>')
