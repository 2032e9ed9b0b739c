"""The map as an image (`/unduh/peta.svg`, `/unduh/peta.png`): the same view, arguments and
400/404 answers as `/unduh/peta.csv`, drawn by components/figure_image.py from the figure the page
gives Dash.

Rendering is bounded: the image is 1200 px wide and at most about 1600 px tall, one PNG is drawn at
a time per worker (a second asker waits a few seconds, then gets 503 with Retry-After), and each
PNG is kept on disk per release and view (`<releases>/.unduhan/<id>/gambar/`, at most
PNG_CACHE_MAX files per release, oldest dropped first), so a view is drawn once.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
from pathlib import Path

from flask import Flask, Response, request

from components.choropleth import map_classes, map_figure
from components.figure_image import ImageText, map_image_svg, png_bytes
from components.links import download_url, geo_url, map_url
from components.texts import CATEGORY_NAMES, DIMENSION_NAMES
from data import queries
from web.public_url import site_root
from web.state import LEVEL_NAMES, StateError, state_from_release

log = logging.getLogger("dtsen.images")
PNG_CACHE_MAX = 2000
RENDER_WAIT_S = 10.0
_render_slot = threading.BoundedSemaphore(1)


def map_heading(rel, state) -> str:
    """'Persentase penduduk miskin, 2025 — kabupaten/kota di Jawa Barat (Jenis kelamin: Perempuan)':
    the map page's heading, its tab title's subject and its image's title."""
    ind = rel.catalog[state.indikator]
    scope = "Indonesia" if not state.induk else rel.regions.at[state.induk, "nama"]
    heading = f"{ind.nama_id}, {state.tahun} — {LEVEL_NAMES[state.tingkat]} di {scope}"
    if state.dimensi != "total":
        heading += f" ({DIMENSION_NAMES[state.dimensi]}: {CATEGORY_NAMES.get(state.kategori, state.kategori)})"
    return heading


def map_image_text(rel, state, vals) -> ImageText:
    ind = rel.catalog[state.indikator]
    notes = ["Angka resmi BPS (statistik resmi), bukan data register."] if ind.official else []
    notes.append("Abu-abu: dilindungi (S1/S2) agar tidak ada rumah tangga yang dapat dikenali; putih: tidak berlaku. Bukan nol.")
    return ImageText(title=map_heading(rel, state), unit=ind.satuan, legend_title=f"{ind.nama_id} ({ind.satuan})", legend=vals.legend,
                     release_id=rel.id, url=site_root() + map_url(state.query(), rilis=rel.id),
                     synthetic=rel.synthetic and not ind.official, notes=notes)


def map_svg_document(rel, state) -> str:
    """The view's map as a titled, sourced SVG document."""
    ind = rel.catalog[state.indikator]
    df = queries.map_values(rel, state.indikator, state.tahun, state.tingkat, state.dimensi, state.kategori, state.induk)
    vals = map_classes(df, ind.desimal, ind.satuan, ind.arah, state.tahun)
    geo = geo_url(rel.id, state.tingkat, state.induk)
    fig = map_figure(df, geo, ind.desimal, ind.satuan, ind.arah, state.tahun, vals=vals)
    features = rel.geo_features(geo.split(f"/{rel.id}/", 1)[1])
    return map_image_svg(fig, features, map_image_text(rel, state, vals))


def map_image_stem(rel, state) -> str:
    return f"dtsen_peta_{state.indikator}_{state.tahun}_{state.tingkat}{'_' + state.induk if state.induk else ''}_{rel.id}"


def png_cache_path(rel, state) -> Path:
    from web.bulk import _cache_dir

    folder = _cache_dir(rel) / "gambar"
    folder.mkdir(exist_ok=True)
    return folder / f"peta-{hashlib.sha256(state.query().encode()).hexdigest()[:24]}.png"


def _store(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # atomic: a half-written file is never served
    kept = sorted(path.parent.glob("*.png"), key=lambda p: p.stat().st_mtime)
    for old in kept[: max(0, len(kept) - PNG_CACHE_MAX)]:
        old.unlink(missing_ok=True)


def map_png(rel, state) -> bytes | None:
    """The view's PNG, from the disk cache or drawn now; None when the renderer stays busy."""
    path = png_cache_path(rel, state)
    if path.is_file():
        return path.read_bytes()
    if not _render_slot.acquire(timeout=RENDER_WAIT_S):
        return None
    try:
        if path.is_file():  # drawn while this request waited
            return path.read_bytes()
        data = png_bytes(map_svg_document(rel, state))
        _store(path, data)
        return data
    finally:
        _render_slot.release()


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
                   "Link": f'<{site_root() + map_url(state.query(), rilis=rel.id)}>; rel="canonical"'}
        if fmt == "svg":
            return Response(map_svg_document(rel, state), mimetype="image/svg+xml", headers=headers)
        data = map_png(rel, state)
        if data is None:
            return Response("Gambar sedang dibuat untuk pembaca lain; coba lagi sebentar lagi.\n", status=503, mimetype="text/plain",
                            headers={"Retry-After": "5"})
        return Response(data, mimetype="image/png", headers=headers)


def map_image_url(rel, state, fmt: str = "png") -> str:
    """The view's image, pinned to its release (cached a day, per release and view)."""
    return download_url("peta", fmt, state.query(), rilis=rel.id)
