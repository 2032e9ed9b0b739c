"""Issue 20's chart images and embeds: /unduh/grafik/…png|svg, /sematkan/indikator/<id>, /sematkan/wilayah/<kode>."""
from __future__ import annotations

import csv
import html as h
import io
import json
import re

import pytest

from components.chart_svg import Line, Spot, strip_svg, target_svg, trend_svg
from components.figure_image import SYNTHETIC_NOTICE
from tests.test_images import png_size, texts

POINT = re.compile(r'data-kode="([^"]+)" data-tahun="(\d+)" data-nilai="([^"]+)"')


def points(svg: str) -> dict[tuple[str, int], str]:
    return {(k, int(t)): v for k, t, v in POINT.findall(svg)}


def test_a_year_without_a_published_value_is_a_gap_not_a_point():
    svg = trend_svg([Line("01", "Satu", {2023: 1.0, 2025: 3.0}, (2024,))], [2023, 2024, 2025], 1, True, "uji")
    assert points(svg) == {("01", 2023): "1.0", ("01", 2025): "3.0"}
    assert "<polyline" not in svg  # two points either side of a gap are not joined


def axis_ticks(svg: str) -> list[float]:
    """The value axis's labels (right-aligned text at the left edge), as numbers."""
    return [float(t.replace(",", ".")) for t in re.findall(r'text-anchor="end" fill="#555555">([^<]+)<', svg)]


def tick_values(svg: str) -> list[float]:
    """The strip's value axis: its tick labels, centred under the ticks."""
    return [float(t.replace(".", "").replace(",", ".")) for t in re.findall(r'<text[^>]*text-anchor="middle"[^>]*fill="#555555">([\d.,-]+)<', svg)]


def test_a_percentage_near_100_has_an_axis_that_stops_at_100():
    svg = trend_svg([Line("01", "Satu", {2023: 96.5, 2024: 98.2, 2025: 99.1}, ())], [2023, 2024, 2025], 1, True, "uji")
    ticks = axis_ticks(svg)
    assert ticks[0] == 0 and ticks[-1] == 100, ticks
    # the spread's and the target's axes too (outside check: 100.5 and 105)
    strip = strip_svg([Spot(f"{i:02d}", v) for i, v in enumerate([91.0, 95.5, 99.2, 99.9, 100.0])], 1, "uji", percent=True)
    assert max(tick_values(strip)) == 100, tick_values(strip)
    target = target_svg({2023: 95.0, 2024: 97.5}, [2024, 2029], [97.5, 100.0], 2029, None, 1, "uji", percent=True)
    assert max(axis_ticks(target)) == 100, axis_ticks(target)
    # …while a value that is not a percentage keeps its headroom
    assert axis_ticks(trend_svg([Line("01", "Satu", {2023: 96.5, 2025: 99.1}, ())], [2023, 2025], 1, False, "uji"))[-1] > 99.1


@pytest.fixture(scope="module")
def portal():
    import app as portal

    return portal


@pytest.fixture(scope="module")
def client(portal):
    return portal.server.test_client()


@pytest.fixture(scope="module")
def rel(portal):
    return portal.queries.store().get()


def test_the_trend_image_has_title_source_release_and_notice_and_the_png_is_a_png(client, rel):
    r = client.get("/unduh/grafik/tren/persen_penduduk_miskin.svg?wilayah=34.71")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    words = texts(r.get_data(as_text=True))
    assert "Persentase penduduk miskin" in words and "Kota Yogyakarta dan wilayah di atasnya" in words
    assert f"Sumber: Portal Data DTSEN Terbuka, rilis {rel.id}" in words and SYNTHETIC_NOTICE in words
    png = client.get("/unduh/grafik/tren/persen_penduduk_miskin.png?wilayah=34.71")
    assert png.status_code == 200 and png.mimetype == "image/png" and 10_000 < len(png.data) < 2_000_000
    width, height = png_size(png.data)
    assert width == 1200 and 500 < height < 1700
    assert 'filename="dtsen_grafik_tren_persen_penduduk_miskin_34.71_' in png.headers["Content-Disposition"]


