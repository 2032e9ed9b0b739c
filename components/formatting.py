"""Numbers as the page's language writes them: Indonesian 1.234.567,89 (the default), English
1,234,567.89 (components/i18n.py)."""
from __future__ import annotations

import math

from components.i18n import _, language


def _indonesian(text: str) -> str:
    """'1_234_567.89' (Python's '_' grouping) → '1.234.567,89' (two replaces beat one translate)."""
    return text.replace(".", ",").replace("_", ".")


def _english(text: str) -> str:
    return text.replace("_", ",")


def _localise():
    """The function that turns Python's '1_234.5' into the current language's digits."""
    return _english if language() == "en" else _indonesian


def plotly_separators() -> str:
    """A figure's `separators` (decimal mark, then thousands) in the current language."""
    return ".," if language() == "en" else ",."


def format_number(value, decimals: int = 0) -> str:
    if value is None:
        return ""
    v = float(value)
    if v != v:  # NaN
        return ""
    text = _localise()(f"{abs(v):_.{decimals}f}")
    # A minus only when the rounded number is not zero ("−0,00" would mislead).
    return "−" + text if v < 0 and text.strip("0.,") else text


def format_numbers(values, decimals: int = 0) -> list[str]:
    """`format_number` over a column (one format spec, no per-value call: maps format
    hundreds of values per switch)."""
    spec = f"_.{decimals}f"
    local = _localise()
    out = []
    for v in values:
        if v is None or v != v:
            out.append("")
        elif v < 0:
            out.append(format_number(v, decimals))
        else:
            out.append(local(format(v, spec)))
    return out


def unit_affixes(satuan: str) -> tuple[str, str]:
    """What goes before and after a number in this unit: ('Rp', '') or ('', ' %')."""
    if satuan == "persen":
        return "", ("%" if language() == "en" else " %")
    # The unit's words come from the catalogue (data/katalog_indikator.toml), translated there too.
    if satuan.startswith("rupiah"):
        # 'rupiah/kapita/bulan' → 'Rp1.773.066/kapita/bulan': an amount without its period misleads.
        return "Rp", unit_name(satuan)[len("rupiah"):]
    return ("", "") if satuan in ("indeks", "rasio") else ("", f" {unit_name(satuan)}")


def unit_name(satuan: str) -> str:
    """A catalogue unit in the current language ('rumah tangga' → 'households'; 'persen' → 'percent')."""
    return _(satuan) if satuan else satuan


def format_value(value, decimals: int, satuan: str) -> str:
    """A value with its unit, for a hover or a card: '9,03 %' or '1.234 orang'."""
    text = format_number(value, decimals)
    if not text:
        return ""
    before, after = unit_affixes(satuan)
    return f"{before}{text}{after}"


def format_compact(value, satuan: str = "") -> str:
    """Large counts for headlines: '273,3 juta orang', '12,5 ribu rumah tangga'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    v = float(value)
    for size, word in ((1e9, _("miliar")), (1e6, _("juta")), (1e3, _("ribu"))):
        if abs(v) >= size:
            text = f"{format_number(v / size, 1)} {word}"
            break
    else:
        text = format_number(v, 0)
    return f"{text} {unit_name(satuan)}".strip()


def format_target(target, decimals: int) -> str:
    """A parsed target (data.targets.TargetValue) as the site writes numbers: '4,5–5,0', '< 0,5', '13,58'."""
    text = target.text.strip()
    if target.low is not None and target.high is not None and target.low != target.high:
        return f"{format_number(target.low, decimals)}–{format_number(target.high, decimals)}"
    if target.low is None:
        return ("≤ " if text.startswith(("<=", "≤")) else "< ") + format_number(target.high, decimals)
    if target.high is None:
        return ("≥ " if text.startswith((">=", "≥")) else "> ") + format_number(target.low, decimals)
    return format_number(target.low, decimals)
