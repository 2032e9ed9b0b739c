"""A map as an image a newsroom can paste: title, unit, legend, source line, release id and (for a
synthetic release) the synthetic-data notice drawn into the picture, so none of them can be cut off.

Pure: the map's own SVG (components/svgmap.py, from the very figure the page gives Dash) in, one
self-contained SVG document out. `png_bytes` rasterises it with resvg (a Rust library in a wheel:
no browser, no service, no network) using the DejaVu fonts Debian installs; the SVG names the
same font, so the two pictures agree.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from components.i18n import N_, _
from components.svgmap import choropleth_svg

WIDTH = 1200          # px of the image (and of the PNG)
MARGIN = 40
MAP_MAX_HEIGHT = 820  # a tall province's map is scaled down to this, so no image grows without bound
FONT = "DejaVu Sans"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
SYNTHETIC_NOTICE = N_("DATA SINTETIS — bukan statistik resmi")  # translated where drawn: _(SYNTHETIC_NOTICE)
SITE_NAME = N_("Portal Data DTSEN Terbuka")
INK, MUTED, WARN_BG, WARN_INK = "#212529", "#555555", "#fff3cd", "#7a4b00"


@dataclass(frozen=True)
class ImageText:
    """What an image says besides its picture."""
    title: str                                  # e.g. "Persentase penduduk miskin, 2025 — provinsi di Indonesia"
    unit: str                                   # the indicator's unit ("persen")
    legend_title: str
    legend: list[tuple[str, str, int | None]]   # (colour, label, regions) as MapValues.legend; a chart's lines: regions None
    release_id: str
    url: str                                    # the view's pinned public address
    synthetic: bool                             # draw the synthetic-data notice
    notes: list[str] = field(default_factory=list)  # further lines above the source (e.g. "Angka resmi BPS")


def source_line(release_id: str, url: str) -> str:
    return _("Sumber: {site}, rilis {release}, {url}").format(site=_(SITE_NAME), release=release_id, url=url)


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Lines of `text` that fit `width` px at font `size` (DejaVu Sans is wide: ~0.6 em a letter);
    a word longer than a line (a URL) is broken where it must be."""
    per_line = max(8, int(width / (size * (0.64 if bold else 0.58))))
    lines, line = [], ""
    for word in text.split():
        while len(word) > per_line:  # a long URL: break it, it cannot wrap at spaces
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:per_line])
            word = word[per_line:]
        candidate = f"{line} {word}" if line else word
        if len(candidate) > per_line and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines or [""]


