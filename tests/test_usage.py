"""Usage figures (web/usage.py, web/usage_store.py, pages/statistik_penggunaan.py): what is counted,
that nothing about the reader is kept, that no URL makes a new key, the page and its download."""
from __future__ import annotations

import io
import json
import logging

import pandas as pd
import pytest

from data.catalog import LEVELS
from web.usage import DOWNLOAD_FORMATS, NONE, Tally, classify, tally
from web.usage_store import COLUMNS, RedisCounts, SqliteCounts, as_frame, daily_totals, top_indicators

from tests.redis_server import RedisServer
from tests.test_no_5xx import envelope, key_with

INDICATORS = {"tpt": None, "persen_penduduk_miskin": None}
SENTINELS = ["203.0.113.77", "198.51.100.23", "Sentinel-UA-4711", "rahasia-kue", "rahasia-kueri"]


def key(method, path, args=None, status=200, mimetype="text/html", callback=None):
    return classify(method, path, args or {}, status, mimetype, INDICATORS, callback)


@pytest.mark.parametrize("method,path,args,status,mimetype,expected", [
    ("GET", "/", {}, 200, "text/html", ("halaman", NONE, NONE, NONE)),
    ("GET", "/peta", {"indikator": "tpt", "tingkat": "kabupaten_kota", "tahun": "2025"}, 200, "text/html", ("halaman", "tpt", "kabupaten_kota", NONE)),
    ("GET", "/indikator/tpt", {}, 200, "text/html", ("halaman", "tpt", NONE, NONE)),
    ("GET", "/wilayah/34.71.01", {}, 200, "text/html", ("halaman", NONE, "kecamatan", NONE)),
    ("GET", "/wilayah/00", {}, 200, "text/html", ("halaman", NONE, "nasional", NONE)),
    ("GET", "/unduh/peta.csv", {"indikator": "tpt", "tingkat": "provinsi"}, 200, "text/csv", ("unduhan", "tpt", "provinsi", "csv")),
    ("GET", "/unduh/wilayah/34.71.meta.json", {}, 200, "application/json", ("unduhan", NONE, "kabupaten_kota", "meta.json")),
    ("GET", "/unduh/rilis/r1/semua.csv.gz", {}, 200, "application/gzip", ("unduhan", NONE, NONE, "csv.gz")),
    ("GET", "/unduh/rilis/r1/tingkat-kecamatan.xlsx", {}, 200, "application/zip", ("unduhan", NONE, "kecamatan", "xlsx")),
    ("GET", "/unduh/rilis/r1/geo-provinsi.geojson", {}, 200, "application/geo+json", ("unduhan", NONE, "provinsi", "geojson")),
    ("GET", "/api/v1/nilai", {"indikator": "tpt", "format": "csv"}, 200, "text/csv", ("api", "tpt", NONE, "csv")),
    ("GET", "/api/v1/wilayah", {"tingkat": "provinsi"}, 200, "application/json", ("api", NONE, "provinsi", "json")),
    # junk in the address is counted as '-', never as itself
    ("GET", "/", {"indikator": "x" * 300, "tingkat": "desa"}, 200, "text/html", ("halaman", NONE, NONE, NONE)),
    ("GET", "/indikator/bukan_indikator", {}, 200, "text/html", ("halaman", NONE, NONE, NONE)),
    ("GET", "/wilayah/abc", {}, 200, "text/html", ("halaman", NONE, NONE, NONE)),
    ("GET", "/unduh/peta.pdf", {"indikator": "<script>"}, 200, "text/plain", ("unduhan", NONE, NONE, NONE)),
    # not counted
    ("GET", "/peta", {}, 404, "text/html", None),
    ("GET", "/peta", {}, 500, "text/html", None),
    ("GET", "/api/v1/nilai", {"indikator": "tpt"}, 304, "application/json", None),
    ("GET", "/unduh/rilis/r1/semua.parquet", {}, 206, "application/vnd.apache.parquet", None),
    ("HEAD", "/", {}, 200, "text/html", None),
    ("GET", "/assets/10-portal.css", {"m": "1"}, 200, "text/css", None),
    ("GET", "/_dash-layout", {}, 200, "application/json", None),
    ("GET", "/_dash-component-suites/dash/dash-renderer/build/dash_renderer.min.js", {}, 200, "application/javascript", None),
    ("GET", "/geo/r1/provinsi.geojson", {}, 200, "application/geo+json", None),
    ("GET", "/api/cari", {"q": "garut"}, 200, "application/json", None),
    ("GET", "/sehat", {}, 200, "application/json", None),
    ("POST", "/api/v1/nilai", {}, 200, "application/json", None),
])
def test_classify(method, path, args, status, mimetype, expected):
    assert key(method, path, args, status, mimetype) == expected


