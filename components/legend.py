"""Classed colour scales for choropleths: quantile breaks, colour-blind-safe palettes."""
from __future__ import annotations

import numpy as np

from components.formatting import format_number

# ColorBrewer sequential palettes (colour-blind safe), light to dark.
BLUES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
ORANGES = ["#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"]
PROTECTED_COLOUR = "#9e9e9e"  # grey, with a hatch in the legend: "dilindungi"
MISSING_COLOUR = "#ffffff"  # white with an outline: "tidak tersedia"


def palette_for(arah: str) -> list[str]:
    """Dark = worse for lower-is-better indicators (orange), dark = more otherwise (blue)."""
    return ORANGES if arah == "turun" else BLUES


def _floats(values) -> np.ndarray:
    """The values as floats, None as NaN."""
    return np.asarray([np.nan if x is None else x for x in values], dtype=float)


def _present(values) -> np.ndarray:
    """The values that are numbers (None and NaN left out)."""
    v = _floats(values)
    return v[~np.isnan(v)]


def quantile_breaks(values, n_classes: int = 5) -> list[float]:
    """Upper bounds of up to n classes with about equal numbers of regions each."""
    v = _present(values)
    if v.size == 0:
        return []
    qs = np.quantile(v, np.linspace(0, 1, n_classes + 1)[1:])
    return sorted(set(float(q) for q in qs))


def classify(values, breaks: list[float]) -> list[int | None]:
    """Class of each value: the first break at or above it (None for a missing value)."""
    v = _floats(values)
    classes = np.minimum(np.searchsorted(breaks, v, side="left"), len(breaks) - 1) if breaks else np.zeros(len(v), dtype=int)
    return [None if missing else int(c) for c, missing in zip(classes, np.isnan(v))]


def class_labels(values, breaks: list[float], decimals: int) -> list[str]:
    """Each class from its smallest to its largest value as published: classes never overlap
    ('6,37 – 9,33', '9,35 – 10,81'), where break-to-break labels repeated the shared bound."""
    v = _present(values)
    if v.size == 0:
        return []
    cls = np.asarray(classify(v, breaks))
    labels = []
    for i, hi in enumerate(breaks):
        inside = v[cls == i]
        lo, top = (float(inside.min()), float(inside.max())) if inside.size else (hi, hi)
        labels.append(format_number(lo, decimals) if format_number(lo, decimals) == format_number(top, decimals)
                      else f"{format_number(lo, decimals)} – {format_number(top, decimals)}")
    return labels