def test_the_national_trend_points_are_the_apis_values(client, rel):
    svg = client.get(f"/unduh/grafik/tren/tpt.svg?rilis={rel.id}").get_data(as_text=True)
    api = json.loads(client.get(f"/api/v1/nilai?indikator=tpt&kode=00&dimensi=total&kategori=total&rilis={rel.id}").data)
    decimals = rel.catalog["tpt"].desimal
    published = {("00", int(row["tahun"])): f"{row['nilai']:.{decimals}f}" for row in api["data"] if row["nilai"] is not None}
    assert published and points(svg) == published


def test_a_region_trend_equals_the_profile_download_for_the_region_and_every_region_above_it(client, rel):
    kode = "34.01.01"  # a kecamatan with every year published
    svg = client.get(f"/unduh/grafik/tren/persen_penduduk_miskin.svg?wilayah={kode}&rilis={rel.id}").get_data(as_text=True)
    rows = csv.DictReader(io.StringIO(client.get(f"/unduh/wilayah/{kode}.csv?rilis={rel.id}").get_data(as_text=True)))
    expected = {(r["kode_wilayah"], int(r["tahun"])): r["nilai"] for r in rows
                if r["indicator_id"] == "persen_penduduk_miskin" and r["nilai"] and r.get("dimensi", "total") == "total"}
    assert {k for k, _ in expected} == {"34.01.01", "34.01", "34", "00"} and points(svg) == expected


def test_the_ranking_equals_the_maps_csv(client, rel):
    svg = client.get(f"/unduh/grafik/peringkat/tpt.svg?rilis={rel.id}").get_data(as_text=True)
    year = max(rel.years)
    rows = csv.DictReader(io.StringIO(client.get(f"/unduh/peta.csv?indikator=tpt&tingkat=provinsi&tahun={year}&rilis={rel.id}").get_data(as_text=True)))
    expected = {r["kode_wilayah"]: r["nilai"] for r in rows if r["nilai"]}
    assert expected and dict(re.findall(r'data-kode="([^"]+)" data-nilai="([^"]+)"', svg)) == expected


def protected_cell(rel):
    """A region whose total is protected in one year and published in others."""
    df = rel.query("SELECT indicator_id, kode_wilayah, tahun FROM cells c WHERE dimensi = 'total' AND status IN ('S1', 'S2') AND EXISTS "
                   "(SELECT 1 FROM cells o WHERE o.indicator_id = c.indicator_id AND o.kode_wilayah = c.kode_wilayah AND o.dimensi = 'total' "
                   "AND o.status = 'ok') ORDER BY 1, 2, 3 LIMIT 1")
    return df.iloc[0]["indicator_id"], df.iloc[0]["kode_wilayah"], int(df.iloc[0]["tahun"])


def test_a_protected_year_is_absent_and_said_so(client, rel):
    ind, kode, year = protected_cell(rel)
    svg = client.get(f"/unduh/grafik/tren/{ind}.svg?wilayah={kode}").get_data(as_text=True)
    mine = {t for k, t in points(svg) if k == kode}
    assert mine and year not in mine
    assert re.search(rf"{re.escape(rel.region(kode)['nama'])}: dilindungi pada [\d, ]*{year}", texts(svg))  # the note under the chart
    assert re.search(rf"Dilindungi pada [\d, ]*{year}", h.unescape(re.search(r'class="svg-chart" role="img" aria-label="([^"]*)"', svg).group(1)))


def test_english_has_english_words_and_english_numbers(client, rel):
    ind = "rata_rata_konsumsi_per_kapita"
    id_svg = client.get(f"/unduh/grafik/tren/{ind}.svg").get_data(as_text=True)
    en_svg = client.get(f"/unduh/grafik/tren/{ind}.svg?lang=en").get_data(as_text=True)
    name_en = rel.catalog[ind].nama_en
    assert name_en in texts(en_svg) and "Source: " in texts(en_svg) and "SYNTHETIC DATA" in texts(en_svg)
    label = re.compile(r'font-weight="bold" text-anchor="middle"[^>]*>([^<]+)</text>')
    assert re.fullmatch(r"\d{1,3}(,\d{3})+", label.findall(en_svg)[0]) and re.fullmatch(r"\d{1,3}(\.\d{3})+", label.findall(id_svg)[0])