def test_a_change_of_the_maps_controls_counts_as_a_view_of_the_map():
    body = {"output": "..peta-grafik.figure...peta-judul.children..", "inputs": [
        {"id": "peta-indikator", "property": "value", "value": "tpt"}, {"id": "peta-tingkat", "property": "value", "value": "kecamatan"}]}
    assert key("POST", "/_dash-update-component", callback=body, mimetype="application/json") == ("halaman", "tpt", "kecamatan", NONE)
    other = {**body, "output": "peta-tahun.options"}  # the map's other callbacks are parts of one change
    assert key("POST", "/_dash-update-component", callback=other, mimetype="application/json") is None
    junk = {**body, "inputs": [{"id": "peta-indikator", "property": "value", "value": ["tpt"]}]}
    assert key("POST", "/_dash-update-component", callback=junk, mimetype="application/json") is None
    assert key("POST", "/_dash-update-component", callback="[", mimetype="application/json") is None


def test_sums_for_the_page():
    df = as_frame([("2026-12-01", "halaman", "tpt", NONE, NONE, 3), ("2026-12-01", "api", "tpt", NONE, "csv", 2),
                   ("2026-12-02", "unduhan", "persen_penduduk_miskin", "provinsi", "xlsx", 1), ("2026-12-02", "halaman", NONE, NONE, NONE, 7)])
    days = daily_totals(df)
    assert days.to_dict("records") == [{"hari": "2026-12-02", "halaman": 7, "unduhan": 1, "api": 0, "jumlah": 8},
                                       {"hari": "2026-12-01", "halaman": 3, "unduhan": 0, "api": 2, "jumlah": 5}]
    top = top_indicators(df)
    assert list(top["indikator"]) == ["tpt", "persen_penduduk_miskin"] and list(top["jumlah"]) == [5, 1]


def test_sqlite_counts_add_up_across_worker_processes(tmp_path):
    """gunicorn's workers are processes writing one file: none of their batches may be lost."""
    import subprocess
    import sys

    db = tmp_path / "penggunaan.sqlite3"
    script = ("import sys; from web.usage_store import SqliteCounts; s = SqliteCounts(sys.argv[1])\n"
              "for n in range(50): s.add({('2026-12-01', 'halaman', 'tpt', '-', '-'): 1, ('2026-12-01', 'api', '-', '-', sys.argv[2]): 2})")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(db), fmt]) for fmt in ("json", "csv", "json")]
    assert [p.wait(120) for p in procs] == [0, 0, 0]
    assert sorted(SqliteCounts(db).rows()) == [("2026-12-01", "api", "-", "-", "csv", 100), ("2026-12-01", "api", "-", "-", "json", 200),
                                               ("2026-12-01", "halaman", "tpt", "-", "-", 150)]


# --- Through the app --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def portal():
    import app as portal

    portal.server.test_client().get("/")  # Dash registers its callbacks on the first request
    return portal


@pytest.fixture
def counts(portal, tmp_path, monkeypatch):
    """This test's own tally, in a fresh SQLite file: earlier tests' requests are not in it."""
    fresh = Tally(SqliteCounts(tmp_path / "penggunaan.sqlite3"))
    monkeypatch.setitem(portal.server.extensions, "dtsen_usage", fresh)
    return fresh


@pytest.fixture
def client(portal):
    return portal.server.test_client()


def stored(counts) -> dict:
    assert counts.flush()
    return {tuple(r[1:5]): r[5] for r in counts.rows()}


def test_pages_downloads_and_api_reads_each_count_once(client, counts):
    assert client.get("/peta?indikator=tpt&tingkat=kabupaten_kota").status_code == 200
    assert client.get("/unduh/peta.csv?indikator=tpt&tingkat=provinsi").status_code == 200
    assert client.get("/api/v1/nilai?indikator=tpt&format=csv&batas=1").status_code == 200
    assert client.get("/api/v1/indikator").status_code == 200
    assert client.get("/tidak-ada").status_code == 404
    assert client.get("/peta?indikator=bukan_indikator").status_code == 404
    assert client.get("/assets/10-portal.css").status_code == 200
    assert client.get("/api/cari?q=garut").status_code == 200
    assert stored(counts) == {("halaman", "tpt", "kabupaten_kota", NONE): 1, ("unduhan", "tpt", "provinsi", "csv"): 1,
                              ("api", "tpt", NONE, "csv"): 1, ("api", NONE, NONE, "json"): 1}
    client.get("/unduh/peta.csv?indikator=tpt&tingkat=provinsi")
    assert stored(counts)[("unduhan", "tpt", "provinsi", "csv")] == 2


