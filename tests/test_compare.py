"""Region comparison (/bandingkan, issue 20): the pure parts (the address, the rows, the similar-regions
ranking) and the page and its download over HTTP, held against the regions' own profiles."""
from __future__ import annotations

import html as htmllib
import io
import re

import numpy as np
import pandas as pd
import pytest

from data.comparison import compare_sections
from data.similarity import nearest, standardised
from web.compare_state import parse_compare
from web.state import StateError

# --- the address ------------------------------------------------------------------------------

KNOWN = {"00": "00", "34": "34", "34.01": "34.01", "3401": "34.01", "34.02": "34.02", "34.71": "34.71", "3471": "34.71",
         "34.71.01": "34.71.01", "347101": "34.71.01", "75.01": "75.01"}


@pytest.mark.parametrize("args,codes,cari", [
    ({"wilayah": "34.01,34.71"}, ("34.01", "34.71"), ""),
    ({"wilayah": " 3401 , 34.71.01,00"}, ("34.01", "34.71.01", "00"), ""),  # BPS's undotted codes, any level, spaces
    ({"wilayah": "34,34.01,34.02,34.71,75.01"}, ("34", "34.01", "34.02", "34.71", "75.01"), ""),
    ({}, (), ""),                                                # the page that starts a comparison
    ({"cari": "sleman"}, (), "sleman"),
    ({"wilayah": "34.01", "cari": ""}, ("34.01",), ""),          # choosing the second region
    ({"wilayah": "34.01", "cari": "bantul"}, ("34.01",), "bantul"),
])
def test_a_good_address_names_its_regions_in_order(args, codes, cari):
    state = parse_compare(args, KNOWN.get)
    assert state.wilayah == codes and state.cari == cari
    assert state.complete == (len(codes) >= 2)


@pytest.mark.parametrize("args,status,words", [
    ({"wilayah": "34.01"}, 400, "paling sedikit 2"),
    ({"wilayah": "34,34.01,34.02,34.71,75.01,34.71.01"}, 400, "paling banyak 5"),
    ({"wilayah": "34.01,garut"}, 400, "bukan kode wilayah"),
    ({"wilayah": "34.01,<script>"}, 400, "bukan kode wilayah"),
    ({"wilayah": "34.01,３４"}, 400, "bukan kode wilayah"),  # digits, but not the ones codes are written in
    ({"wilayah": "34.01,,34.71"}, 400, "kode kosong"),
    ({"wilayah": "34.01,34.71,"}, 400, "kode kosong"),
    ({"wilayah": "34.01,3401"}, 400, "lebih dari sekali"),
    ({"wilayah": "34.01,99.99"}, 404, "99.99"),
    ({"wilayah": ["34.01", "34.71"]}, 400, "satu teks"),        # a repeated parameter, as Dash's router passes it
    ({"wilayah": "3" * 300}, 400, "terlalu panjang"),
])
def test_a_bad_address_is_refused_with_its_reason(args, status, words):
    with pytest.raises(StateError) as err:
        parse_compare(args, KNOWN.get)
    assert err.value.status == status and words in err.value.message


# --- the rows ----------------------------------------------------------------------------------

def _cells(rows):
    return pd.DataFrame(rows, columns=["indicator_id", "kode_wilayah", "nilai", "status"])


def test_sections_follow_the_catalogue_with_one_cell_per_region_in_the_address_order():
    cells = _cells([("p0", "B", 9.0, "ok"), ("p0", "A", 8.0, "ok"), ("pop", "A", 100.0, "ok"), ("tpt", "A", 5.0, "ok")])
    indicators = [("pop", "demografi"), ("p0", "kemiskinan"), ("tpt", "kerja"), ("gini", "kemiskinan")]
    out = compare_sections(cells, ["B", "A"], indicators, ["kemiskinan", "demografi", "kerja"])
    assert [d for d, _ in out] == ["kemiskinan", "demografi", "kerja"]  # the page's domain order
    p0, = out[0][1]  # gini has no cell anywhere: no row
    assert p0[0] == "p0" and [c["nilai"] for c in p0[1]] == [9.0, 8.0]
    assert out[1][1][0][1][0] is None  # B has no population cell: an empty slot, not a shifted column