def _text(x: float, y: float, line: str, size: float, colour: str = INK, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return f'<text x="{x:g}" y="{y:g}" font-size="{size:g}"{weight} fill="{colour}">{html.escape(line)}</text>'


def _map_box(map_svg: str, x: float, y: float, width: float) -> tuple[str, float]:
    """The map's own <svg> placed at (x, y), `width` wide (less if that would make it taller than
    MAP_MAX_HEIGHT, then centred); its height."""
    m = re.search(r'viewBox="0 0 (\S+) (\S+)"', map_svg)
    vw, vh = (float(m.group(1)), float(m.group(2))) if m else (1000.0, 600.0)
    w = width
    h = w * vh / vw
    if h > MAP_MAX_HEIGHT:
        h, w = MAP_MAX_HEIGHT, MAP_MAX_HEIGHT * vw / vh
    placed = map_svg.replace("<svg ", f'<svg x="{x + (width - w) / 2:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" ', 1)
    return placed, h


def image_svg(map_svg: str, text: ImageText, width: int = WIDTH) -> str:
    """One SVG document: title, unit, the picture (a map, or a chart from components/chart_svg.py: any
    <svg> with a viewBox), its legend, notes, the synthetic notice and the source line."""
    inner = width - 2 * MARGIN
    parts, y = [], MARGIN
    for line in wrap(text.title, 30, inner, bold=True):
        y += 36
        parts.append(_text(MARGIN, y, line, 30, bold=True))
    y += 30
    parts.append(_text(MARGIN, y, _("Satuan: {unit}").format(unit=text.unit), 20, MUTED))
    if text.synthetic:  # under the title, where a crop keeps it
        y += 18
        parts.append(f'<rect x="{MARGIN}" y="{y}" width="{inner}" height="40" rx="4" fill="{WARN_BG}" stroke="{WARN_INK}"/>')
        parts.append(_text(MARGIN + 14, y + 28, _(SYNTHETIC_NOTICE), 22, WARN_INK, bold=True))
        y += 40
    y += 20
    placed, h = _map_box(map_svg, MARGIN, y, inner)
    parts.append(placed)
    y += h + 24
    parts.append(_text(MARGIN, y + 18, text.legend_title, 18, INK, bold=True))
    y += 30
    columns = 3
    col_w = inner / columns
    for n, (colour, label, count) in enumerate(text.legend):
        cx, cy = MARGIN + (n % columns) * col_w, y + (n // columns) * 30
        parts.append(f'<rect x="{cx:g}" y="{cy:g}" width="22" height="22" fill="{html.escape(colour)}" stroke="#555555" stroke-width="1"/>')
        words = label if count is None else _("{label} ({n} wilayah)").format(label=label, n=count)
        parts.append(_text(cx + 30, cy + 17, words, 16))
    y += ((len(text.legend) + columns - 1) // columns) * 30 + 10
    for note in text.notes:
        for line in wrap(note, 16, inner):
            y += 22
            parts.append(_text(MARGIN, y, line, 16, MUTED))
    y += 8
    for line in wrap(source_line(text.release_id, text.url), 16, inner):
        y += 22
        parts.append(_text(MARGIN, y, line, 16, INK))
    if text.synthetic:  # and again at the foot, beside the source
        y += 24
        parts.append(_text(MARGIN, y, _("{notice}: angka dari register simulasi.").format(notice=_(SYNTHETIC_NOTICE)), 16, WARN_INK, bold=True))
    height = int(y + MARGIN)
    title = html.escape(text.title)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'font-family="{FONT}, sans-serif" role="img" aria-label="{title}">'
            f"<title>{title}</title><desc>{html.escape(source_line(text.release_id, text.url))}</desc>"
            f'<rect width="100%" height="100%" fill="#ffffff"/>{"".join(parts)}</svg>')


def map_image_svg(figure: dict, features: list[dict], text: ImageText, width: int = WIDTH) -> str:
    """The map of `figure` (as the page draws it) in a titled, sourced image."""
    return image_svg(choropleth_svg(figure, features, text.title), text, width)


def png_bytes(svg: str) -> bytes:
    """The SVG rasterised at its own size (1200 px wide) with the DejaVu fonts it names."""
    import resvg_py

    fonts = [str(FONT_DIR / f) for f in FONT_FILES if (FONT_DIR / f).is_file()]
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, background="#ffffff", skip_system_fonts=bool(fonts),
                                       font_files=fonts or None, font_family=FONT, sans_serif_family=FONT))


CARD_WIDTH, CARD_HEIGHT = 1200, 630  # a shared link's preview: the 1.91:1 that Open Graph readers crop to


def card_svg(document: str) -> str:
    """An image document (image_svg's) scaled whole into a 1200 × 630 white card, centred, so a
    shared link's preview shows all of it (title, notice and source included) instead of a crop."""
    size = re.search(r'<svg [^>]*?width="([\d.]+)" height="([\d.]+)"', document)
    width, height = (float(size.group(1)), float(size.group(2))) if size else (CARD_WIDTH, CARD_HEIGHT)
    scale = min(CARD_WIDTH / width, CARD_HEIGHT / height)
    w, h = width * scale, height * scale
    placed = re.sub(r'width="[\d.]+" height="[\d.]+"', f'x="{(CARD_WIDTH - w) / 2:.1f}" y="{(CARD_HEIGHT - h) / 2:.1f}" '
                    f'width="{w:.1f}" height="{h:.1f}"', document, count=1)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{CARD_WIDTH}" height="{CARD_HEIGHT}" viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}">'
            f'<rect width="100%" height="100%" fill="#ffffff"/>{placed}</svg>')