def test_a_change_on_the_map_counts_through_its_callback(client, counts, portal):
    year = str(portal.queries.store().get().years[-1])
    values = {"peta-indikator.value": "tpt", "peta-tahun.value": year, "peta-tingkat.value": "provinsi", "peta-induk.value": "00",
              "peta-dimensi.value": "total", "peta-kategori.value": "total", "peta-kunci.data": None}
    body = envelope(portal, key_with(portal, "peta-grafik.figure"), values)
    r = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 200
    assert stored(counts) == {("halaman", "tpt", "provinsi", NONE): 1}


def test_no_address_user_agent_cookie_or_query_is_stored(client, counts, tmp_path):
    client.set_cookie("sesi", "rahasia-kue")
    headers = {"User-Agent": "Sentinel-UA-4711", "X-Forwarded-For": "203.0.113.77", "Referer": "https://example.org/rahasia-kueri"}
    env = {"REMOTE_ADDR": "198.51.100.23"}
    for path in ("/cari?q=rahasia-kueri", "/peta?indikator=tpt&catatan=rahasia-kueri", "/unduh/peta.csv?indikator=tpt&x=rahasia-kueri"):
        assert client.get(path, headers=headers, environ_base=env).status_code == 200
    assert counts.flush()
    with sqlite_columns(tmp_path / "penggunaan.sqlite3") as columns:
        assert columns == COLUMNS  # the table has no column for anything else
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("penggunaan.sqlite3"))  # the file, its WAL
    assert raw and not [s for s in SENTINELS if s.encode() in raw]
    assert sum(r[5] for r in counts.rows()) == 3


class sqlite_columns:
    def __init__(self, path):
        import sqlite3

        self.con = sqlite3.connect(path)

    def __enter__(self):
        return [r[1] for r in self.con.execute("PRAGMA table_info(penggunaan)")]

    def __exit__(self, *exc):
        self.con.close()


def test_junk_in_addresses_makes_no_new_keys(client, counts, portal):
    rel = portal.queries.store().get()
    for n in range(60):
        junk = f"x{n}-{'<b>' * (n % 4)}"
        client.get(f"/?indikator={junk}&tingkat={junk}")
        client.get(f"/cari?q=a&indikator={junk}")
        client.get(f"/indikator/{junk}")
        client.get(f"/wilayah/{junk}")
        client.get(f"/unduh/peta.{junk}?indikator=tpt")
        client.get(f"/unduh/rilis/{rel.id}/{junk}.csv")
        client.get(f"/api/v1/nilai?indikator={junk}")
    keys = stored(counts)
    assert set(keys) == {("halaman", NONE, NONE, NONE)}  # the home and search pages, each as '-'
    for jenis, indikator, tingkat, fmt in keys:
        assert indikator in {NONE, *rel.catalog} and tingkat in {NONE, *LEVELS} and fmt in {NONE, "html", "json", *DOWNLOAD_FORMATS}