def test_a_protected_cell_reaches_the_page_without_its_numbers_whatever_the_input_held():
    cells = pd.DataFrame([{"indicator_id": "p0", "kode_wilayah": "A", "nilai": 3.2, "pembilang": 4.0, "penyebut": 120.0, "status": "S1"},
                          {"indicator_id": "p0", "kode_wilayah": "B", "nilai": 7.5, "pembilang": 9.0, "penyebut": 120.0, "status": "ok"}])
    (_, [(_, (a, b))]), = compare_sections(cells, ["A", "B"], [("p0", "k")], ["k"])
    assert a["status"] == "S1" and a["nilai"] is None and a["pembilang"] is None and a["penyebut"] is None
    assert b["nilai"] == 7.5


# --- similar regions ------------------------------------------------------------------------------

def _values(table: dict[str, dict[str, float]]) -> pd.DataFrame:
    return pd.DataFrame([(k, i, v) for k, row in table.items() for i, v in row.items()], columns=["kode_wilayah", "indicator_id", "nilai"])


def _grid(n=12, seed=1):
    rng = np.random.default_rng(seed)
    return {f"R{r:02d}": {"a": float(rng.normal(10, 3)), "b": float(rng.normal(2000, 500)), "c": float(rng.normal(50, 10)),
                          "d": float(rng.normal(5, 1))} for r in range(n)}


def test_the_nearest_region_is_the_one_planted_next_to_it_and_never_itself():
    table = _grid()
    table["TWIN"] = {k: v * 1.001 for k, v in table["R03"].items()}
    found = nearest(_values(table), "R03", k=3)
    assert found[0].kode == "TWIN" and all(n.kode != "R03" for n in found)
    assert [n.distance for n in found] == sorted(n.distance for n in found) and found[0].common == 4


def test_each_indicator_counts_by_its_spread_not_its_unit():
    """Consumption in rupiah (thousands) must not drown a rate in percent: z-scores, so a unit change
    of one indicator leaves the ranking as it was."""
    table = _grid()
    before = [n.kode for n in nearest(_values(table), "R05", k=5)]
    scaled = {k: {**row, "b": row["b"] * 1000} for k, row in table.items()}
    assert [n.kode for n in nearest(_values(scaled), "R05", k=5)] == before
    z = standardised(_values(table))
    assert np.allclose(z.mean(), 0) and np.allclose(z.std(ddof=0), 1)


def test_only_published_values_count_and_every_distance_is_over_the_same_indicators():
    """A protected cell is absent from the values. A region missing one of the indicators the region
    has published is not ranked (over fewer indicators it would look closer than it is); what the
    region itself lacks is left out for every candidate alike."""
    table = _grid()
    table["GAPPY"] = {"a": table["R02"]["a"], "b": table["R02"]["b"], "c": table["R02"]["c"]}  # identical on three, d protected
    found = nearest(_values(table), "R02", k=20, min_common=3)
    assert "GAPPY" not in {n.kode for n in found} and len(found) == 11  # R00..R11 but R02 itself
    del table["R07"]["d"]
    mine = nearest(_values(table), "R07", k=20, min_common=3)
    assert mine and all(n.common == 3 for n in mine) and "GAPPY" in {n.kode for n in mine}


def test_too_few_published_values_give_no_neighbours_and_a_flat_indicator_is_ignored():
    table = _grid()
    table["R01"] = {"a": table["R01"]["a"], "b": table["R01"]["b"], "c": table["R01"]["c"]}
    assert nearest(_values(table), "R01", min_common=4) == []
    flat = {k: {**row, "e": 1.0} for k, row in _grid().items()}
    assert "e" not in standardised(_values(flat)).columns
    assert nearest(_values(flat), "nowhere") == []


# --- the page and its download over HTTP ----------------------------------------------------------

from html.parser import HTMLParser  # noqa: E402

from tests.helpers import current_release, public_cells  # noqa: E402

THREE = ["34.01", "34.71", "75.01"]  # two with protected cells in the test release, two provinces
MIXED = ["34.71.01", "34.71", "34"]  # a kecamatan beside the regions its own profile sets it against


@pytest.fixture(scope="module")
def client():
    import app as portal

    return portal.server.test_client()


