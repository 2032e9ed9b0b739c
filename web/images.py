"""The map as an image (`/unduh/peta.svg`, `/unduh/peta.png`): the same view, arguments and
400/404 answers as `/unduh/peta.csv`, drawn by components/figure_image.py from the figure the page
gives Dash.

Rendering is bounded: the image is 1200 px wide and at most about 1600 px tall, one PNG is drawn at
a time per worker (a second asker waits a few seconds, then gets 503 with Retry-After), and each
PNG is kept on disk per release and view (`<releases>/.unduhan/<id>/gambar/<drawing version>/`, at
most PNG_CACHE_MAX files per release, oldest dropped first), so a view is drawn once. The drawing
version is a digest of the code and words that draw: a deploy that changes how an image looks
starts a fresh folder (and removes the old ones) instead of serving yesterday's pictures.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import threading
from pathlib import Path

from html import escape

from flask import Flask, Response, redirect, request

from components.choropleth import map_classes, map_figure
from components.figure_image import SITE_NAME, SYNTHETIC_NOTICE, ImageText, card_svg, map_image_svg, png_bytes, source_line
from components.links import download_url, embed_url, geo_url, map_url
from components.svgmap import choropleth_svg
from components.formatting import unit_name
from components.i18n import _, language
from components.texts import category_label, dimension_name, indicator_name, level_name
from data import queries
from web.lang import for_files, in_address
from web.public_url import site_root
from web.state import StateError, state_from_release

log = logging.getLogger("dtsen.images")
PNG_CACHE_MAX = 2000
RENDER_WAIT_S = 10.0
_render_slot = threading.BoundedSemaphore(1)
_ROOT = Path(__file__).resolve().parent.parent
# What a PNG's pixels depend on besides the release, the view and the language.
DRAWING_SOURCES = ("components/chart_svg.py", "components/figure_image.py", "components/svgmap.py", "components/choropleth.py",
                   "components/formatting.py", "components/texts.py", "web/chart_views.py", "web/chart_images.py", "web/images.py",
                   "locale/en/LC_MESSAGES/messages.po")


def drawing_version() -> str:
    """A digest of DRAWING_SOURCES (computed once per process)."""
    cached = globals().get("_drawing_version")
    if cached is None:
        digest = hashlib.sha256()
        for name in DRAWING_SOURCES:
            digest.update(name.encode() + b"\0" + (_ROOT / name).read_bytes())
        cached = globals()["_drawing_version"] = digest.hexdigest()[:12]
    return cached


def map_heading(rel, state) -> str:
    """'Persentase penduduk miskin, 2025 — kabupaten/kota di Jawa Barat (Jenis kelamin: Perempuan)':
    the map page's heading, its tab title's subject and its image's title."""
    ind = rel.catalog[state.indikator]
    scope = "Indonesia" if not state.induk else rel.regions.at[state.induk, "nama"]
    heading = _("{indicator}, {year} — {level} di {scope}").format(indicator=indicator_name(ind), year=state.tahun,
                                                                   level=level_name(state.tingkat, plural=True), scope=scope)
    if state.dimensi != "total":
        heading += f" ({dimension_name(state.dimensi)}: {category_label(state.dimensi, state.kategori)})"
    return heading


def map_image_text(rel, state, vals) -> ImageText:
    ind = rel.catalog[state.indikator]
    notes = [_("Angka resmi BPS (statistik resmi), bukan data register.")] if ind.official else []
    notes.append(_("Abu-abu: dilindungi (S1/S2) agar tidak ada rumah tangga yang dapat dikenali; putih: tidak berlaku. Bukan nol."))
    unit = unit_name(ind.satuan)
    return ImageText(title=map_heading(rel, state), unit=unit, legend_title=f"{indicator_name(ind)} ({unit})", legend=vals.legend,
                     release_id=rel.id, url=site_root() + map_url(state.query(), rilis=rel.id, lang=in_address()),
                     synthetic=rel.synthetic and not ind.official, notes=notes)


def _map_parts(rel, state):
    """The view's figure (as the page gives Dash), its geometry and its classes."""
    ind = rel.catalog[state.indikator]
    df = queries.map_values(rel, state.indikator, state.tahun, state.tingkat, state.dimensi, state.kategori, state.induk)
    vals = map_classes(df, ind.desimal, ind.satuan, ind.arah, state.tahun)
    geo = geo_url(rel.id, state.tingkat, state.induk)
    fig = map_figure(df, geo, ind.desimal, ind.satuan, ind.arah, state.tahun, vals=vals)
    return fig, rel.geo_features(geo.split(f"/{rel.id}/", 1)[1]), vals