def test_the_page_and_its_download_show_the_counts(client, counts):
    for _ in range(3):
        client.get("/indikator/tpt")
    client.get("/unduh/peta.xlsx?indikator=tpt")
    assert counts.flush()
    r = client.get("/statistik-penggunaan")
    assert r.status_code == 200
    html = r.get_data(as_text=True)  # served whole, before any script
    assert '<table id="penggunaan-harian"' in html and '<th scope="col">Halaman dibuka</th>' in html
    assert "Tingkat pengangguran terbuka" in html and "alamat IP" in html
    assert 'href="/unduh/statistik-penggunaan.csv"' in html and 'href="/statistik-penggunaan"' in html  # the download; the footer's link
    daily = pd.read_html(io.StringIO(html), attrs={"id": "penggunaan-harian"})[0]
    assert daily.iloc[0]["Halaman dibuka"] == 3 and daily.iloc[0]["Berkas diunduh"] == 1
    assert counts.flush()
    csv = client.get("/unduh/statistik-penggunaan.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    df = pd.read_csv(io.StringIO(csv.get_data(as_text=True)), keep_default_na=False)
    assert list(df.columns) == COLUMNS
    rows = {tuple(r[1:5]): r[5] for r in df.itertuples(index=False)}
    assert rows[("halaman", "tpt", NONE, NONE)] == 3 and rows[("unduhan", "tpt", NONE, "xlsx")] == 1
    assert rows[("halaman", NONE, NONE, NONE)] == 1  # the usage page itself
    assert client.get("/unduh/statistik-penggunaan.xlsx").status_code == 200
    assert client.get("/unduh/statistik-penggunaan.pdf").status_code == 404


def test_an_empty_store_says_so(client, counts):
    r = client.get("/statistik-penggunaan")
    assert r.status_code == 200 and "Belum ada angka tercatat" in r.get_data(as_text=True)


def test_a_failing_store_never_fails_a_request_and_keeps_the_counts(client, portal, monkeypatch, tmp_path, caplog):
    class Broken(SqliteCounts):
        def add(self, counts):
            raise OSError("disk full")

        def rows(self):
            raise __import__("sqlite3").OperationalError("database is locked")

    broken = Tally(Broken(tmp_path / "x.sqlite3"))
    monkeypatch.setitem(portal.server.extensions, "dtsen_usage", broken)
    with caplog.at_level(logging.WARNING):
        for _ in range(20):
            assert client.get("/indikator/tpt").status_code == 200
            assert broken.flush() is False
        assert client.get("/statistik-penggunaan").status_code == 200
        assert client.get("/unduh/statistik-penggunaan.csv").status_code == 503
    assert broken._pending and sum(broken._pending.values()) == 21  # nothing lost; counted when the store is back
    assert len([r for r in caplog.records if "usage counts not stored" in r.getMessage()]) <= 1


# --- In Redis ---------------------------------------------------------------------------------


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.stop()


def test_counts_in_redis_survive_an_outage(client, portal, monkeypatch, redis_server):
    from data.failsoft import redis_client

    store = RedisCounts(redis_client(redis_server.url))
    counts = Tally(store)
    monkeypatch.setitem(portal.server.extensions, "dtsen_usage", counts)
    client.set_cookie("sesi", "rahasia-kue")
    for _ in range(2):
        client.get("/peta?indikator=tpt", headers={"User-Agent": "Sentinel-UA-4711"}, environ_base={"REMOTE_ADDR": "198.51.100.23"})
    assert counts.flush()
    r = redis_server.client()
    assert sorted(k.decode() for k in r.keys("*")) == sorted([RedisCounts.DAYS, RedisCounts.PREFIX + counts.rows()[0][0]])
    dump = repr([r.hgetall(k) if r.type(k) == b"hash" else r.smembers(k) for k in r.keys("*")])
    assert not [s for s in SENTINELS if s in dump]
    redis_server.kill()
    client.get("/peta?indikator=tpt")
    page = client.get("/statistik-penggunaan")
    assert page.status_code == 200 and "tidak dapat dibaca" in page.get_data(as_text=True)
    assert client.get("/unduh/statistik-penggunaan.csv").status_code == 503
    assert counts.flush() is False  # kept in memory
    redis_server.start()            # an empty Redis on the same address
    assert counts.flush()
    assert {tuple(row[1:5]): row[5] for row in counts.rows()} == {("halaman", "tpt", NONE, NONE): 1, ("halaman", NONE, NONE, NONE): 1}


def test_behind_nginx_the_mirrored_copy_counts_the_view_and_the_original_does_not(client, counts, monkeypatch):
    """web/usage_mirror.py: nginx's marks count only with DTSEN_USAGE_MIRROR=1 (scripts/serve.sh behind
    nginx); without it (no proxy, this test client) the app counts every page itself and refuses the copy."""
    monkeypatch.delenv("DTSEN_USAGE_MIRROR", raising=False)
    assert client.get("/indikator/tpt", headers={"X-Penggunaan-Dicermin": "1"}).status_code == 200
    assert client.get("/_penggunaan-cermin/indikator/tpt", headers={"X-Penggunaan-Cermin": "1"}).status_code == 404
    assert stored(counts) == {("halaman", "tpt", NONE, NONE): 1}
    monkeypatch.setenv("DTSEN_USAGE_MIRROR", "1")
    assert client.get("/indikator/tpt", headers={"X-Penggunaan-Dicermin": "1"}).status_code == 200  # nginx's original
    for path in ("/indikator/tpt", "/peta?indikator=tpt&tingkat=provinsi", "/tidak-ada", "/peta?indikator=bukan", "/robots.txt",
                 "/indikator/tpt?rilis=tidak-ada"):
        assert client.get("/_penggunaan-cermin" + path, headers={"X-Penggunaan-Cermin": "1"}).status_code in (204, 404)
    assert client.head("/_penggunaan-cermin/indikator/tpt", headers={"X-Penggunaan-Cermin": "1"}).status_code == 204
    assert client.get("/_penggunaan-cermin/indikator/tpt").status_code == 404  # not from nginx
    assert stored(counts) == {("halaman", "tpt", NONE, NONE): 2, ("halaman", "tpt", "provinsi", NONE): 1}