class Cells(HTMLParser):
    """The table cells of a served page's <main>: (indicator id of the row, the cell's attributes, its text)."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell, self._depth, self._in_main = [], None, None, 0, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self._in_main = True
        if not self._in_main:
            return
        if tag == "tr":
            self._row = {"indikator": None, "cells": []}
        elif tag == "a" and self._row is not None and self._row["indikator"] is None and a.get("href", "").startswith("/indikator/"):
            self._row["indikator"] = a["href"].split("/indikator/")[1].split("?")[0]
        elif tag == "td" and self._row is not None:
            self._cell = {"attrs": a, "text": "", "value": None}
        elif tag == "span" and self._cell is not None and "compare-value" in a.get("class", ""):
            self._cell["value"] = ""
            self._depth = 1

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row["cells"].append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "span" and self._depth:
            self._depth = 0

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
            if self._depth:
                self._cell["value"] += data


def served_cells(client, path: str) -> list[dict]:
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    parser = Cells()
    parser.feed(r.get_data(as_text=True))
    return parser.rows


def compared(client, codes) -> dict[tuple[str, str], str]:
    """(indicator, region) → the comparison page's value text."""
    out = {}
    for row in served_cells(client, "/bandingkan?wilayah=" + ",".join(codes)):
        for c in row["cells"]:
            if "data-kode" in c["attrs"]:
                assert c["attrs"]["data-indikator"] == row["indikator"]
                out[(row["indikator"], c["attrs"]["data-kode"])] = c["value"]
    return out


def profile_columns(client, kode: str) -> dict[tuple[str, str], str]:
    """(indicator, region name) → the text a profile shows in that region's column (the region's own and those above it)."""
    return {(row["indikator"], c["attrs"]["data-label"]): c["text"] for row in served_cells(client, f"/wilayah/{kode}")
            for c in row["cells"] if c["attrs"].get("data-label") not in (None, "Tren")}


def hidden_field(page: str, name: str) -> str | None:
    """The value of a form's hidden field, whatever order the served HTML writes its attributes in."""
    for tag in re.findall(r"<input[^>]*>", page):
        if 'type="hidden"' in tag and f'name="{name}"' in tag:
            return htmllib.unescape(re.search(r'value="([^"]*)"', tag).group(1))
    return None


def read_csv(body: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(body), dtype={"kode_wilayah": str, "kode_bps": str, "periode": str}, keep_default_na=False, na_values=[""])


@pytest.mark.parametrize("codes", [THREE, MIXED])
def test_a_comparison_of_three_regions_equals_their_profiles(client, codes):
    """Issue 20: every value of the comparison is the one each region's profile shows, and the one its
    profile's download holds; where a region stands in another region's profile (a kecamatan's page
    shows its kabupaten and province), that page agrees too."""
    from components.formatting import format_value
    from data.contract import read_catalog

    catalog = read_catalog(current_release())
    names = {k: n for k, n in zip(public_regions()["kode"], public_regions()["nama"])}
    shown = compared(client, codes)
    latest = max(public_cells()["tahun"])
    # Each indicator's row is of one year: the latest in which every region that has it has a cell
    # (BPS gives some figures to provinces a year after the nation), from the profiles' own downloads.
    downloads = pd.concat([read_csv(client.get(f"/unduh/wilayah/{k}.csv").get_data(as_text=True)) for k in codes])
    downloads = downloads[downloads.kode_wilayah.isin(codes) & (downloads.rincian == "total")].drop_duplicates(["indicator_id", "kode_wilayah", "tahun"])
    row_year = {}
    for ind, g in downloads.groupby("indicator_id"):
        everyone = g.groupby("tahun")["kode_wilayah"].nunique() == g["kode_wilayah"].nunique()
        row_year[ind] = max(everyone[everyone].index, default=g["tahun"].max())
    for k in codes:
        mine = {i: v for (i, kk), v in shown.items() if kk == k}
        for page in codes:  # the region's own profile, and every other region's profile it appears in
            column = {i: v for (i, name), v in profile_columns(client, page).items() if name == names[k]}
            if not column:
                continue
            assert column == {i: v for i, v in mine.items() if i in column}, (k, page)
            if page == k:  # its own profile lists exactly the indicators it has a cell for
                assert set(column) == {i for i, v in mine.items() if v != "tidak tersedia"}, k
        twin = downloads[(downloads.kode_wilayah == k) & (downloads.tahun == downloads.indicator_id.map(row_year))]
        assert len(twin) and set(twin["indicator_id"]) == {i for i, v in mine.items() if v != "tidak tersedia"}
        for r in twin.itertuples():
            said = "" if r.tahun == latest else f" ({r.tahun})"  # a year behind the page's is said
            if r.status == "ok":
                assert mine[r.indicator_id] == format_value(r.nilai, catalog[r.indicator_id].desimal, catalog[r.indicator_id].satuan) + said, (k, r)
            else:
                assert mine[r.indicator_id] == f"dilindungi ({r.status}){said}" and pd.isna(r.nilai), (k, r)
    assert any(v.startswith("dilindungi (S") for v in shown.values())  # the test release does protect some of these


