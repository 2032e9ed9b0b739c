"""The portal over HTTP (Flask test client): statuses, pre-rendered text, downloads, geometry, headers."""
from __future__ import annotations

import gzip
import io
import re

import pandas as pd
import pytest

from tests.helpers import current_release, public_cells


@pytest.fixture(scope="module")
def client():
    import app as portal

    return portal.server.test_client()


@pytest.fixture(scope="module")
def rid():
    return current_release().name


@pytest.mark.parametrize("path", ["/", "/peta", "/tentang", "/peta?indikator=tpt&tahun=2024&tingkat=kabupaten_kota", "/peta?tingkat=kecamatan&induk=34"])
def test_pages_answer_200_with_text_and_synthetic_notice(client, path):
    r = client.get(path)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "DATA SINTETIS" in html  # in the served HTML, before any script runs
    assert "<h1>" in html or "<h1 " in html
    assert 'lang="id"' in html


@pytest.mark.parametrize(
    "path,status,text",
    [
        ("/tidak-ada", 404, "Halaman tidak ditemukan"),
        ("/peta?indikator=bukan_indikator", 404, "tidak dikenal"),
        ("/peta?induk=99.99", 404, "Kode wilayah"),
        ("/peta?tahun=dua-ribu", 400, "bilangan bulat"),
        ("/peta?tahun=1999", 404, "tersedia"),
        ("/peta?tingkat=desa", 400, "tingkat harus"),
        ("/peta?tingkat=kecamatan", 400, "wilayah induk"),
        ("/peta?dimensi=desil&tingkat=kecamatan&induk=34", 400, "Rincian"),
        ("/peta?dimensi=jenis_kelamin&kategori=X", 400, "Kategori"),
    ],
)
def test_bad_urls_get_a_status_and_a_reason(client, path, status, text):
    r = client.get(path)
    assert r.status_code == status
    assert text in r.get_data(as_text=True)


def test_security_headers(client):
    r = client.get("/")
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def read_csv(body: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(body.lstrip("\ufeff")), comment="#", dtype={"kode_wilayah": str, "kode_bps": str}, keep_default_na=False, na_values=[""])


def test_csv_twin_of_the_map(client, rid):
    r = client.get("/unduh/peta.csv?indikator=persen_penduduk_miskin&tahun=2025&tingkat=kecamatan&induk=34")
    assert r.status_code == 200
    assert r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"].startswith("attachment;")
    body = r.get_data(as_text=True)
    assert body.startswith("tahun,kode_wilayah,")  # header row first: pandas.read_csv(url) just works
    df = read_csv(body)
    assert df["sumber"].str.contains("DATA SINTETIS").all()  # the warning travels with every row
    meta = client.get("/unduh/peta.meta.json?indikator=persen_penduduk_miskin&tahun=2025&tingkat=kecamatan&induk=34").get_json()
    assert meta["PERINGATAN"].startswith("DATA SINTETIS") and meta["rilis"] == rid and rid in meta["kutipan"] and meta["lisensi"]
    commented = client.get("/unduh/peta.csv?indikator=persen_penduduk_miskin&tahun=2025&tingkat=kecamatan&induk=34&meta=1").get_data(as_text=True)
    assert commented.startswith("# PERINGATAN: DATA SINTETIS, bukan statistik resmi") and f"# rilis: {rid}" in commented and commented.endswith(body)
    cells = public_cells()
    expect = cells[(cells.indicator_id == "persen_penduduk_miskin") & (cells.tahun == 2025) & (cells.tingkat == "kecamatan") & cells.kode_wilayah.str.startswith("34.") & (cells.dimensi == "total")]
    assert len(df) == len(expect) > 0
    merged = df.merge(expect, on="kode_wilayah", suffixes=("", "_rel"))
    assert (merged["status"] == merged["status_rel"]).all()
    ok = merged["status"] == "ok"
    assert (merged.loc[ok, "nilai"] - merged.loc[ok, "nilai_rel"]).abs().max() < 1e-9
    assert merged.loc[~ok, "nilai"].isna().all()  # blank, never 0
    assert (~ok).any(), "the test release should have protected kecamatan to exercise this"
    assert df["kode_bps"].str.match(r"^\d+$").all()


def test_csv_bad_query_is_400_with_reason(client):
    r = client.get("/unduh/peta.csv?tahun=x")
    assert r.status_code == 400 and "bilangan bulat" in r.get_data(as_text=True)


