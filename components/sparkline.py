"""A tiny trend line as an inline SVG (a data: URI): a few hundred bytes, no script needed."""
from __future__ import annotations

import math
from urllib.parse import quote

from components.formatting import format_number


def sparkline_svg(values: list[float | None], width: int = 72, height: int = 22, colour: str = "#0b5cab") -> str:
    """Points for each year; a gap where a year is protected or missing. '' when < 2 values."""
    known = [v for v in values if v is not None and not math.isnan(v)]
    if len(known) < 2:
        return ""
    lo, hi = min(known), max(known)
    span = (hi - lo) or 1.0
    step = (width - 6) / max(len(values) - 1, 1)
    pts = [(3 + i * step, height - 3 - (v - lo) / span * (height - 6)) if v is not None and not math.isnan(v) else None for i, v in enumerate(values)]
    segments, current = [], []
    for p in pts + [None]:
        if p is None:
            if len(current) > 1:
                segments.append(current)
            current = []
        else:
            current.append(p)
    paths = "".join(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in s)}"/>' for s in segments)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{colour}"/>' for x, y in (p for p in pts if p))
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">{paths}{dots}</svg>'
    return "data:image/svg+xml," + quote(svg)


def year_values(series, years: list[int], decimals: int, protected: str, missing: str) -> tuple[list, list[str]]:
    """A region's values by year for a sparkline (None where not published) and the same years in
    words ("2024: 12,3", a protected year as `protected`, a year without a row as `missing`)."""
    by_year = {int(r.tahun): r for r in series.itertuples()} if series is not None else {}
    values, words = [], []
    for y in years:
        r = by_year.get(y)
        ok = r is not None and r.status == "ok"
        values.append(float(r.nilai) if ok else None)
        words.append(f"{y}: " + (format_number(r.nilai, decimals) if ok else (protected if r is not None else missing)))
    return values, words