def public_regions() -> pd.DataFrame:
    return pd.read_parquet(current_release() / "regions.parquet")


@pytest.mark.parametrize("codes", [THREE, MIXED])
def test_the_download_is_the_profiles_rows_for_each_region_every_year(client, codes):
    query = "wilayah=" + ",".join(codes)
    r = client.get(f"/unduh/bandingkan.csv?{query}")
    assert r.status_code == 200 and r.mimetype == "text/csv" and r.headers["Content-Disposition"].startswith("attachment;")
    df = read_csv(r.get_data(as_text=True))
    assert list(dict.fromkeys(df[df.indicator_id == "jumlah_penduduk"]["kode_wilayah"])) == codes  # the address's order
    assert set(df["tahun"]) == set(public_cells()["tahun"])
    for k in codes:
        twin = read_csv(client.get(f"/unduh/wilayah/{k}.csv").get_data(as_text=True))
        twin = twin[(twin.kode_wilayah == k) & (twin.rincian == "total")]
        cols = ["indicator_id", "tahun", "nilai", "status", "periode", "sumber"]
        pd.testing.assert_frame_equal(df[df.kode_wilayah == k][cols].reset_index(drop=True), twin[cols].reset_index(drop=True))
    hidden = df["status"].isin(["S1", "S2"])
    assert hidden.any() and df.loc[hidden, "nilai"].isna().all() and df.loc[~hidden & (df.status == "ok"), "nilai"].notna().all()
    from data.contract import read_catalog

    official = df["indicator_id"].map(lambda i: read_catalog(current_release())[i].official)
    assert df.loc[~official, "sumber"].str.contains("DATA SINTETIS").all()  # the warning on every register row
    assert not df.loc[official, "sumber"].str.contains("SINTETIS").any()  # an official figure is BPS's, never called synthetic
    meta = client.get(f"/unduh/bandingkan.meta.json?{query}").get_json()
    assert meta["PERINGATAN"].startswith("DATA SINTETIS") and meta["rilis"] in meta["kutipan"] and "/bandingkan?wilayah=" in meta["kutipan"]


def test_the_xlsx_twin_has_the_csv_rows_blank_protected_cells_and_the_warning(client):
    import openpyxl

    query = "wilayah=" + ",".join(THREE)
    csv_rows = read_csv(client.get(f"/unduh/bandingkan.csv?{query}").get_data(as_text=True))
    r = client.get(f"/unduh/bandingkan.xlsx?{query}")
    assert r.status_code == 200 and ".xlsx" in r.headers["Content-Disposition"]
    sheet = pd.read_excel(io.BytesIO(r.data), dtype={"kode_wilayah": str})
    assert list(sheet["status"]) == list(csv_rows["status"]) and list(sheet["kode_wilayah"]) == list(csv_rows["kode_wilayah"])
    assert sheet.loc[sheet["status"].isin(["S1", "S2"]), "nilai"].isna().all()
    info = dict(openpyxl.load_workbook(io.BytesIO(r.data))["keterangan"].values)
    assert info["PERINGATAN"].startswith("DATA SINTETIS")


