"""The URL builders (components/links.py) and the download formats' registry (components/formats.py)."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from components import links
from components.formats import FORMATS, OFFERED, Table, split_format
from components.links import (about_url, api_url, bulk_url, chart_url, compare_url, download_url, embed_url, geo_url, home_url, indicator_url, map_url, region_url,
                              release_url, search_url, target_url, url, usage_url)


def test_params_keep_their_order_and_none_is_dropped():
    assert url("/peta", tahun=2025, indikator="tpt", induk=None, tingkat="provinsi") == "/peta?tahun=2025&indikator=tpt&tingkat=provinsi"
    assert url("/peta", induk=None) == "/peta"
    assert url("/peta") == "/peta"


def test_values_are_encoded_and_codes_stay_readable():
    assert map_url(induk="34.71.01") == "/peta?induk=34.71.01"
    assert search_url("kab bandung & garut") == "/cari?q=kab+bandung+%26+garut"
    assert search_url() == "/cari"
    assert region_url("34.71.01") == "/wilayah/34.71.01"
    assert region_url("a/b?c") == "/wilayah/a%2Fb%3Fc"  # a value cannot add a path step or a query


def test_a_state_query_is_kept_and_a_keyword_replaces_its_name_in_place():
    q = "indikator=tpt&tahun=2025&tingkat=kabupaten_kota&dimensi=total&kategori=total"
    assert map_url(q) == f"/peta?{q}"
    assert download_url("peta", "xlsx", q, tahun="semua") == "/unduh/peta.xlsx?indikator=tpt&tahun=semua&tingkat=kabupaten_kota&dimensi=total&kategori=total"
    assert map_url("indikator=tpt", tahun=2025) == "/peta?indikator=tpt&tahun=2025"
    assert target_url("indikator=tpt&wilayah=34", wilayah=None) == "/target?indikator=tpt"
    # Without keywords the query is passed as it came (a raw request query string is not re-encoded).
    assert download_url("peta", "meta.json", "q=a%20b") == "/unduh/peta.meta.json?q=a%20b"


def test_each_builder_has_its_page_path():
    assert home_url() == "/" and home_url(rilis="r1") == "/?rilis=r1"
    assert map_url() == "/peta"
    assert map_url(indikator="persen_penduduk_miskin", tahun=2025, tingkat="kabupaten_kota") == \
        "/peta?indikator=persen_penduduk_miskin&tahun=2025&tingkat=kabupaten_kota"
    assert indicator_url() == "/indikator" and indicator_url("tpt") == "/indikator/tpt"
    assert target_url() == "/target" and target_url(indikator="tpt") == "/target?indikator=tpt"
    assert release_url() == "/rilis" and release_url("20260101T000000Z") == "/rilis/20260101T000000Z"
    assert about_url() == "/tentang" and about_url("sel-kosong") == "/tentang#sel-kosong"
    assert region_url("00") == "/wilayah/00"
    assert usage_url() == "/statistik-penggunaan" and download_url("statistik-penggunaan", "csv") == "/unduh/statistik-penggunaan.csv"


def test_files_geometry_and_api_paths():
    assert download_url(("wilayah", "34.71"), "csv") == "/unduh/wilayah/34.71.csv"
    assert download_url(("wilayah", "34.71"), "meta.json") == "/unduh/wilayah/34.71.meta.json"
    assert download_url("target", "csv", "indikator=tpt&tingkat=provinsi&urut=skor") == "/unduh/target.csv?indikator=tpt&tingkat=provinsi&urut=skor"
    assert bulk_url("r1") == "/unduh/rilis/r1" and bulk_url("r1", "semua.csv.gz") == "/unduh/rilis/r1/semua.csv.gz"
    assert geo_url("r1", "provinsi") == "/geo/r1/provinsi.geojson"
    assert geo_url("r1", "kecamatan", "34.71") == "/geo/r1/kecamatan/34.geojson"
    assert api_url() == "/api/v1" and api_url("nilai", indikator="tpt", _next="abc") == "/api/v1/nilai?indikator=tpt&_next=abc"


def test_builders_import_no_web_layer():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(links))
    imported = {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | \
               {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert imported <= {"__future__", "urllib"}


@pytest.mark.parametrize("name,expected", [("34.71.meta.json", ("34.71", "meta.json")), ("34.71.csv", ("34.71", "csv")),
                                           ("34.parquet", ("34", "parquet")), ("34.pdf", ("34", "pdf")), ("meta.json", ("meta", "json"))])
def test_split_format_takes_the_longest_known_suffix(name, expected):
    assert split_format(name) == expected


def test_registry_keeps_the_pages_words_and_ids():
    assert [(f.label, f.id_suffix) for f in OFFERED] == [("Unduh Excel (XLSX)", "-xlsx"), ("Unduh CSV", "")]
    assert FORMATS["zip"].label == "ZIP (CSV + metadata)" and FORMATS["meta.json"].label == "metadata JSON"
    assert len({f.id_suffix for f in FORMATS.values()}) == len(FORMATS)  # no two formats share an element id


def test_every_writer_writes_the_same_rows():
    df = pd.DataFrame({"kode_wilayah": ["34", "35"], "nilai": [3.8, 4.25], "status": ["ok", "S1"], "pembilang": [120.0, 5.0]})
    table = Table(df, [("rilis", "r1")], ["kode_wilayah", "nilai", "status", "keterangan_status", "pembilang"], {"nilai": 2}, "stem")
    out = {ext: f.write(table) for ext, f in FORMATS.items()}
    csv = pd.read_csv(io.StringIO(out["csv"]), dtype={"kode_wilayah": str})
    parquet = pd.read_parquet(io.BytesIO(out["parquet"]))
    assert list(csv["kode_wilayah"]) == list(parquet["kode_wilayah"]) == ["34", "35"]
    assert parquet["nilai"].tolist()[0] == 3.8 and pd.isna(parquet["nilai"].tolist()[1])  # protected: null, never 0
    assert parquet["pembilang"].tolist()[0] == 120
    assert out["csv"].startswith("kode_wilayah,") and '"rilis": "r1"' in out["meta.json"]


@pytest.mark.parametrize("built,page", [
    (home_url(), "pages.beranda"), (map_url(indikator="tpt"), "pages.peta"), (region_url("34.71.01"), "pages.wilayah"),
    (indicator_url(), "pages.indikator"), (indicator_url("tpt"), "pages.indikator_detail"), (target_url(indikator="tpt"), "pages.target"),
    (search_url("sleman"), "pages.cari"), (release_url(), "pages.rilis"), (release_url("r1"), "pages.rilis_detail"),
    (about_url("sel-kosong"), "pages.tentang"), (usage_url(), "pages.statistik_penggunaan"),
    (compare_url(["34.01", "34.71"]), "pages.bandingkan"),
])
def test_each_page_builder_leads_to_its_page(built, page):
    """The builders and the pages' registrations (dash.register_page) name the same paths."""
    import app  # noqa: F401  (registers the pages)
    from dash._pages import _path_to_page

    found, _ = _path_to_page(built.split("?")[0].split("#")[0].strip("/"))
    assert found and found["module"] == page