def test_the_embeds_are_pinned_frameable_and_link_back(client, rel):
    for path, back in [("/sematkan/indikator/tpt", "/indikator/tpt?rilis="), ("/sematkan/wilayah/34.71?indikator=tpt", "/wilayah/34.71?indikator=tpt&rilis=")]:
        moved = client.get(path)
        assert moved.status_code == 302 and moved.headers["Location"].endswith(f"rilis={rel.id}")
        r = client.get(moved.headers["Location"])
        assert r.status_code == 200 and r.mimetype == "text/html"
        assert "frame-ancestors *" in r.headers["Content-Security-Policy"] and "X-Frame-Options" not in r.headers
        page = r.get_data(as_text=True)
        assert "<script" not in page and 'class="svg-chart"' in page and SYNTHETIC_NOTICE in page and f"rilis {rel.id}" in page
        assert back in h.unescape(re.search(r'<a href="([^"]+)" target="_blank"', page).group(1))
    for normal in ("/indikator/tpt", "/wilayah/34.71"):
        r = client.get(normal)
        assert r.headers["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path, status", [
    ("/unduh/grafik/tren/tidak-ada.png", 404), ("/unduh/grafik/tren/tpt.png?wilayah=99.99", 404), ("/unduh/grafik/tren/tpt.gif", 404),
    ("/unduh/grafik/lingkaran/tpt.png", 404), ("/unduh/grafik/peringkat/tpt.svg?tahun=dua", 400), ("/unduh/grafik/peringkat/tpt.svg?tahun=1900", 404),
    ("/unduh/grafik/tren/tpt.svg?wilayah=" + "9" * 300, 400), ("/unduh/grafik/tren/tpt.svg?rilis=tidak-ada", 404),
    ("/sematkan/indikator/tidak-ada", 404), ("/sematkan/wilayah/99.99", 404), ("/sematkan/wilayah/34.71?indikator=tidak-ada", 404),
])
def test_a_bad_chart_address_says_why(client, path, status):
    r = client.get(path)
    assert r.status_code == status and r.mimetype == "text/plain" and len(r.data) > 10, (path, r.status_code, r.data[:200])


def test_the_pages_offer_the_images_and_embed_code_and_share_the_png(client, rel):
    for path, ids in [("/indikator/tpt", ["indikator-tren-gambar-png", "indikator-tren-gambar-svg", "indikator-peringkat-gambar-png",
                                          "indikator-sematkan-kode"]),
                      ("/wilayah/34.71?indikator=tpt", ["wilayah-tren-gambar-png", "wilayah-tren-gambar-svg", "wilayah-sematkan-kode"])]:
        page = client.get(path).get_data(as_text=True)
        for i in ids:
            assert f'id="{i}"' in page, (path, i)
        assert re.search(r'<a[^>]+aria-label="Unduh gambar PNG: [^"]+"', page)
        code = h.unescape(re.search(r'<textarea id="[a-z]+-sematkan-kode"[^>]*>([^<]*)</textarea>', page).group(1))
        assert code.startswith("<iframe src=") and "/sematkan/" in code and f"rilis={rel.id}" in code
        meta = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', page))
        image = h.unescape(meta["og:image"])
        assert "/unduh/grafik/tren/tpt.png?" in image and f"rilis={rel.id}" in image and meta["twitter:card"] == "summary_large_image"
        r = client.get(image[image.index("/unduh/"):])
        assert r.status_code == 200 and r.data[:8] == b"\x89PNG\r\n\x1a\n"