def test_the_page_says_synthetic_labels_protected_cells_and_offers_its_files(client):
    page = client.get("/bandingkan?wilayah=" + ",".join(THREE)).get_data(as_text=True)
    main = page[page.find("<main"):]
    assert "DATA SINTETIS" in page and "data sintetis, bukan statistik resmi" in main
    assert 'href="/unduh/bandingkan.xlsx?wilayah=34.01,34.71,75.01"' in main and 'href="/unduh/bandingkan.csv?wilayah=34.01,34.71,75.01"' in main
    values = re.findall(r'<span class="compare-value( protected-cell)?">([^<]*)</span>', main)
    assert len(values) > 100 and any(set_apart for set_apart, _ in values)
    for set_apart, text in values:
        if text.startswith("dilindungi"):
            assert set_apart and re.fullmatch(r"dilindungi \(S[12]\)", text)  # a label, never a number
    # each region can be taken out (three remain two) and its profile opened
    assert 'href="/bandingkan?wilayah=34.71,75.01"' in main and 'href="/wilayah/75.01"' in main


@pytest.mark.parametrize("path,status,words", [
    ("/bandingkan?wilayah=34.01", 400, "paling sedikit 2"),
    ("/bandingkan?wilayah=34,34.01,34.02,34.03,34.04,34.71", 400, "paling banyak 5"),
    ("/bandingkan?wilayah=34.01,garut", 400, "bukan kode wilayah"),
    ("/bandingkan?wilayah=34.01,,", 400, "kode kosong"),
    ("/bandingkan?wilayah=34.01,99.99", 404, "tidak ada dalam daftar wilayah"),
    ("/bandingkan?wilayah=34.01&wilayah=34.71", 400, "Perbandingan tidak dapat ditampilkan"),
    ("/bandingkan?wilayah=%00%ff,34", 400, "bukan kode wilayah"),
    ("/unduh/bandingkan.csv?wilayah=34.01", 400, "paling sedikit 2"),
    ("/unduh/bandingkan.csv?wilayah=34.01,99.99", 404, "99.99"),
    ("/unduh/bandingkan.xlsx?wilayah=34.01,x", 400, "bukan kode wilayah"),
    ("/unduh/bandingkan.pdf?wilayah=34.01,34.71", 404, "tidak tersedia"),
    ("/unduh/bandingkan.csv?wilayah=34.01&cari=", 400, "paling sedikit 2"),
])
def test_a_bad_comparison_gets_its_status_and_a_reason_in_indonesian(client, path, status, words):
    r = client.get(path)
    assert r.status_code == status and words in r.get_data(as_text=True)
    if not path.startswith("/unduh/"):
        assert 'action="/bandingkan"' in r.get_data(as_text=True)  # and a way to start again


def test_adding_a_region_is_a_search_whose_hits_are_links(client):
    """No script needed: the form sends the words and the regions so far; each hit adds one."""
    start = client.get("/bandingkan").get_data(as_text=True)
    assert client.get("/bandingkan").status_code == 200 and 'name="cari"' in start
    r = client.get("/bandingkan?wilayah=34.01,34.71&cari=bantul")
    main = r.get_data(as_text=True)
    assert r.status_code == 200 and hidden_field(main, "wilayah") == "34.01,34.71"
    assert 'href="/bandingkan?wilayah=34.01,34.71,34.02"' in main
    one = client.get("/bandingkan?wilayah=34.71&cari=bantul")  # the profile's form: one region, the second looked for
    assert one.status_code == 200 and 'href="/bandingkan?wilayah=34.71,34.02"' in one.get_data(as_text=True)
    full = client.get("/bandingkan?wilayah=34,34.01,34.02,34.71,75.01").get_data(as_text=True)
    assert 'name="cari"' not in full[full.find("<main"):full.find("</main>")]  # five: no more to add


def test_a_pinned_comparison_keeps_its_release_in_links_forms_and_files(client):
    rid = current_release().name
    page = client.get(f"/bandingkan?wilayah=34.01,34.71&rilis={rid}").get_data(as_text=True)
    main = page[page.find("<main"):page.find("</main>")]
    links = [htmllib.unescape(h) for h in re.findall(r'href="(/[^"]*)"', main)]
    assert links and all(f"rilis={rid}" in h for h in links), [h for h in links if "rilis=" not in h][:3]
    assert any(h.startswith("/unduh/bandingkan.csv?") for h in links)
    assert hidden_field(main, "rilis") == rid
    assert client.get(f"/unduh/bandingkan.csv?wilayah=34.01,34.71&rilis={rid}").status_code == 200
    assert client.get("/unduh/bandingkan.csv?wilayah=34.01,34.71&rilis=tidak-ada").status_code == 404