@pytest.mark.parametrize("built,endpoint", [
    (download_url("peta", "csv", tahun="semua"), "map_download"), (download_url(("wilayah", "34.71"), "meta.json"), "region_download"),
    (download_url("target", "parquet"), "target_download"), (bulk_url("r1"), "bulk_index"), (bulk_url("r1", "semua.csv.gz"), "bulk_file"),
    (geo_url("r1", "kecamatan", "34.71"), "geo"), (api_url(), "api_index"), (api_url("nilai", indikator="tpt"), "api_values"),
    (download_url("statistik-penggunaan", "csv"), "usage_download"), (download_url("bandingkan", "xlsx", wilayah="34,75"), "compare_download"),
    (download_url("peta", "png"), "map_image_png"), (download_url("peta", "svg"), "map_image_svg"), (embed_url("peta", indikator="tpt"), "map_embed"),
    (chart_url("tren", "tpt", "png", wilayah="34.71"), "chart_image"), (chart_url("peringkat", "tpt", "svg"), "chart_image"),
    (embed_url(("indikator", "tpt")), "indicator_embed"), (embed_url(("wilayah", "34.71"), indikator="tpt"), "region_embed"),
])
def test_each_file_builder_leads_to_its_route(built, endpoint):
    import app

    assert app.server.url_map.bind("localhost").match(built.split("?")[0])[0] == endpoint


def test_a_comparison_address_keeps_its_commas_and_escapes_each_code():
    assert compare_url(["32.05", "32.06"]) == "/bandingkan?wilayah=32.05,32.06"
    assert compare_url(["34.71"], cari="kab bantul") == "/bandingkan?wilayah=34.71&cari=kab+bantul"
    assert compare_url() == "/bandingkan" and compare_url(["a,b&c"]) == "/bandingkan?wilayah=a%2Cb%26c"