def _spread_with_a_protected_cell(rel) -> tuple[str, int]:
    """An indicator and year whose kabupaten/kota include both published and protected cells (which
    ones depends on the release's suppression pattern, so it is looked up, not fixed)."""
    import pandas as pd

    from tests.helpers import current_release

    rows = pd.read_parquet(current_release() / "indicators.parquet",
                           filters=[("tingkat", "==", "kabupaten_kota"), ("dimensi", "==", "total")])
    rows = rows[~rows["indicator_id"].str.startswith("bps_")]
    mixed = rows.groupby(["indicator_id", "tahun"])["status"].agg(lambda s: s.isin(["S1", "S2"]).any() and (s == "ok").any())
    for preferred in ("tpt", "persen_penduduk_miskin"):
        for (ind, year), ok in sorted(mixed.items(), key=lambda kv: -kv[0][1]):
            if ok and ind == preferred:
                return ind, int(year)
    (ind, year) = next(k for k, ok in sorted(mixed.items()) if ok)
    return ind, int(year)


def test_the_spread_equals_the_maps_csv_for_kabupaten_kota_and_draws_no_protected_cell(client, rel):
    ind, year = _spread_with_a_protected_cell(rel)
    r = client.get(f"/unduh/grafik/sebaran/{ind}.svg?tahun={year}&rilis={rel.id}")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    svg = r.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(client.get(
        f"/unduh/peta.csv?indikator={ind}&tingkat=kabupaten_kota&tahun={year}&rilis={rel.id}").get_data(as_text=True))))
    expected = {r["kode_wilayah"]: r["nilai"] for r in rows if r["nilai"]}
    protected = {r["kode_wilayah"] for r in rows if not r["nilai"]}
    drawn = dict(re.findall(r'data-kode="([^"]+)" data-nilai="([^"]+)"', svg))
    assert expected and drawn == expected and protected and not protected & set(drawn)
    words = texts(svg)
    assert f"{rel.catalog[ind].nama_id}, {year} — sebaran antarkabupaten/kota" in words and "Satuan: " in words
    assert f"Sumber: Portal Data DTSEN Terbuka, rilis {rel.id}" in words and SYNTHETIC_NOTICE in words
    assert f"{len(protected)} dari {len(rows)} kabupaten/kota dilindungi" in words
    alt = h.unescape(re.search(r'class="svg-chart" role="img" aria-label="([^"]*)"', svg).group(1))
    for kode in protected:  # never named, never valued
        assert kode not in alt and rel.region(kode)["nama"] not in alt
    png = client.get(f"/unduh/grafik/sebaran/{ind}.png?tahun={year}")
    assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n" and png_size(png.data)[0] == 1200
    assert f'filename="dtsen_grafik_sebaran_{ind}_{year}_' in png.headers["Content-Disposition"]


def test_the_target_chart_is_the_target_pages_national_series_and_path(client, rel):
    ind = "tpt"
    r = client.get(f"/unduh/grafik/target/{ind}.svg?rilis={rel.id}")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    svg = r.get_data(as_text=True)
    api = json.loads(client.get(f"/api/v1/nilai?indikator={ind}&kode=00&dimensi=total&kategori=total&rilis={rel.id}").data)
    decimals = rel.catalog[ind].desimal
    published = {("00", int(row["tahun"])): f"{row['nilai']:.{decimals}f}" for row in api["data"] if row["nilai"] is not None}
    assert published and points(svg) == published
    page = client.get(f"/target?indikator={ind}&rilis={rel.id}").get_data(as_text=True)
    sentence = h.unescape(re.search(r'id="target-grafik-teks"[^>]*>([^<]*)<', page).group(1))
    for (_kode, year), value in points(svg).items():  # the page's own words for the same numbers
        assert f"{year}: {value.replace('.', ',')} %" in sentence
    start, start_year, end, end_year = re.search(r"Jalur target lurus dari ([\d,.]+) \((\d{4})\) ke ([\d,.]+) \((\d{4})\)", sentence).groups()
    path = {int(y): v for y, v in re.findall(r'data-jalur-tahun="(\d+)" data-jalur-nilai="([^"]+)"', svg)}
    assert path[int(start_year)].replace(".", ",") == start and path[int(end_year)].replace(".", ",") == end
    assert re.search(rf'data-target-tahun="{end_year}" data-target-nilai="{re.escape(end.replace(",", "."))}"', svg)
    words = texts(svg)
    assert f"Tingkat pengangguran terbuka: Indonesia menuju target {end_year}" in words and SYNTHETIC_NOTICE in words
    assert f"Sumber: Portal Data DTSEN Terbuka, rilis {rel.id}" in words and f"/target?indikator={ind}&rilis={rel.id}" in "".join(words.split())
    png = client.get(f"/unduh/grafik/target/{ind}.png")
    assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n" and png_size(png.data)[0] == 1200