def test_the_profile_offers_a_comparison_and_its_similar_regions_from_published_values_only(client):
    """The profile's "Bandingkan dengan…": a plain form with the region in it, and the similar regions
    as the ranking computed here from the release's published cells of the same level."""
    from data.similarity import INDICATORS, MIN_COMMON

    page = client.get("/wilayah/34.71").get_data(as_text=True)
    main = page[page.find("<main"):]
    assert 'action="/bandingkan"' in main and hidden_field(main, "wilayah") == "34.71"
    cells = public_cells()
    latest = cells[(cells.tahun == cells.tahun.max()) & (cells.dimensi == "total") & (cells.tingkat == "kabupaten_kota")
                   & cells.indicator_id.isin(INDICATORS)]
    published = latest[latest.status == "ok"][["kode_wilayah", "indicator_id", "nilai"]]
    want = [n.kode for n in nearest(published, "34.71", k=5, min_common=MIN_COMMON)]
    listed = re.search(r'<ol id="wilayah-mirip"[^>]*>(.*?)</ol>', main).group(1)
    assert re.findall(r'href="/wilayah/([^"]+)"', listed) == want and want
    assert re.findall(r'href="/bandingkan\?wilayah=34\.71,([^"]+)"', listed) == want
    for name in INDICATORS:  # the stated set, each named on the page
        assert f'href="/indikator/{name}"' in main
    # a protected value of the set would change the ranking if it were used: none is, by construction of `published`


def test_the_comparison_is_in_the_sitemap(client):
    assert "<loc>http://127.0.0.1:8050/bandingkan</loc>" in client.get("/sitemap.xml").get_data(as_text=True).replace("localhost", "127.0.0.1:8050")