def map_svg_document(rel, state) -> str:
    """The view's map as a titled, sourced SVG document."""
    fig, features, vals = _map_parts(rel, state)
    return map_image_svg(fig, features, map_image_text(rel, state, vals))


EMBED_STYLE = """body{margin:0;font-family:"DejaVu Sans",system-ui,sans-serif;color:#212529;background:#fff;font-size:14px;line-height:1.35}
main{padding:8px 10px}h1{font-size:16px;margin:0 0 4px}.unit{color:#555;margin:0 0 4px}
.notice{background:#fff3cd;border:1px solid #7a4b00;color:#7a4b00;font-weight:bold;padding:3px 8px;margin:4px 0;border-radius:4px}
.svg-map{display:block;width:100%;height:auto;max-height:70vh}.legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:2px 14px}
.sw{display:inline-block;width:12px;height:12px;border:1px solid #555;margin-right:4px;vertical-align:-1px}
.source{font-size:12px;color:#333;margin:4px 0 0;overflow-wrap:anywhere}a{color:#0b5394}"""


def embed_document(title: str, unit: str, synthetic: bool, picture: str, legend_html: str, notes: list[str], source: str,
                   back: str, back_words: str) -> str:
    """A frameable page for another site: a served SVG picture (map or chart) with its title, legend,
    synthetic notice and source, and a link back to the full view. No Dash, no script: it paints at once."""
    notice = f'<p class="notice">{escape(_(SYNTHETIC_NOTICE))}</p>' if synthetic else ""
    note_html = "".join(f'<p class="source">{escape(n)}</p>' for n in notes)
    unit_line = _("Satuan: {unit}").format(unit=unit)  # outside the f-string, where pybabel finds it
    return (f'<!DOCTYPE html><html lang="{language()}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)} — {escape(_(SITE_NAME))}</title><link rel="canonical" href="{escape(back)}"><style>{EMBED_STYLE}</style></head>'
            f'<body><main><h1>{escape(title)}</h1><p class="unit">{escape(unit_line)}</p>{notice}'
            f'{picture}{legend_html}{note_html}'
            f'<p class="source">{escape(source)}. '
            f'<a href="{escape(back)}" target="_blank" rel="noopener">{escape(back_words)}</a></p>'
            f"</main></body></html>")


def legend_list(items: list[tuple[str, str, int | None]], title: str) -> str:
    """An image's legend as a list: a swatch and words per entry (a map's class with its count, a chart's line)."""
    entries = "".join(f'<li><span class="sw" style="background:{escape(c)}"></span>{escape(label)}{"" if n is None else f" ({n})"}</li>'
                      for c, label, n in items)
    name = _("Legenda: {title}").format(title=title)  # outside the f-string, where pybabel finds it
    return f'<ul class="legend" aria-label="{escape(name)}">{entries}</ul>'


def map_embed_html(rel, state) -> str:
    fig, features, vals = _map_parts(rel, state)
    text = map_image_text(rel, state, vals)
    back = site_root() + map_url(state.query(), rilis=rel.id, lang=in_address())
    return embed_document(text.title, text.unit, text.synthetic, choropleth_svg(fig, features, text.title),
                          legend_list(vals.legend, text.legend_title), text.notes, source_line(rel.id, back), back,
                          _("Buka peta lengkap, tabel dan unduhan di {site}").format(site=_(SITE_NAME)))


def embed_code(rel, state) -> str:
    """The iframe a site pastes to show this view, pinned to its release."""
    src = site_root() + embed_url("peta", state.query(), rilis=rel.id, lang=in_address())
    title = escape(map_heading(rel, state))
    return (f'<iframe src="{escape(src)}" title="{title}" width="100%" height="640" style="border:0;max-width:760px" '
            f'loading="lazy" referrerpolicy="no-referrer-when-downgrade"></iframe>')


def map_image_stem(rel, state) -> str:
    return f"dtsen_peta_{state.indikator}_{state.tahun}_{state.tingkat}{'_' + state.induk if state.induk else ''}_{rel.id}"