def test_the_new_charts_in_english(client, rel):
    year = max(rel.years)
    for path, title in [(f"/unduh/grafik/sebaran/tpt.svg?tahun={year}&lang=en", f"Open unemployment rate, {year} — spread across regencies/cities"),
                        ("/unduh/grafik/target/tpt.svg?lang=en", "Open unemployment rate: Indonesia towards the 2029 target")]:
        words = texts(client.get(path).get_data(as_text=True))
        assert title in words and "Source: DTSEN Open Data Portal" in words and "SYNTHETIC DATA" in words and "Unit: percent" in words, path
        assert "sebaran" not in words and "menuju" not in words and "teramati" not in words
    label = re.compile(r'font-weight="bold" text-anchor="middle"[^>]*>([^<]+)</text>')
    en = client.get("/unduh/grafik/target/bps_harapan_lama_sekolah.svg?lang=en").get_data(as_text=True)
    idn = client.get("/unduh/grafik/target/bps_harapan_lama_sekolah.svg").get_data(as_text=True)
    assert "." in label.findall(en)[-1] and "," in label.findall(idn)[-1]  # 13.2 against 13,2


@pytest.mark.parametrize("path, status", [
    ("/unduh/grafik/sebaran/tidak-ada.png", 404), ("/unduh/grafik/sebaran/tpt.svg?tahun=dua", 400), ("/unduh/grafik/sebaran/tpt.svg?tahun=1900", 404),
    ("/unduh/grafik/sebaran/tpt.png?tahun=" + "9" * 300, 400), ("/unduh/grafik/target/tidak-ada.svg", 404),
    ("/unduh/grafik/target/rata_rata_konsumsi_per_kapita.svg", 404), ("/unduh/grafik/target/tpt.gif", 404),
    ("/unduh/grafik/target/tpt.svg?rilis=tidak-ada", 404),
])
def test_a_bad_spread_or_target_address_says_why(client, path, status):
    r = client.get(path)
    assert r.status_code == status and r.mimetype == "text/plain" and len(r.data) > 10, (path, r.status_code, r.data[:200])


def test_the_spread_and_target_charts_offer_their_images(client, rel):
    for path, prefix, image in [("/indikator/tpt", "indikator-sebaran-gambar", "/unduh/grafik/sebaran/tpt.png?tahun="),
                                ("/target?indikator=tpt", "target-grafik-gambar", "/unduh/grafik/target/tpt.png?")]:
        page = client.get(path).get_data(as_text=True)
        link = h.unescape(re.search(rf'<a id="{prefix}-png"[^>]*href="([^"]+)"', page).group(1))
        assert link.startswith(image) and f"rilis={rel.id}" in link and f'id="{prefix}-svg"' in page
        assert client.get(link).data[:8] == b"\x89PNG\r\n\x1a\n"


def copy_buttons(page: str) -> list[dict[str, str]]:
    return [{k: h.unescape(v) for k, v in re.findall(r'([a-z-]+)="([^"]*)"', tag)}
            for tag in re.findall(r"<button[^>]*data-copy-image=[^>]*>", page)]