def test_any_region_list_answers_without_5xx_or_a_traceback(client, caplog):
    """Whatever is typed after ?wilayah= (codes, junk, separators, repeats), on the page and its files:
    a status under 500 and no pre-render failure (ssr.py would log it and serve an empty page)."""
    from urllib.parse import quote

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    code = st.sampled_from(["34", "34.01", "3401", "34.71.01", "00", "99.99", "75.01", "34.", ".", "", " ", "x", "%", "３４", "34,"])
    item = st.one_of(code, st.text(max_size=12))
    statuses = []

    @settings(max_examples=150, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(items=st.lists(item, min_size=0, max_size=7), sep=st.sampled_from([",", ", ", ";", ",,"]),
           where=st.sampled_from(["/bandingkan", "/unduh/bandingkan.csv", "/unduh/bandingkan.xlsx"]), cari=st.sampled_from(["", "&cari=", "&cari=bantul"]))
    def one(items, sep, where, cari):
        path = f"{where}?wilayah={quote(sep.join(items), safe=',')}{cari}"
        r = client.get(path)
        assert r.status_code < 500, (path, r.status_code)
        statuses.append(r.status_code)

    one()
    assert not [rec for rec in caplog.records if rec.exc_info], "a traceback was logged"
    assert {200, 400} <= set(statuses)  # (404, a well-formed unknown code: the parametrized tests above)


# --- in English (?lang=en) --------------------------------------------------------------------------

INDONESIAN = ["Perbandingan", "Bandingkan", "dilindungi", "tidak tersedia", "Wilayah yang", "Tambah wilayah", "Cari wilayah", "Unduh",
              "Indikator", "hapus", "profil", "Tambahkan", "Kemiskinan", "Persentase penduduk miskin", "tahun", "Pilih", "mirip"]


def main_of(page: str) -> str:
    return page[page.find("<main"):page.find("</main>")]


def words_of(fragment: str) -> str:
    """A fragment's visible words (tags dropped; attribute values such as hrefs are not words)."""
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def assert_english(fragment: str) -> None:
    words = words_of(fragment)
    left = [w for w in INDONESIAN if re.search(rf"\b{w}\b", words)]
    assert not left, (left, words[:600])


def assert_links_keep_english(main: str) -> list[str]:
    links = [htmllib.unescape(h) for h in re.findall(r'href="(/[^"]*)"', main)]
    assert links and all("lang=en" in h for h in links), [h for h in links if "lang=en" not in h][:3]
    forms = re.findall(r"<form[^>]*>.*?</form>", main, re.S)
    assert forms and all(hidden_field(f, "lang") == "en" for f in forms)
    return links


def test_the_comparison_in_english_has_english_words_numbers_and_links(client):
    r = client.get("/bandingkan?wilayah=" + ",".join(THREE) + "&lang=en")
    page = r.get_data(as_text=True)
    main = main_of(page)
    assert r.status_code == 200 and '<html lang="en"' in page
    assert re.search(r"<title>Compare Kabupaten Kulon Progo, Kota Yogyakarta, Kabupaten Gorontalo — ", page)
    for words in ["Comparison: Kabupaten Kulon Progo, Kota Yogyakarta, Kabupaten Gorontalo", "Regions compared", "Add a region",
                  "Download the comparison", "Indicator", "Poverty", "Poverty headcount (P0)", "regency/city · 34.71", "remove", "profile",
                  "synthetic data, not official statistics"]:
        assert words in words_of(main), words
    assert_english(main)
    values = re.findall(r'<span class="compare-value( protected-cell)?">([^<]*)</span>', main)
    assert any(re.fullmatch(r"protected \(S[12]\)", v) for _, v in values)
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+ persons", v) for _, v in values)  # 1,234 in English
    assert any(re.fullmatch(r"\d+\.\d+%", v) for _, v in values)
    links = assert_links_keep_english(main)
    for want in ["/bandingkan?wilayah=34.71,75.01&lang=en", "/wilayah/75.01?lang=en", "/unduh/bandingkan.csv?wilayah=34.01,34.71,75.01&lang=en"]:
        assert want in links, want


def test_adding_a_region_in_english(client):
    main = main_of(client.get("/bandingkan?wilayah=34.71&cari=bantul&lang=en").get_data(as_text=True))
    assert "Choose a region to compare with Kota Yogyakarta" in words_of(main) and "Add Kabupaten Bantul" in words_of(main)
    assert_english(main)
    links = assert_links_keep_english(main)
    assert "/bandingkan?wilayah=34.71,34.02&lang=en" in links
    main = main_of(client.get("/bandingkan?lang=en").get_data(as_text=True))
    assert "Compare regions" in words_of(main) and "Search for the first region" in words_of(main)
    assert_english(main)
    assert_links_keep_english(main)


def test_the_profiles_comparison_section_in_english(client):
    main = main_of(client.get("/wilayah/34.71?lang=en").get_data(as_text=True))
    section = main[main.find('id="wilayah-bandingkan"'):]
    assert "Compare with other regions" in words_of(section) and "Similar regions" in words_of(section)
    assert "Other regencies/cities" in words_of(section)
    assert_english(section)
    listed = re.search(r'<ol id="wilayah-mirip"[^>]*>(.*?)</ol>', section).group(1)
    assert re.findall(r'href="/bandingkan\?wilayah=34\.71,[^"]+&amp;lang=en"', listed)
    assert_links_keep_english(section)


@pytest.mark.parametrize("path,status,words", [
    ("/bandingkan?wilayah=34.01", 400, "at least 2"),
    ("/bandingkan?wilayah=34,34.01,34.02,34.03,34.04,34.71", 400, "at most 5"),
    ("/bandingkan?wilayah=34.01,garut", 400, "is not a region code"),
    ("/bandingkan?wilayah=34.01,,", 400, "empty code"),
    ("/bandingkan?wilayah=34.01,3401", 400, "more than once"),
    ("/bandingkan?wilayah=34.01,99.99", 404, "not in the"),
    ("/bandingkan?wilayah=34.01&wilayah=34.71", 400, "The comparison cannot be shown"),
    ("/unduh/bandingkan.csv?wilayah=34.01", 400, "at least 2"),
    ("/unduh/bandingkan.csv?wilayah=34.01,99.99", 404, "not in the"),
])
def test_a_bad_comparison_in_english_says_why_in_english(client, path, status, words):
    r = client.get(path + "&lang=en")
    body = r.get_data(as_text=True)
    assert r.status_code == status and words in body
    if not path.startswith("/unduh/"):
        main = main_of(body)
        assert "The comparison cannot be shown" in main
        assert_english(main)
        assert_links_keep_english(main)
    else:
        assert_english(body)


def test_the_download_in_english_has_english_headers_and_metadata(client):
    query = "wilayah=" + ",".join(THREE) + "&lang=en"
    body = client.get(f"/unduh/bandingkan.csv?{query}").get_data(as_text=True)
    header = body.splitlines()[0].split(",")
    assert header == ["section", "indicator_id", "indicator", "unit", "year", "region_code", "bps_code", "name", "level", "value", "status",
                      "status_note", "period", "source"]
    df = pd.read_csv(io.StringIO(body), dtype={"region_code": str}, keep_default_na=False, na_values=[""])
    assert "Poverty" in set(df["section"]) and "Poverty headcount (P0)" in set(df["indicator"])
    assert list(dict.fromkeys(df["region_code"])) == THREE and set(df["level"]) == {"kabupaten_kota"}  # codes stay codes
    meta = client.get(f"/unduh/bandingkan.meta.json?{query}").get_json()
    assert "): Comparison of Kabupaten Kulon Progo (34.01), " in meta["citation"] and "comparison page" in meta["section"]
    assert "Perbandingan" not in meta["citation_apa"]


def test_a_list_too_short_keeps_its_region_in_the_form(client):
    """Outside check: /bandingkan?wilayah=34.01 was a 400 whose form started over without 34.01."""
    r = client.get("/bandingkan?wilayah=34.01")
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and "paling sedikit 2" in page
    assert "Tetap dipilih: Kabupaten Kulon Progo" in page
    assert re.search(r'<input[^>]*name="wilayah"[^>]*value="34.01"|<input[^>]*value="34.01"[^>]*name="wilayah"', page), "34.01 is not kept"
    # a bad, unknown or repeated code, or one too many, keeps the good ones too (outside check: they started over)
    for query, status in [("34.01,garut", 400), ("34.01,99.99", 404), ("34.01,34.01", 400), ("34.01,,34.71", 400)]:
        r = client.get(f"/bandingkan?wilayah={query}")
        assert r.status_code == status and 'value="34.01' in r.get_data(as_text=True), query
    six = client.get("/bandingkan?wilayah=34,34.01,34.02,34.03,34.04,34.71").get_data(as_text=True)
    assert 'href="/bandingkan?wilayah=34,34.01,34.02,34.03,34.04"' in six  # the first five, one link away
    assert 'name="wilayah"' not in six  # and no form adding a sixth to them
    assert "5 wilayah pertama yang sah tetap dipilih" in six and "Cari wilayah berikutnya" not in six


def test_a_figure_published_a_year_later_for_provinces_is_shown_from_its_latest_year(client):
    """Outside check: /wilayah/34 and /bandingkan?wilayah=34,32 left out BPS's mean years of schooling and
    expected years of schooling, which BPS gives the provinces for 2024 only (the nation also for 2025),
    although the profile's download holds them."""
    import pandas as pd

    from tests.helpers import current_release

    cells = pd.read_parquet(current_release() / "indicators.parquet")
    total = cells[(cells["dimensi"] == "total") & (cells["status"] == "ok")]
    latest = int(cells["tahun"].max())
    # an indicator whose province 34 has a value, but not in the release's latest year
    years_34 = total[total["kode_wilayah"] == "34"].groupby("indicator_id")["tahun"].max()
    behind = years_34[years_34 < latest]
    assert len(behind), "the test release has no such indicator"
    ind, year = behind.index[0], int(behind.iloc[0])
    profile = client.get("/wilayah/34").get_data(as_text=True)
    comparison = client.get("/bandingkan?wilayah=34,75").get_data(as_text=True)
    for page in (profile, comparison):
        assert f'href="/indikator/{ind}"' in page, ind
        assert f"({year})" in page  # and the year it is from is said