def png_cache_path(rel, name: str) -> Path:
    """Where the PNG named `name` (a view's kind and hash) of this release is kept, in this request's language."""
    from web.bulk import _cache_dir

    images = _cache_dir(rel) / "gambar"
    folder = images / drawing_version()
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        for old in images.iterdir():  # pictures drawn by an earlier version of the code, and the flat layout before versions
            if old != folder:
                shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
    # The words drawn in are the request's language: one file per view and language.
    suffix = "" if language() == "id" else f"-{language()}"
    return folder / f"{name}{suffix}.png"


def view_key(kind: str, query: str) -> str:
    return f"{kind}-{hashlib.sha256(query.encode()).hexdigest()[:24]}"


def _store(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # atomic: a half-written file is never served
    kept = sorted(path.parent.glob("*.png"), key=lambda p: p.stat().st_mtime)
    for old in kept[: max(0, len(kept) - PNG_CACHE_MAX)]:
        old.unlink(missing_ok=True)


def cached_png(rel, name: str, draw) -> bytes | None:
    """The PNG `name`, from the disk cache or rasterised now from `draw()` (an SVG document); None when
    the renderer stays busy. Maps and charts share the one render slot."""
    path = png_cache_path(rel, name)
    if path.is_file():
        return path.read_bytes()
    if not _render_slot.acquire(timeout=RENDER_WAIT_S):
        return None
    try:
        if path.is_file():  # drawn while this request waited
            return path.read_bytes()
        data = png_bytes(draw())
        try:
            _store(path, data)
        except OSError as exc:  # a full disk, or a folder another version's worker removed: serve it undrawn-to-disk
            log.warning("PNG not kept (%s): %s", path.name, exc)
        return data
    finally:
        _render_slot.release()


def map_png(rel, state) -> bytes | None:
    if is_card():
        return cached_png(rel, view_key("peta", state.query()) + "-kartu", lambda: card_svg(map_svg_document(rel, state)))
    return cached_png(rel, view_key("peta", state.query()), lambda: map_svg_document(rel, state))


def is_card() -> bool:
    """?kartu=1 on a PNG: the image framed 1200 × 630 (components/figure_image.card_svg), what the
    pages name as their Open Graph image."""
    return request.args.get("kartu") == "1"


def busy() -> Response:
    return Response(_("Gambar sedang dibuat untuk pembaca lain; coba lagi sebentar lagi.") + "\n", status=503, mimetype="text/plain",
                    headers={"Retry-After": "5"})


def register_images(server: Flask) -> None:
    # Rules without variables: Werkzeug tries them before /unduh/peta.<fmt>.
    @server.route("/unduh/peta.svg", endpoint="map_image_svg")
    @server.route("/unduh/peta.png", endpoint="map_image_png")
    def map_image():
        fmt = request.path.rsplit(".", 1)[1]
        rel = queries.release()
        try:
            state = state_from_release(request.args, rel)
        except StateError as exc:
            return Response(exc.message + "\n", status=exc.status, mimetype="text/plain")
        headers = {"Content-Disposition": f'inline; filename="{map_image_stem(rel, state)}.{fmt}"',
                   "Link": f'<{site_root() + map_url(state.query(), rilis=rel.id, lang=in_address())}>; rel="canonical"'}
        if fmt == "svg":
            return Response(map_svg_document(rel, state), mimetype="image/svg+xml", headers=headers)
        data = map_png(rel, state)
        if data is None:
            return busy()
        return Response(data, mimetype="image/png", headers=headers)


def register_embeds(server: Flask) -> None:
    @server.route("/sematkan/peta", endpoint="map_embed")
    def map_embed():
        """The map for another site's frame, always pinned: without rilis= it moves to the current release's id,
        so an embedded story keeps its numbers after the next release."""
        rel = queries.release()
        if not request.args.get("rilis"):
            return redirect(embed_url("peta", request.query_string.decode("utf-8", "replace"), rilis=rel.id), code=302)
        try:
            state = state_from_release(request.args, rel)
        except StateError as exc:
            return Response(exc.message + "\n", status=exc.status, mimetype="text/plain")
        return Response(map_embed_html(rel, state), mimetype="text/html")


def map_image_url(rel, state, fmt: str = "png", card: bool = False) -> str:
    """The view's image, pinned to its release (cached a day, per release and view); card: see chart_image_url."""
    return download_url("peta", fmt, state.query(), rilis=rel.id, lang=for_files(), kartu="1" if card else None)
