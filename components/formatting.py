"""Numbers the Indonesian way: thousands with '.', decimals with ',' (1.234.567,89)."""
from __future__ import annotations

import math


_SWAP = str.maketrans({",": ".", ".": ","})  # 1,234,567.89 → 1.234.567,89 in one pass


def format_number(value, decimals: int = 0) -> str:
    if value is None:
        return ""
    v = float(value)
    if v != v:  # NaN
        return ""
    text = f"{abs(v):,.{decimals}f}".translate(_SWAP)
    # A minus only when the rounded number is not zero ("−0,00" would mislead).
    return "−" + text if v < 0 and text.strip("0.,") else text


def format_value(value, decimals: int, satuan: str) -> str:
    """A value with its unit, for a hover or a card: '9,03 %' or '1.234 orang'."""
    text = format_number(value, decimals)
    if not text:
        return ""
    if satuan == "persen":
        return f"{text} %"
    if satuan.startswith("rupiah"):
        return f"Rp{text}"
    return f"{text} {satuan}" if satuan not in ("indeks", "rasio") else text


def format_compact(value, satuan: str = "") -> str:
    """Large counts for headlines: '273,3 juta orang', '12,5 ribu rumah tangga'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    v = float(value)
    for size, word in ((1e9, "miliar"), (1e6, "juta"), (1e3, "ribu")):
        if abs(v) >= size:
            text = f"{format_number(v / size, 1)} {word}"
            break
    else:
        text = format_number(v, 0)
    return f"{text} {satuan}".strip()
