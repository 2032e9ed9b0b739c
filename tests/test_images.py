"""Images, share previews and embeds (issue 20): the map as a titled, sourced SVG and PNG."""
from __future__ import annotations

import html as h
import re
import struct

import pandas as pd
import pytest

from components.choropleth import map_classes, map_figure
from components.figure_image import SYNTHETIC_NOTICE, ImageText, map_image_svg, png_bytes, wrap
from tests.helpers import current_release


def square(kode, x, y, size=1.0):
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Feature", "properties": {"kode": kode}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


FEATURES = [square("01", 100, -5), square("02", 101, -5), square("03", 102, -5)]
DF = pd.DataFrame({"kode_wilayah": ["01", "02", "03"], "nama": ["Satu", "Dua", "Tiga"], "nilai": [1.0, 9.0, None],
                   "status": ["ok", "ok", "S1"], "pembilang": [None] * 3, "penyebut": [None] * 3})


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def texts(svg: str) -> str:
    return " ".join(h.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def image(synthetic=True, title="Angka uji, 2025 — provinsi di Indonesia"):
    vals = map_classes(DF, 1, "persen", "turun", 2025)
    fig = map_figure(DF, "/geo/r/x.geojson", 1, "persen", "turun", 2025, vals=vals)
    text = ImageText(title=title, unit="persen", legend_title="Angka uji (persen)", legend=vals.legend, release_id="demo-1",
                     url="https://data.example.go.id/peta?indikator=x&rilis=demo-1", synthetic=synthetic)
    return map_image_svg(fig, FEATURES, text), vals


def test_the_image_draws_title_unit_legend_source_release_and_the_synthetic_notice():
    svg, vals = image()
    words = texts(svg)
    assert "Angka uji, 2025 — provinsi di Indonesia" in words and "Satuan: persen" in words
    assert "Sumber: Portal Data DTSEN Terbuka, rilis demo-1," in words and "https://data.example.go.id/peta?indikator=x&rilis=demo-1" in words.replace(" ", "")
    assert SYNTHETIC_NOTICE in words
    for colour, label, n in vals.legend:  # every legend entry: its swatch and its words
        assert f'fill="{colour}"' in svg and f"{label} ({n} wilayah)" in words
    assert svg.count('data-kode="') == 3 and 'font-family="DejaVu Sans, sans-serif"' in svg


def test_a_real_release_has_no_synthetic_notice_and_a_long_title_wraps():
    svg, _ = image(synthetic=False, title="Persentase rumah tangga dengan akses sanitasi layak, 2025 — kecamatan di Kabupaten Garut (Desil: 1)")
    assert SYNTHETIC_NOTICE not in texts(svg)
    assert all(len(line) < 70 for line in wrap("x " * 200, 30, 1120, bold=True))
    assert wrap("https://" + "a" * 300, 16, 1120)[0].startswith("https://")  # a URL longer than a line is cut, not lost


def test_the_png_is_1200_px_wide_and_as_tall_as_the_svg():
    svg, _ = image()
    width, height = png_size(png_bytes(svg))
    assert width == 1200 and height == int(re.search(r'height="(\d+)"', svg).group(1))
    assert 400 < height < 1700


@pytest.fixture(scope="module")
def client():
    import app as portal

    return portal.server.test_client()


@pytest.fixture(scope="module")
def rid():
    return current_release().name


def test_map_downloads_as_svg_and_png_with_title_source_and_notice(client, rid):
    svg = client.get("/unduh/peta.svg?indikator=tpt&tingkat=kabupaten_kota")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and 2_000 < len(svg.data) < 2_000_000
    words = texts(svg.get_data(as_text=True))
    assert "Tingkat pengangguran terbuka, " in words and "kabupaten/kota di Indonesia" in words
    assert f"rilis {rid}" in words and "Sumber: Portal Data DTSEN Terbuka" in words and SYNTHETIC_NOTICE in words
    png = client.get("/unduh/peta.png?indikator=tpt&tingkat=kabupaten_kota")
    assert png.status_code == 200 and png.mimetype == "image/png" and 10_000 < len(png.data) < 3_000_000
    assert png_size(png.data)[0] == 1200
    assert png.headers["Cache-Control"] == "public, max-age=300" and png.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert 'filename="dtsen_peta_tpt_' in png.headers["Content-Disposition"]
    pinned = client.get(f"/unduh/peta.png?indikator=tpt&tingkat=kabupaten_kota&rilis={rid}")
    assert pinned.data == png.data and pinned.headers["Cache-Control"] == "public, max-age=3600"


@pytest.mark.parametrize("query, status", [("indikator=tidak-ada", 404), ("tahun=semua", 400), ("tahun=1900", 404), ("tingkat=kecamatan&induk=99.99", 404),
                                           ("rilis=tidak-ada", 404)])
def test_a_bad_image_url_gets_the_csv_download_answer_and_every_year_is_refused(client, query, status):
    csv = client.get(f"/unduh/peta.csv?{query}")
    for fmt in ("svg", "png"):
        r = client.get(f"/unduh/peta.{fmt}?{query}")
        assert r.status_code == status and r.headers["Cache-Control"] == "no-store", (fmt, query)
        if query != "tahun=semua":  # every year fits a table, not one map
            assert r.status_code == csv.status_code and r.data == csv.data


def test_the_map_page_offers_the_images_and_its_share_preview_is_the_png(client, rid):
    page = client.get("/peta?indikator=tpt&tingkat=kabupaten_kota").get_data(as_text=True)
    assert 'id="peta-unduh-png"' in page and 'id="peta-unduh-svg"' in page and 'data-share="tautan"' in page
    meta = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', page))
    assert meta["twitter:card"] == "summary_large_image" and "Tingkat pengangguran terbuka" in meta["og:description"]
    image = h.unescape(meta["og:image"])
    assert image.startswith("http") and f"rilis={rid}" in image and "/unduh/peta.png?" in image
    r = client.get(image[image.index("/unduh/"):])
    assert r.status_code == 200 and r.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert "og:image" not in dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', client.get("/tentang").get_data(as_text=True)))


def test_only_embed_paths_may_be_framed():
    from web.headers import content_security_policy, for_path, security_headers

    fixed = security_headers(["'sha256-x'"])
    embed = for_path("/sematkan/peta", fixed)
    assert "frame-ancestors *" in embed["Content-Security-Policy"] and "X-Frame-Options" not in embed
    assert embed["Content-Security-Policy"].replace("frame-ancestors *", "frame-ancestors 'none'") == content_security_policy(["'sha256-x'"])
    for path in ("/peta", "/", "/sematkan", "/unduh/peta.png", "/api/v1/nilai", "/sematkanpeta"):
        assert for_path(path, fixed) == fixed and fixed["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in fixed["Content-Security-Policy"]


def test_an_embed_is_pinned_frameable_plain_html_with_the_notice_and_a_link_back(client, rid):
    moved = client.get("/sematkan/peta?indikator=tpt&tingkat=kabupaten_kota")
    assert moved.status_code == 302 and moved.headers["Location"].endswith(f"&rilis={rid}")
    r = client.get(moved.headers["Location"])
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "frame-ancestors *" in r.headers["Content-Security-Policy"] and "X-Frame-Options" not in r.headers
    assert r.headers["Cache-Control"] == "public, max-age=3600"
    page = r.get_data(as_text=True)
    assert "<script" not in page and 'class="svg-map"' in page and page.count("data-kode=") > 3
    assert SYNTHETIC_NOTICE in page and f"rilis {rid}" in page and "Tingkat pengangguran terbuka, " in page
    assert re.search(r'<a href="http[^"]+/peta\?indikator=tpt[^"]*rilis=' + re.escape(rid) + r'" target="_blank" rel="noopener">', page)
    normal = client.get("/peta")
    assert normal.headers["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in normal.headers["Content-Security-Policy"]
    assert client.get(f"/sematkan/peta?indikator=tidak-ada&rilis={rid}").status_code == 404
    assert client.get(f"/sematkan/peta?tahun=semua&rilis={rid}").status_code == 400


def test_the_map_page_gives_the_embed_code(client, rid):
    page = client.get("/peta?indikator=tpt").get_data(as_text=True)
    box = re.search(r'<textarea id="peta-sematkan-kode"[^>]*readonly[^>]*>([^<]*)</textarea>', page)
    code = h.unescape(box.group(1))
    assert code.startswith("<iframe src=") and f"/sematkan/peta?indikator=tpt" in code and f"rilis={rid}" in h.unescape(code)
    assert 'data-copy="peta-sematkan-kode"' in page