def test_geometry_is_cacheable_compressed_and_contained(client, rid):
    url = f"/geo/{rid}/provinsi.geojson"
    r = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert "immutable" in r.headers["Cache-Control"] and r.headers.get("ETag")
    assert r.headers.get("Content-Encoding") == "gzip"
    data = gzip.decompress(r.get_data())
    assert b'"FeatureCollection"' in data
    again = client.get(url, headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/geo/lama/provinsi.geojson").status_code == 404
    assert client.get(f"/geo/{rid}/../manifest.json").status_code == 404
    assert client.get(f"/geo/{rid}/kecamatan/34.geojson").status_code == 200


def test_tentang_shows_release_and_protection(client, rid):
    html = client.get("/tentang").get_data(as_text=True)
    assert rid in html
    assert "penekanan komplementer dan audit penyerang" in html
    assert "Audit penyerang" in html and "audit lolos: ya" in html
    assert "Audit pembaca" in html and "audit pembaca lolos: ya" in html and "Sel terbuka: 0" in html
    assert "dilindungi" in html


@pytest.mark.parametrize("indikator", ["persen_penduduk_miskin", "tpt", "cakupan_pkh", "jumlah_penduduk", "apm_sma"])
def test_no_protected_number_leaves_through_the_csv(client, indikator):
    """Every row the release marks S1/S2 is blank in the download (value, numerator, denominator)."""
    cells = public_cells()
    for tingkat, induk in (("kecamatan", "34"), ("kabupaten_kota", None)):
        q = f"/unduh/peta.csv?indikator={indikator}&tahun=2025&tingkat={tingkat}" + (f"&induk={induk}" if induk else "")
        df = read_csv(client.get(q).get_data(as_text=True))
        hidden = df[df["status"].isin(["S1", "S2"])]
        assert hidden[["nilai", "pembilang", "penyebut"]].isna().all().all()
        ok = df[df["status"] == "ok"]
        assert ok["nilai"].notna().all()
    assert (cells["status"] == "S2").any()


def test_page_table_shows_no_protected_number(client):
    """The map page's own table (in the served HTML) labels S1/S2 regions, never a value."""
    import re

    cells = public_cells()
    view = cells[(cells.indicator_id == "persen_penduduk_miskin") & (cells.tahun == 2025) & (cells.tingkat == "kecamatan")
                 & cells.kode_wilayah.str.startswith("34.") & (cells.dimensi == "total")]
    hidden = set(view.loc[view.status.isin(["S1", "S2"]), "kode_wilayah"])
    assert hidden
    html = client.get("/peta?indikator=persen_penduduk_miskin&tahun=2025&tingkat=kecamatan&induk=34").get_data(as_text=True)
    # A row: rank, name (a link to the profile), value, then numerator and denominator.
    rows = re.findall(r'<tr><td>([^<]*)</td><td><a href="/wilayah/([0-9.]+)">[^<]*</a></td>(.*?)</tr>', html)
    assert len(rows) == len(view)
    for rank, kode, rest in rows:
        shown = re.sub(r"<[^>]+>", " ", rest)
        if kode in hidden:
            assert rank == "–" and "dilindungi" in shown and not re.search(r"\d", re.sub(r"S[12]", "", shown)), (kode, shown)
            assert 'class="protected-cell"' in rest
        else:
            assert rank.isdigit() and re.search(r"\d", shown), (kode, shown)


@pytest.mark.parametrize("path,status,text", [
    ("/wilayah/00", 200, "Indonesia"),
    ("/wilayah/34", 200, "Daerah Istimewa Yogyakarta"),
    ("/wilayah/34.71.01", 200, "Tegalrejo"),
    ("/wilayah/99.99", 404, "tidak ditemukan"),
    ("/wilayah/bukan-kode", 404, "tidak ditemukan"),
    ("/indikator/bukan_indikator", 404, "Indikator tidak ditemukan"),
    ("/target?indikator=jumlah_penduduk", 404, "tidak punya target"),
    ("/target?tingkat=desa", 400, "tingkat"),
    ("/target?urut=acak", 400, "urut"),
])
def test_profile_indicator_and_target_pages_answer_with_a_status_and_a_reason(client, path, status, text):
    r = client.get(path)
    assert r.status_code == status
    assert text in r.get_data(as_text=True)


def test_region_profile_shows_protected_cells_and_parents(client):
    html = client.get("/wilayah/34.71.01").get_data(as_text=True)
    assert "Kota Yogyakarta" in html and "Daerah Istimewa Yogyakarta" in html  # breadcrumb and parent column
    assert "Persentase penduduk miskin" in html
    cells = public_cells()
    kec = cells[(cells.kode_wilayah == "34.71.01") & (cells.tahun == 2025) & (cells.dimensi == "total")]
    if (kec.status != "ok").any():
        assert "dilindungi" in html


def test_undotted_bps_code_redirects(client):
    r = client.get("/wilayah/347101")
    assert r.status_code == 301 and r.headers["Location"].endswith("/wilayah/34.71.01")


def test_region_profile_csv(client, rid):
    r = client.get("/unduh/wilayah/34.71.01.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv" and r.headers["Content-Disposition"].startswith("attachment;")
    body = r.get_data(as_text=True)
    assert "DATA SINTETIS" in body and client.get("/unduh/wilayah/34.71.01.meta.json").get_json()["rilis"] == rid
    df = read_csv(body)
    # A kecamatan is read against its kabupaten/kota, its province and Indonesia, as on its page.
    assert set(df["kode_wilayah"]) == {"34.71.01", "34.71", "34", "00"}
    page = client.get("/wilayah/34.71.01").get_data(as_text=True)
    assert all(f'data-label="{name}"' in page for name in ("Kota Yogyakarta", "Daerah Istimewa Yogyakarta", "Indonesia"))
    assert set(df["tahun"]) == set(public_cells()["tahun"])  # every year the profile's trends show
    assert df.loc[df.status != "ok", "nilai"].isna().all() and df.loc[df.status == "ok", "nilai"].notna().all()
    cells = public_cells()
    mine = cells[(cells.kode_wilayah == "34.71.01") & (cells.tahun == 2025) & (cells.dimensi == "total")]
    assert len(df[(df.kode_wilayah == "34.71.01") & (df.tahun == 2025) & (df.rincian == "total")]) == len(mine)
    assert client.get("/unduh/wilayah/99.99.csv").status_code == 404


def test_xlsx_twin_has_the_csv_rows_the_warning_and_blank_protected_cells(client):
    import openpyxl

    q = "indikator=persen_penduduk_miskin&tahun=2025&tingkat=kecamatan&induk=34"
    csv_rows = read_csv(client.get(f"/unduh/peta.csv?{q}").get_data(as_text=True))
    r = client.get(f"/unduh/peta.xlsx?{q}")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert r.headers["Content-Disposition"].startswith("attachment;") and ".xlsx" in r.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    assert wb.sheetnames[0] == "data"  # read_excel's default sheet, header on row 1
    sheet = pd.read_excel(io.BytesIO(r.data), dtype={"kode_wilayah": str})
    assert sheet["sumber"].str.contains("DATA SINTETIS").all()
    assert list(sheet["kode_wilayah"]) == list(csv_rows["kode_wilayah"])
    assert list(sheet["status"]) == list(csv_rows["status"])
    hidden = sheet["status"].isin(["S1", "S2"])
    assert hidden.any() and sheet.loc[hidden, ["nilai", "pembilang", "penyebut"]].isna().all().all()
    pd.testing.assert_series_equal(sheet.loc[~hidden, "nilai"].astype(float).reset_index(drop=True),
                                   csv_rows.loc[~hidden.to_numpy(), "nilai"].astype(float).reset_index(drop=True), check_names=False)
    info = dict(wb["keterangan"].values)
    assert info["rilis"] in info["kutipan"] and info["PERINGATAN"].startswith("DATA SINTETIS")
    assert all(c.number_format == "0.00" for c in wb["data"]["I"][1:] if c.value is not None)  # 3,80 stays 3,80 in Excel


@pytest.mark.parametrize("url", ["/unduh/peta.pdf?indikator=tpt", "/unduh/wilayah/34.pdf", "/unduh/wilayah/99.99.xlsx"])
def test_unknown_download_format_or_region_is_404(client, url):
    r = client.get(url)
    assert r.status_code == 404 and r.mimetype == "text/plain"


def test_unknown_format_lists_the_registry(client):
    from components.formats import FORMATS

    text = client.get("/unduh/peta.pdf?indikator=tpt").get_data(as_text=True)
    assert text == f"Format 'pdf' tidak tersedia; pilih {', '.join(FORMATS)}.\n" and "parquet" in text


@pytest.mark.parametrize("url", ["/unduh/peta.{f}?indikator=tpt&tahun=2025&tingkat=provinsi", "/unduh/wilayah/34.71.{f}",
                                 "/unduh/target.{f}?indikator=tpt&tingkat=kabupaten_kota"])
def test_parquet_holds_the_csv_rows_typed(client, url):
    r = client.get(url.format(f="parquet"))
    assert r.status_code == 200 and r.mimetype == "application/vnd.apache.parquet"
    assert ".meta.json" in r.headers["Link"] and r.headers["Content-Disposition"].startswith("attachment")
    codes = {"kode_wilayah": str, "kode_bps": str}
    csv_rows = pd.read_csv(io.StringIO(client.get(url.format(f="csv")).get_data(as_text=True)), dtype=codes)
    parquet = pd.read_parquet(io.BytesIO(r.data))
    assert len(parquet) == len(csv_rows) > 0
    pd.testing.assert_frame_equal(parquet.astype(object).where(parquet.notna(), None), csv_rows.astype(object).where(csv_rows.notna(), None),
                                  check_dtype=False)
    value = "nilai" if "nilai" in parquet else "nilai_akhir"
    assert parquet[value].dtype.kind == "f"  # numbers as numbers (a protected one null, as the frames above agree)


def test_map_page_offers_xlsx_csv_and_a_citation_with_the_release_id(client, rid):
    html = client.get("/peta?indikator=tpt&tahun=2025&tingkat=kabupaten_kota").get_data(as_text=True)
    assert 'href="/unduh/peta.xlsx?indikator=tpt&amp;tahun=2025&amp;tingkat=kabupaten_kota' in html
    assert 'href="/unduh/peta.csv?indikator=tpt' in html
    cite = re.search(r"<noscript>([^<]*)</noscript>", html).group(1)
    assert f"rilis {rid}" in cite and "/peta?indikator=tpt" in cite


@pytest.mark.parametrize("path,text", [
    ("/indikator", "Katalog indikator"), ("/indikator/persen_penduduk_miskin", "Sebaran antarprovinsi"),
    ("/indikator/bps_persen_penduduk_miskin", "Angka resmi BPS"), ("/cari?q=tegalrejo", "Tegalrejo"),
    ("/target", "Pantau target"), ("/target?indikator=tpt&tingkat=kabupaten_kota&urut=nama", "Status per kabupaten/kota"),
])
def test_new_pages_answer_200_with_their_text_pre_rendered(client, path, text):
    r = client.get(path)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert text in html and "DATA SINTETIS" in html


def test_search_page_lists_a_kecamatan_with_its_parents(client):
    html = client.get("/cari?q=tegalrejo").get_data(as_text=True)
    assert 'href="/wilayah/34.71.01"' in html and "Kota Yogyakarta" in html


def test_search_api_answers_json_and_refuses_malformed_queries(client):
    r = client.get("/api/cari?q=jogja&batas=3")
    assert r.status_code == 200 and r.mimetype == "application/json"
    hits = r.get_json()["hasil"]
    assert 1 <= len(hits) <= 3 and hits[0]["nama"] == "Kota Yogyakarta"
    for bad, reason in [("/api/cari", "q wajib"), ("/api/cari?q=a", "q wajib"), ("/api/cari?q=" + "x" * 101, "paling panjang"),
                        ("/api/cari?q=sleman&batas=0", "batas"), ("/api/cari?q=sleman&batas=dua", "batas")]:
        r = client.get(bad)
        assert r.status_code == 400 and reason in r.get_json()["galat"], bad


def test_target_download_carries_the_notice_and_leaves_protected_values_blank(client):
    from data.catalog import load_catalog

    cells = public_cells()
    last = cells.tahun.max()
    checked = 0
    for ind in [i for i in load_catalog().values() if i.target and not i.official]:
        r = client.get(f"/unduh/target.csv?indikator={ind.id}&tingkat=kabupaten_kota")
        assert r.status_code == 200 and r.mimetype == "text/csv"
        body = r.get_data(as_text=True)
        assert "DATA SINTETIS" in body and "target" in client.get(f"/unduh/target.meta.json?indikator={ind.id}&tingkat=kabupaten_kota").get_json()
        df = read_csv(body)
        assert set(df["kode_status"]) <= {"tercapai", "menuju", "perlu_perhatian", "tidak_diketahui"}
        assert df.loc[df["kode_status"] == "tidak_diketahui", "skor"].isna().all()
        dim, cat = ind.target_kategori.split(":") if ind.target_kategori else ("total", "total")
        mine = cells[(cells.indicator_id == ind.id) & (cells.tingkat == "kabupaten_kota") & (cells.dimensi == dim) & (cells.kategori == cat) & (cells.tahun == last)]
        protected = mine.loc[mine.status != "ok", "kode_wilayah"]
        assert df[df["kode_wilayah"].isin(protected)]["nilai_akhir"].isna().all()
        checked += len(protected)
    assert checked  # some protected cells were looked at, or this test proves nothing


def test_target_status_agrees_with_the_published_values(client):
    """Recompute a province's status from the release's own cells and compare with the table."""
    from data.targets import assess, latest_target, parse_target

    df = read_csv(client.get("/unduh/target.csv?indikator=bps_persen_penduduk_miskin").get_data(as_text=True))
    cells = public_cells()
    c = cells[(cells.indicator_id == "bps_persen_penduduk_miskin") & (cells.kode_wilayah == "34") & (cells.status == "ok")].set_index("tahun")["nilai"]
    targets = pd.read_csv(current_release() / "target.csv", dtype=str)
    goal = latest_target(targets[targets.indikator == "persen_penduduk_miskin"].to_dict("records"), int(c.index.min()))
    p = assess(int(c.index.min()), c.iloc[0], int(c.index.max()), c.iloc[-1], parse_target(goal["target_nilai"]), int(goal["target_tahun"]), "turun")
    assert df.set_index("kode_wilayah").loc["34", "kode_status"] == p.status


@pytest.mark.parametrize("kode", ["34", "34.71", "34.71.01", "75.01"])
def test_no_protected_number_leaves_through_the_profile_downloads(client, kode):
    """The profile's CSV and XLSX twins: every S1/S2 row blank, the same rows in both."""
    import openpyxl

    csv_rows = read_csv(client.get(f"/unduh/wilayah/{kode}.csv").get_data(as_text=True))
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/unduh/wilayah/{kode}.xlsx").data))
    rows = list(wb["data"].values)
    sheet = pd.DataFrame(rows[1:], columns=rows[0])
    for df in (csv_rows, sheet):
        hidden = df["status"].isin(["S1", "S2"])
        assert df.loc[hidden, "nilai"].isna().all()
        assert df.loc[df["status"] == "ok", "nilai"].notna().all()
    assert list(sheet["status"]) == list(csv_rows["status"])
    cells = public_cells()
    mine = cells[(cells.kode_wilayah == kode) & (cells.dimensi == "total") & (cells.tahun == cells.tahun.max())]
    assert set(mine.loc[mine.status.isin(["S1", "S2"]), "indicator_id"]) <= set(csv_rows.loc[csv_rows.status.isin(["S1", "S2"]), "indicator_id"])


def test_the_renderer_gets_the_partial_plotly_bundle(client):
    """Dash's renderer asks for plotly.js at one fixed URL; it gets the geo partial bundle, cacheable."""
    url = "/_dash-component-suites/plotly/package_data/plotly.min.js"
    r = client.get(url)
    assert r.status_code == 200 and r.mimetype == "application/javascript"
    assert b"plotly.js (geo - minified)" in r.data[:200]
    assert client.get(url, headers={"If-None-Match": r.headers["ETag"]}).status_code == 304


def _text(html: str) -> str:
    import html as h

    return h.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_national_target_table_agrees_with_each_indicator_page(client):
    """Issue 15: /target read 'Tingkat partisipasi angkatan kerja 43,93 %' (the female rate, unlabelled)
    while /indikator/tpak gave Indonesia 56,72 %. Each row now names its breakdown, and the value it
    shows is the one the indicator's own page prints for Indonesia in that breakdown."""
    from components.formatting import format_value
    from data.catalog import load_catalog

    cells = public_cells()
    overview = re.search(r'<table[^>]*id="target-ringkasan".*?</table>', client.get("/target").get_data(as_text=True), re.S).group(0)
    rows = {m.group(1): m.group(0) for m in re.finditer(r'indikator=([a-z0-9_]+)".*?</tr>', overview, re.S)}
    checked = 0
    for ind in [i for i in load_catalog().values() if i.target and i.id in rows]:
        dim, cat = ind.target_kategori.split(":") if ind.target_kategori else ("total", "total")
        nat = cells[(cells.indicator_id == ind.id) & (cells.kode_wilayah == "00") & (cells.dimensi == dim) & (cells.kategori == cat)]
        last = nat[nat.tahun == nat.tahun.max()].iloc[0]
        if last.status != "ok":
            continue
        shown = format_value(last.nilai, ind.desimal, ind.satuan)
        assert shown in _text(rows[ind.id]), (ind.id, shown)
        if dim != "total":
            assert "perempuan" in _text(rows[ind.id]).lower() or cat.lower() in _text(rows[ind.id]).lower(), ind.id
        page = _text(client.get(f"/indikator/{ind.id}").get_data(as_text=True))
        assert f"{last.tahun}: {shown}" in page, (ind.id, shown)
        checked += 1
    assert checked >= 3


def test_target_table_flags_worsening_and_asks_no_change_of_regions_past_the_target(client):
    from data.targets import STATUS_REACHED, TREND_WORSE

    seen = 0
    for ind in ["persen_penduduk_miskin", "tpt", "bps_persen_penduduk_miskin"]:
        df = read_csv(client.get(f"/unduh/target.csv?indikator={ind}").get_data(as_text=True))
        reached = df[df["kode_status"] == STATUS_REACHED]
        assert reached["perubahan_dibutuhkan"].isna().all(), ind
        worse = reached[reached["arah_perubahan"] == TREND_WORSE]
        assert worse["catatan"].fillna("").astype(str).str.contains("menjauh").all(), ind
        seen += len(reached)
        page = client.get(f"/target?indikator={ind}").get_data(as_text=True)
        assert page.count("▼ memburuk") == len(worse), ind
    assert seen, "no region past its target in these tables: the test would prove nothing"


DEFAULT_READ_URLS = ["/unduh/peta.{f}?indikator=tpt&tahun=semua&tingkat=kabupaten_kota", "/unduh/peta.{f}?indikator=jumlah_penduduk&tahun=2024",
                     "/unduh/wilayah/34.71.{f}", "/unduh/target.{f}?indikator=tpt&tingkat=kabupaten_kota&urut=nama",
                     "/unduh/peta.{f}?indikator=bps_persen_penduduk_miskin&tahun=semua"]


@pytest.mark.parametrize("url", DEFAULT_READ_URLS)
def test_every_download_reads_with_default_arguments(client, url):
    """Issue 15: '#' lines and a BOM broke pd.read_csv; the XLSX header sat on row 2. Now both
    default readers give the table, with the unit on the same sheet and the same rows."""
    csv_body = client.get(url.format(f="csv")).get_data(as_text=True)
    assert not csv_body.startswith(("\ufeff", "#"))
    from_csv = pd.read_csv(io.StringIO(csv_body))
    from_xlsx = pd.read_excel(io.BytesIO(client.get(url.format(f="xlsx")).data))
    assert list(from_csv.columns) == list(from_xlsx.columns) and not any(str(c).startswith("Unnamed") for c in from_csv.columns)
    assert len(from_csv) == len(from_xlsx) > 0
    assert "sumber" in from_csv.columns and ("satuan" in from_csv.columns or "target" in url)
    for col in [c for c in ("nilai", "nilai_akhir") if c in from_csv]:
        pd.testing.assert_series_equal(from_csv[col].astype(float), from_xlsx[col].astype(float), check_names=False)


def test_numbers_are_written_as_the_catalogue_says(client):
    """Counts as whole numbers even beside a blank ('5373200', never '5373200.0'); a rate with its
    decimals ('3.80', never '3.8'); the target download rounded as the page shows it, in its order."""
    from data.catalog import load_catalog

    cat = load_catalog()
    for ind_id in ("jumlah_penduduk", "tpt", "persen_penduduk_miskin"):
        body = client.get(f"/unduh/peta.csv?indikator={ind_id}&tahun=semua&tingkat=kecamatan&induk=34").get_data(as_text=True)
        df = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)
        values = df.loc[df["nilai"] != "", "nilai"]
        decimals = cat[ind_id].desimal
        assert len(values) and values.map(lambda v: len(v.split(".")[1]) if "." in v else 0).eq(decimals).all(), ind_id
        for col in ("pembilang", "penyebut"):
            assert not df[col].str.contains(r"\.").any(), (ind_id, col)
    target = pd.read_csv(io.StringIO(client.get("/unduh/target.csv?indikator=tpt&tingkat=kabupaten_kota&urut=nama").get_data(as_text=True)), dtype=str,
                         keep_default_na=False)
    assert not target["nilai_akhir"].str.match(r"^\d+\.\d{3,}$").any()  # no raw floats
    assert list(target["nama"]) == sorted(target["nama"])  # the page's sort (by name)
    assert set(target["status_target"]) <= {"Sudah tercapai", "Menuju target", "Perlu perhatian khusus", "Tidak dapat dinilai"}


def test_every_year_in_one_file(client):
    from data.queries import indicator_years, store

    rel_years = indicator_years(store().by_id(current_release().name), "tpt")
    df = pd.read_csv(io.StringIO(client.get("/unduh/peta.csv?indikator=tpt&tahun=semua&tingkat=kabupaten_kota").get_data(as_text=True)))
    assert sorted(df["tahun"].unique()) == rel_years and len(rel_years) > 1
    one = pd.read_csv(io.StringIO(client.get(f"/unduh/peta.csv?indikator=tpt&tahun={rel_years[-1]}&tingkat=kabupaten_kota").get_data(as_text=True)))
    assert len(df) == len(one) * len(rel_years)


def test_official_figures_carry_their_bps_source_and_are_never_called_synthetic(client):
    for url in ("/unduh/peta.csv?indikator=bps_persen_penduduk_miskin&tahun=semua", "/unduh/target.csv?indikator=bps_persen_penduduk_miskin"):
        df = read_csv(client.get(url).get_data(as_text=True))
        assert df["sumber"].str.startswith("BPS").all() and not df["sumber"].str.contains("SINTETIS").any(), url
    meta = client.get("/unduh/peta.meta.json?indikator=bps_persen_penduduk_miskin").get_json()
    assert "PERINGATAN" not in meta
    # Outside check: the metadata, licence and citations named the figure a synthetic data set.
    assert not any("sintetis" in str(v).lower() for k, v in meta.items() if k != "status"), meta
    assert meta["kutipan_apa"].startswith("Badan Pusat Statistik.") and "BPS" in meta["lisensi"]
    sources = meta["sumber"] if isinstance(meta["sumber"], list) else [meta["sumber"]]
    assert sources and all("BPS" in s or "bps.go.id" in s for s in sources)
    peta = _text(client.get("/peta?indikator=bps_persen_penduduk_miskin").get_data(as_text=True))
    assert "Badan Pusat Statistik. (" in peta and "Data set sintetis" not in peta
    df = read_csv(client.get("/unduh/peta.csv?indikator=bps_persen_penduduk_miskin&tahun=semua").get_data(as_text=True))
    assert df["periode"].str.match(r"^\d{4}-\d{2}$").all()
    page = _text(client.get("/indikator/bps_persen_penduduk_miskin").get_data(as_text=True))
    assert "reference/statistik_provinsi.csv" not in page and "periode 2024-03" in page


@pytest.mark.parametrize("q", ["34.71", "3471"])
def test_search_api_finds_a_region_by_the_code_the_site_shows(client, q):
    hits = client.get(f"/api/cari?q={q}").get_json()["hasil"]
    assert hits[0]["nama"] == "Kota Yogyakarta" and hits[0]["url"] == "/wilayah/34.71"


def test_search_api_puts_the_indicator_in_the_region_first_and_its_link_opens(client):
    hits = client.get("/api/cari?q=kemiskinan kota yogyakarta").get_json()["hasil"]
    assert hits[0]["jenis"] == "tampilan" and hits[1]["nama"] == "Kota Yogyakarta" and hits[2]["kode"] == "persen_penduduk_miskin"
    page = client.get(hits[0]["url"])
    assert page.status_code == 200 and "Kota Yogyakarta" in _text(page.get_data(as_text=True))


def test_the_controls_never_offer_a_view_with_no_published_region(client):
    """Issue 15: desil is published only down to provinces, but the controls offered it everywhere
    ("0 dari 0 kabupaten/kota"). Every level × breakdown the map offers has published rows, and the
    home page's 'desil terbawah' link opens bansos coverage (any programme), not PKH alone."""
    from data.catalog import load_catalog
    from pages.peta import breakdown_options, category_options, drill_target
    from web.state import MAP_LEVELS, MapState

    cells = public_cells()
    offered = 0
    for ind in load_catalog().values():
        mine = cells[cells.indicator_id == ind.id]
        for tingkat in [lv for lv in MAP_LEVELS if lv in set(mine.tingkat)]:
            for tahun in sorted(set(mine[mine.tingkat == tingkat].tahun)):
                for option in breakdown_options(ind, tingkat, int(tahun)):
                    rows = mine[(mine.tingkat == tingkat) & (mine.tahun == tahun) & (mine.dimensi == option["value"])]
                    assert len(rows) and ((rows.status == "ok").any() or option["value"] == "total"), (ind.id, tingkat, tahun, option["value"])
                    if option["value"] != "total":
                        for cat in category_options(ind, tingkat, int(tahun), option["value"]):
                            assert (rows[rows.kategori == cat["value"]].status == "ok").any(), (ind.id, tingkat, tahun, cat["value"])
                    offered += 1
    assert offered > 100
    r = client.get("/peta?indikator=cakupan_pkh&dimensi=desil&kategori=1&tingkat=kabupaten_kota")
    assert r.status_code == 400 and "Rincian 'desil' tidak tersedia" in _text(r.get_data(as_text=True))
    down = drill_target(MapState("cakupan_pkh", 2025, "provinsi", None, "desil", "1"), "34", load_catalog()["cakupan_pkh"])
    assert (down.tingkat, down.dimensi, down.kategori) == ("kabupaten_kota", "total", "total")
    home = client.get("/").get_data(as_text=True)
    assert "indikator=cakupan_bansos_apa_pun&amp;tahun=" in home or "indikator=cakupan_bansos_apa_pun&tahun=" in home


def test_protected_cells_say_why_and_link_to_the_explanation(client):
    page = client.get("/peta?indikator=persen_penduduk_miskin&tingkat=kecamatan&induk=34").get_data(as_text=True)
    text = _text(page)
    # Outside check: a whole province said "too few in the cell" when the few were its non-recipients.
    assert "karena terlalu sedikit rumah tangga atau orang di sel, atau di antara yang dihitung atau tidak dihitung (S1)" in text
    assert 'href="/tentang#sel-kosong"' in page
    about = client.get("/tentang").get_data(as_text=True)
    assert 'id="sel-kosong"' in about and 'id="data-terbatas"' in about and "sel yang bisa terbit" not in about


def test_a_region_trajectory_against_the_target(client):
    """Issue 15: there was no province trajectory against the target, only the national one."""
    page = client.get("/target?indikator=persen_penduduk_miskin&wilayah=34")
    text = _text(page.get_data(as_text=True))
    assert page.status_code == 200 and "Lintasan Daerah Istimewa Yogyakarta" in text and "Status:" in text
    table = client.get("/target?indikator=persen_penduduk_miskin").get_data(as_text=True)
    assert "wilayah=34#target-lintasan" in table  # each region's name opens its trajectory
    assert client.get("/target?indikator=persen_penduduk_miskin&wilayah=99.99").status_code == 404


@pytest.mark.parametrize("url", ["/unduh/wilayah/34.71.csv", "/unduh/wilayah/34.71.xlsx", "/unduh/peta.csv?indikator=tpt&tahun=semua",
                                 "/unduh/target.xlsx?indikator=tpt", "/unduh/peta.zip?indikator=tpt"])
def test_download_headers_are_ascii_so_every_server_sends_them(client, url):
    """Found by an outside check: the profile download's name held an en dash ('2023–2025'); gunicorn
    refuses such a header and answered 500, while the test client let it through."""
    r = client.get(url)
    assert r.status_code == 200
    for name, value in r.headers.items():
        value.encode("ascii")  # raises on anything a strict server would refuse


def test_a_map_opens_on_a_year_its_level_has(client):
    """Found by an outside check: BPS publishes some figures nationally a year before the provinces;
    /peta opened on that year with "0 dari 0 provinsi"."""
    from data.queries import indicator_years, level_years, store

    rid = store().by_id(current_release().name)
    checked = 0
    for ind in ("bps_harapan_lama_sekolah", "bps_rata_rata_lama_sekolah", "bps_persen_penduduk_miskin"):
        years, prov = indicator_years(rid, ind), level_years(rid, ind, "provinsi")
        if not prov:
            continue
        text = _text(client.get(f"/peta?indikator={ind}").get_data(as_text=True))
        assert f", {prov[-1]} —" in text and "0 dari 0" not in text, ind
        if years[-1] not in prov:
            r = client.get(f"/peta?indikator={ind}&tahun={years[-1]}&tingkat=provinsi")
            assert r.status_code == 404 and "belum terbit di tingkat provinsi" in _text(r.get_data(as_text=True))
            checked += 1
    assert checked, "no indicator published nationally before the provinces in this release: the test proves nothing"


@pytest.mark.parametrize("path", ["/", "/peta", "/wilayah/34.71", "/target", "/tentang"])
def test_the_served_page_is_a_whole_document_that_loads_dash_only_on_demand(client, path):
    """Issue 17: before any script, a page has its landmark, skip link and footer (Lighthouse's
    accessibility run reads this HTML), and none of Dash's bundles is a script tag: they are a list
    that assets/00-dash-on-demand.js loads on the reader's first touch or key."""
    import json

    page = client.get(path).get_data(as_text=True)
    assert page.count("<main") == 1 and 'href="#konten"' in page and "<footer" in page
    tags = re.findall(r'<script[^>]*\ssrc="([^"]+)"', page)
    assert tags and not any("_dash-component-suites" in src for src in tags), tags
    listing = json.loads(re.search(r'<script id="dash-bundles" type="application/json">(.*?)</script>', page, flags=re.S).group(1).replace("<\\/", "</"))
    assert any("dash-renderer" in u for u in listing) and not any("dash_table" in u for u in listing)
    assert page.index("/assets/00-dash-on-demand.js") < page.index("/assets/05-rilis.js")


def test_every_served_map_frame_holds_its_regions_whole_boundaries(client):
    """Outside check (issue 15): /peta?tingkat=kabupaten_kota&induk=34 showed lon 110.056–110.723 while the
    boundaries reach 110.004–110.835, so Gunungkidul and Kulon Progo were cut."""
    import json

    import pages.peta as peta
    from data.queries import store
    from web.state import state_from_release

    rel = store().by_id(current_release().name)
    features = json.loads(rel.geo_path("kabupaten_kota.geojson").read_text())["features"]
    points = [p for f in features if f["properties"]["kode"].startswith("34.")
              for poly in ([f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"])
              for ring in poly for p in ring]
    with client.application.test_request_context("/peta?tingkat=kabupaten_kota&induk=34"):
        fig = peta.view(state_from_release({"tingkat": "kabupaten_kota", "induk": "34"}, rel))[0]
    (lon0, lon1), (lat0, lat1) = fig["layout"]["geo"]["lonaxis"]["range"], fig["layout"]["geo"]["lataxis"]["range"]
    assert lon0 <= min(p[0] for p in points) and lon1 >= max(p[0] for p in points)
    assert lat0 <= min(p[1] for p in points) and lat1 >= max(p[1] for p in points)


def test_the_target_page_opens_on_an_indicator_whose_regions_can_be_judged(client):
    """Outside check (issue 15): /target opened on a BPS figure published for one year by province,
    so 26 of 38 provinces read "Tidak dapat dinilai" on a planner's first view."""
    from data.queries import level_years, store
    from web.state import tracker_state

    rel = store().by_id(current_release().name)
    with client.application.test_request_context("/target"):
        default = tracker_state({}, rel).indikator
    assert len(level_years(rel, default, "provinsi")) >= 2, default
    assert rel.catalog[default].nama_id in _text(client.get("/target").get_data(as_text=True))


def test_fingerprinted_assets_are_cached_for_a_year_and_compressed_with_brotli(client):
    """Issue 17: hashed assets get year-long caching; Brotli where the browser asks for it."""
    page = client.get("/peta").get_data(as_text=True)
    asset = re.search(r'href="(/assets/10-portal\.css\?m=[^"]+)"', page).group(1)
    r = client.get(asset, headers={"Accept-Encoding": "br, gzip"})
    assert "max-age=31536000" in r.headers["Cache-Control"] and r.headers.get("Content-Encoding") == "br"
    bundle = re.search(r'"(/_dash-component-suites/dash/dash-renderer/[^"]+)"', page).group(1)
    assert "max-age=31536000" in client.get(bundle).headers["Cache-Control"]
    assert "max-age=31536000" not in client.get("/assets/10-portal.css").headers.get("Cache-Control", "")  # no fingerprint, no promise


def test_the_indicator_select_holds_bare_names_under_domain_headings(client):
    """Outside check (issue 15): at 360 px the closed select cut "Rumah tangga desil 1–2 tanpa ba…"
    because every label carried its domain. Names alone fit; the domains head disabled options."""
    page = client.get("/peta").get_data(as_text=True)
    select = re.search(r'<select id="peta-indikator".*?</select>', page, flags=re.S).group(0)
    options = re.findall(r'<option value="([^"]+)"[^>]*?( disabled)?>([^<]*)</option>', select)
    headings = [label for value, disabled, label in options if disabled]
    names = [label for value, disabled, label in options if not disabled]
    assert headings and all(h.startswith("— ") for h in headings) and not any(v.startswith("_domain") for v, d, _ in options if not d)
    from data.catalog import DOMAIN_NAMES

    assert names and max(len(n) for n in names) <= 42
    assert not any(n.endswith(f"({d})") for n in names for d in DOMAIN_NAMES.values())


def test_a_pinned_page_is_served_with_pinned_links_and_search(client, rid):
    """Outside check (issue 16): a pinned page's served links had no rilis=, so a copied link, a new
    tab, a no-JS reader or a search went to the current release."""
    page = client.get(f"/peta?indikator=tpt&rilis={rid}").get_data(as_text=True)
    internal = re.findall(r'href="(/(?!assets/|_dash|_favicon|geo/)[^"]*)"', page)
    assert internal and all("rilis=" in h or h.startswith("/rilis") or h.startswith("/unduh/rilis/") for h in internal), \
        [h for h in internal if "rilis=" not in h][:5]
    assert f'<input type="hidden" name="rilis" value="{rid}">' in page  # the nav search form
    plain = client.get("/peta?indikator=tpt").get_data(as_text=True)
    assert "rilis=" not in "".join(re.findall(r'href="(/peta[^"]*)"', plain))


def test_the_release_list_shows_protection_and_notes_and_a_release_cites_a_full_address(client, rid):
    """Outside check (issue 16): /rilis lacked each release's protection and notes; the citation on
    /rilis/<id> was a bare path without the site's address."""
    listing = _text(client.get("/rilis").get_data(as_text=True))
    assert "Perlindungan" in listing and "k = 10" in listing and "Catatan" in listing
    page = client.get(f"/rilis/{rid}").get_data(as_text=True)
    cite = re.search(r'id="rilis-kutipan">([^<]*)<', page).group(1)
    from web.public_url import site_root

    assert f"{site_root()}/?rilis={rid}" in h_unescape(cite)


def h_unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_the_map_controls_work_without_javascript_as_a_plain_form(client):
    """Outside check (issue 17): with scripts off a reader could not change the year or the
    indicator. The served controls are a GET form to /peta; its fields, sent as a browser sends
    them, open the chosen view."""
    page = client.get("/peta?indikator=tpt").get_data(as_text=True)
    form = re.search(r'<form[^>]*action="/peta"[^>]*method="get"[^>]*>(.*?)</form>', page, flags=re.S).group(1)
    fields = {}
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, flags=re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        fields[name] = chosen.group(1) if chosen else re.search(r'<option value="([^"]*)"', body).group(1)
    assert set(fields) == {"indikator", "tahun", "tingkat", "induk", "dimensi", "kategori"} and "Tampilkan" in form
    years = [y for y in re.findall(r'<option value="(\d{4})"', re.search(r'name="tahun".*?</select>', form, flags=re.S).group(0))]
    fields["tahun"] = years[0]  # the reader picks another year and presses Tampilkan
    from urllib.parse import urlencode

    r = client.get("/peta?" + urlencode(fields))
    assert r.status_code == 200 and f"Tingkat pengangguran terbuka, {years[0]}" in _text(r.get_data(as_text=True))


def test_health_names_the_release_it_serves_and_is_never_cached(client, rid):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert r.headers["Cache-Control"] == "no-store"
    body = r.get_json()
    assert body["status"] == "ok" and body["release_id"] == rid and body["loaded"] is True
    assert body["age_seconds"] >= 0 and body["release_created"]
    assert client.get(f"/healthz?rilis={rid}").get_json()["release_id"] == rid


def test_health_is_503_when_no_release_can_be_served(client, monkeypatch):
    from data import queries
    from data.access import NoReleaseError

    def broken():
        raise NoReleaseError("tidak ada rilis yang lolos verifikasi")

    monkeypatch.setattr(queries, "store", broken)
    r = client.get("/healthz")
    assert r.status_code == 503 and r.headers["Cache-Control"] == "no-store"
    assert r.get_json()["loaded"] is False and "tidak ada rilis" in r.get_json()["error"]


def test_the_served_profile_draws_its_sparklines_with_their_words(client):
    """Without scripts the trend column was an <img> with neither picture nor alternative text."""
    page = client.get("/wilayah/34.71").get_data(as_text=True)
    imgs = re.findall(r"<img[^>]*>", page[page.find("<main"):])
    assert imgs and all('src="data:image/svg+xml,' in i and 'alt="Tren 2023: ' in i for i in imgs), imgs[:2]