def test_every_image_download_has_a_copy_button_for_the_same_png_and_the_csp_lets_it_fetch(client, rel):
    for path, prefixes in [("/indikator/tpt", ["indikator-tren-gambar", "indikator-peringkat-gambar", "indikator-sebaran-gambar"]),
                           ("/target?indikator=tpt", ["target-grafik-gambar"]), ("/wilayah/34.71?indikator=tpt", ["wilayah-tren-gambar"]),
                           ("/peta?indikator=tpt", ["peta-unduh"])]:
        r = client.get(path)
        page = r.get_data(as_text=True)
        buttons = [(a["data-copy-image"], a["aria-label"]) for a in copy_buttons(page)]
        for prefix in prefixes:
            png = h.unescape(re.search(rf'<a id="{prefix}-png"[^>]*href="([^"]+)"', page).group(1))
            assert [label for url, label in buttons if url == png], (path, prefix, buttons)
        assert all(label.startswith("Salin gambar: ") for _url, label in buttons) and len(buttons) == len(prefixes)
        assert 'class="share copy-image-box"' in page and 'aria-live="polite"' in page
        csp = dict(d.strip().split(" ", 1) for d in r.headers["Content-Security-Policy"].split(";"))
        assert csp["connect-src"] == "'self'" and "unsafe-inline" not in csp["script-src"]
    [en] = copy_buttons(client.get("/target?indikator=tpt&lang=en").get_data(as_text=True))
    assert "lang=en" in en["data-copy-image"] and en["aria-label"].startswith("Copy image: ") and en["data-ok"] == "Image copied."
    script = client.get("/assets/55-copy-image.js")
    assert script.status_code == 200 and b"navigator.clipboard.write" in script.data and b"ClipboardItem" in script.data


@pytest.mark.parametrize("path,words", [
    ("/indikator/tpt", "Tingkat pengangguran terbuka"),
    ("/wilayah/34.71", "Kota Yogyakarta"),
    ("/bandingkan?wilayah=34.01,34.71", "Kabupaten Kulon Progo, Kota Yogyakarta"),
    ("/peta?indikator=tpt&tingkat=kabupaten_kota", "Tingkat pengangguran terbuka"),
    ("/target?indikator=tpt", "Tingkat pengangguran terbuka: capaian terhadap target"),
    ("/target?indikator=tpt&wilayah=34.71", "Tingkat pengangguran terbuka di Kota Yogyakarta"),
    ("/", "Rilis"),
])
def test_a_shared_link_previews_a_1200_by_630_card_and_says_what_it_is(client, rel, path, words):
    """Outside check: /bandingkan had no og:image, indicator and profile pages a generic description, and the
    images were not the 1.91:1 that previews crop to, with no og:image:height."""
    meta = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', client.get(path).get_data(as_text=True)))
    image = h.unescape(meta["og:image"])
    assert "kartu=1" in image and f"rilis={rel.id}" in image, image
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    r = client.get(image[image.index("/unduh/"):])
    assert r.status_code == 200 and png_size(r.data) == (1200, 630)
    if words:
        description = h.unescape(meta["og:description"])
        assert words in description and f"ilis {rel.id}" in description, description
        assert "DATA SINTETIS" in description  # the test release is synthetic, and a preview travels without the page


def test_a_change_in_the_drawing_code_draws_the_images_again(client, rel, monkeypatch):
    """PNGs are kept per release, view and language; a deploy that changes how images look must not
    serve the old pictures from that cache (they would keep, e.g., a percentage axis up to 125)."""
    import web.images as images

    url = "/unduh/grafik/tren/tpt.png?wilayah=34.71"
    first = client.get(url)
    kept = images.png_cache_path(rel, "probe")
    assert first.status_code == 200 and kept.parent.name == images.drawing_version()
    monkeypatch.setitem(images.__dict__, "_drawing_version", "0" * 12)  # as after a deploy of other drawing code
    fresh = images.png_cache_path(rel, "probe").parent
    assert fresh.name == "0" * 12 and not kept.parent.exists()  # the old version's pictures are gone
    again = client.get(url)
    assert again.status_code == 200 and again.data == first.data and any(fresh.glob("*.png"))  # drawn anew into the new folder


def test_the_comparison_image_draws_each_region_as_the_comparison_download_says(client, rel):
    """Outside check: /bandingkan shared the first region's own trend (the others absent). Its picture is now
    every compared region's trend; each point is the comparison download's published value."""
    import io

    import pandas as pd

    codes = "34.01,34.71,75.01"
    page = client.get(f"/bandingkan?wilayah={codes}").get_data(as_text=True)
    meta = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', page))
    assert "/unduh/grafik/bandingkan/persen_penduduk_miskin.png?" in h.unescape(meta["og:image"])
    svg = client.get(f"/unduh/grafik/bandingkan/persen_penduduk_miskin.svg?wilayah={codes}").get_data(as_text=True)
    drawn = points(svg)
    table = pd.read_csv(io.StringIO(client.get(f"/unduh/bandingkan.csv?wilayah={codes}").get_data(as_text=True)),
                        dtype={"kode_wilayah": str}, keep_default_na=False, na_values=[""])
    mine = table[(table.indicator_id == "persen_penduduk_miskin") & table.kode_wilayah.isin(codes.split(","))]
    published = {(r.kode_wilayah, int(r.tahun)): r.nilai for r in mine.itertuples() if r.status == "ok"}
    assert {k for k, _ in drawn} == set(codes.split(",")) & {k for k, _ in published}
    assert drawn.keys() == published.keys()  # a protected year is no point
    for key, value in drawn.items():
        assert float(value) == pytest.approx(published[key], abs=0.006), key
    for query, status in [("wilayah=34.01", 400), ("wilayah=34.01,99.99", 404), ("", 400), ("wilayah=", 400)]:
        assert client.get(f"/unduh/grafik/bandingkan/persen_penduduk_miskin.png?{query}").status_code == status, query
    # the comparison page offers the image itself
    assert 'id="bandingkan-gambar-png"' in page and "/unduh/grafik/bandingkan/persen_penduduk_miskin.svg?" in page
    # a region the indicator is not published for is named as left out, and the source is the whole comparison
    svg = client.get("/unduh/grafik/bandingkan/bps_tpt.svg?wilayah=34,34.71").get_data(as_text=True)
    assert "Kota Yogyakarta" in texts(svg) and "Tidak digambar" in texts(svg)
    assert "bandingkan?wilayah=34,34.71" in texts(svg).replace("%2C", ",")


def test_a_regions_target_view_shares_and_offers_its_own_trajectory(client, rel):
    """Second outside check: /target?indikator=tpt&wilayah=34.71 described Kota Yogyakarta but shared the
    national chart, and /unduh/grafik/target/tpt.png?wilayah=34.71 ignored the region."""
    import io

    import pandas as pd

    page = client.get("/target?indikator=tpt&wilayah=34.71").get_data(as_text=True)
    meta = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', page))
    image = h.unescape(meta["og:image"])
    assert "/unduh/grafik/target/tpt.png?" in image and "wilayah=34.71" in image and "kartu=1" in image
    assert 'id="target-lintasan-gambar-png"' in page
    svg = client.get("/unduh/grafik/target/tpt.svg?wilayah=34.71").get_data(as_text=True)
    assert "Kota Yogyakarta" in texts(svg)
    drawn = points(svg)
    profile = pd.read_csv(io.StringIO(client.get("/unduh/wilayah/34.71.csv").get_data(as_text=True)), dtype={"kode_wilayah": str},
                          keep_default_na=False, na_values=[""])
    mine = profile[(profile.indicator_id == "tpt") & (profile.kode_wilayah == "34.71") & (profile.rincian == "total") & (profile.status == "ok")]
    published = {("34.71", int(r.tahun)): r.nilai for r in mine.itertuples()}
    assert drawn and drawn.keys() == published.keys()  # the region's published years, each a point
    for key, value in drawn.items():
        assert float(value) == pytest.approx(published[key], abs=0.006), key
    national = client.get("/unduh/grafik/target/tpt.svg").get_data(as_text=True)
    assert {k for k, _ in points(national)} == {"00"}  # without a region: Indonesia, as before
    for query, status in [("wilayah=99.99", 404), ("wilayah=00", 404), ("wilayah=x" * 30, 400)]:
        assert client.get(f"/unduh/grafik/target/tpt.png?{query}").status_code == status, query
