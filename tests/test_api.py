"""The open read API, /api/v1 (issue 16): the same numbers as the pages and downloads, a stable
keyset-paginated order, caching headers, reasons for bad queries, and no 5xx for any query."""
from __future__ import annotations

import io
import json
import random
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import current_release, public_cells


@pytest.fixture(scope="module")
def client():
    import app as portal

    return portal.server.test_client()


def all_rows(client, url: str) -> list[dict]:
    """Every page of a values query, following _next."""
    rows, nxt = [], url
    while nxt:
        body = client.get(nxt).get_json()
        rows += body["data"]
        nxt = f"{url}&_next={body['_next']}" if body["_next"] else None
    return rows


def test_random_views_match_the_page_table_and_the_csv_download(client):
    """For random views the API's rows, the map's CSV download and the page's table agree cell by cell."""
    cells = public_cells()
    views = cells[(cells.dimensi == "total") & cells.tingkat.isin(["provinsi", "kabupaten_kota"])][["indicator_id", "tahun", "tingkat"]].drop_duplicates()
    rng = random.Random(16)
    for view in views.sample(8, random_state=rng.randint(0, 10_000)).itertuples():
        q = f"indikator={view.indicator_id}&tahun={view.tahun}&tingkat={view.tingkat}"
        raw = {r["kode_wilayah"]: r for r in all_rows(client, f"/api/v1/nilai?{q}&dimensi=total&batas=7")}
        api = pd.DataFrame(list(raw.values())).set_index("kode_wilayah")
        csv = pd.read_csv(io.StringIO(client.get(f"/unduh/peta.csv?{q}").get_data(as_text=True)), dtype={"kode_wilayah": str}).set_index("kode_wilayah")
        assert set(api.index) == set(csv.index) and len(api) > 0, q
        for kode, row in csv.iterrows():
            a = api.loc[kode]
            assert (a["status"] if a["status"] != "NA" else "tidak_berlaku") == row["status"], (q, kode)
            if row["status"] == "ok":
                assert a["nilai"] == pytest.approx(row["nilai"], abs=10 ** -6), (q, kode)
            else:
                r = raw[kode]  # as the JSON says it: null, never 0
                assert r["nilai"] is None and r["pembilang"] is None and r["penyebut"] is None, (q, kode)
        page = client.get(f"/peta?{q}").get_data(as_text=True)
        shown = dict(re.findall(r'href="/wilayah/([0-9.]+)">[^<]*</a></td><td>([^<]*)</td>', page))
        from components.formatting import format_number
        from data.catalog import load_catalog

        dec = load_catalog()[view.indicator_id].desimal
        for kode, text in shown.items():
            assert format_number(api.loc[kode, "nilai"], dec) == text, (q, kode)


def test_pages_are_stable_complete_and_linked(client):
    whole = client.get("/api/v1/nilai?indikator=tpt&batas=1000").get_json()["data"]
    paged = all_rows(client, "/api/v1/nilai?indikator=tpt&batas=37")
    assert paged == whole[: len(paged)] and len(paged) == len(public_cells().query("indicator_id == 'tpt'"))
    keys = [(r["tahun"], r["kode_wilayah"], r["dimensi"], r["kategori"]) for r in paged]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    r = client.get("/api/v1/nilai?indikator=tpt&batas=5")
    assert 'rel="next"' in r.headers["Link"] and "_next=" in r.headers["Link"]


def test_caching_cors_and_304(client):
    r = client.get("/api/v1/nilai?indikator=tpt&batas=5")
    assert r.headers["Access-Control-Allow-Origin"] == "*" and r.headers["ETag"] and "max-age=300" in r.headers["Cache-Control"]
    assert client.get("/api/v1/nilai?indikator=tpt&batas=5", headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    pinned = client.get(f"/api/v1/nilai?indikator=tpt&batas=5&rilis={current_release().name}")
    assert "max-age=3600" in pinned.headers["Cache-Control"] and pinned.headers["ETag"] != r.headers["ETag"]
    assert client.post("/api/v1/nilai?indikator=tpt").status_code == 405


@pytest.mark.parametrize("query,reason", [("", "indikator wajib"), ("indikator=zz", "tidak ada"), ("indikator=tpt&tahun=1900", "tahun"),
                                          ("indikator=tpt&tingkat=desa", "tingkat"), ("indikator=tpt&dimensi=agama", "dimensi"),
                                          ("indikator=tpt&dimensi=desil&kategori=11", "kategori"), ("indikator=tpt&kode=99.99", "kode wilayah"),
                                          ("indikator=tpt&format=xml", "format"), ("indikator=tpt&batas=5000", "batas"),
                                          ("indikator=tpt&_next=%%%", "_next"), ("indikator=tpt&x=1", "tidak dikenal"),
                                          ("indikator=tpt&rilis=tidak-ada", "Tidak ada rilis")])
def test_a_malformed_query_gets_400_with_the_reason(client, query, reason):
    r = client.get(f"/api/v1/nilai?{query}")
    assert r.status_code in (400, 404) and reason in r.get_json()["galat"]
    if "rilis=" not in query:
        english = client.get(f"/api/v1/nilai?{query}", headers={"Accept-Language": "en"}).get_json()["galat"]
        assert english != r.get_json()["galat"]


def test_the_openapi_document_describes_every_route_and_the_docs_page_is_local(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1") and set(doc["paths"]) == {"/api/v1/rilis", "/api/v1/indikator", "/api/v1/wilayah", "/api/v1/nilai"}
    for path in doc["paths"]:
        assert client.get(path + ("?indikator=tpt" if path.endswith("nilai") else "")).status_code == 200
    docs = client.get("/api/v1/dokumentasi")
    assert docs.status_code == 200  # outside check: the page status hook turned it into a 404
    html = docs.get_data(as_text=True)
    assert "/api/v1/openapi.json" in html and not re.search(r'(src|href)="https?://', html)


def _matches(schema: dict, value) -> bool:
    """Enough of JSON Schema for our own document: type (with null), enum, required, properties, items."""
    types = schema.get("type")
    if types is not None:
        allowed = types if isinstance(types, list) else [types]
        pytype = {"null": type(None), "string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list, "object": dict}
        if not any(isinstance(value, pytype[t]) and not (t in ("integer", "number") and isinstance(value, bool)) for t in allowed):
            return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    if isinstance(value, dict):
        if any(k not in value for k in schema.get("required", [])):
            return False
        return all(_matches(s, value[k]) for k, s in schema.get("properties", {}).items() if k in value)
    if isinstance(value, list) and "items" in schema:
        return all(_matches(schema["items"], v) for v in value)
    return True


PARAM_VALUES = st.one_of(st.sampled_from(["tpt", "persen_penduduk_miskin", "jumlah_penduduk", "2024", "2025", "provinsi", "kecamatan", "34", "34.71",
                                          "75.01", "desil", "1", "total", "json", "csv", "0", "1000", "-1", "", "%00", "'", "\u0000", "abc"]),
                         st.text(max_size=12))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(["indikator", "tahun", "tingkat", "induk", "kode", "dimensi", "kategori", "batas", "format", "_next", "zz"]),
                              PARAM_VALUES, max_size=6))
def test_no_query_gives_a_5xx_or_an_answer_outside_the_openapi_document(client, params):
    from urllib.parse import urlencode

    doc = client.get("/api/v1/openapi.json").get_json()
    r = client.get("/api/v1/nilai?" + urlencode(params))
    assert r.status_code < 500, (params, r.get_data(as_text=True)[:300])
    spec = doc["paths"]["/api/v1/nilai"]["get"]["responses"][str(r.status_code)]
    if r.mimetype == "application/json":
        assert _matches(spec["content"]["application/json"]["schema"], r.get_json()), params
    else:
        assert r.mimetype == "text/csv" and r.status_code == 200, params


def test_parquet_is_for_large_reads_and_carries_the_json_rows_typed(client):
    """Issue 16 §3: parquet for large reads. One request gives a whole kecamatan-level indicator (the
    JSON would take pages of 1,000), with the same rows, protected values null, numbers as numbers."""
    q = "indikator=persen_penduduk_miskin&tingkat=kecamatan"
    r = client.get(f"/api/v1/nilai?{q}&format=parquet")
    assert r.status_code == 200 and r.mimetype == "application/vnd.apache.parquet"
    df = pd.read_parquet(io.BytesIO(r.data))
    rows = all_rows(client, f"/api/v1/nilai?{q}&batas=100")  # JSON in pages: the parquet file holds them all
    assert len(df) == len(rows) > 100 and "X-Next" not in r.headers
    by_key = {(x["kode_wilayah"], x["tahun"]): x for x in rows}
    for rec in df.sample(min(200, len(df)), random_state=1).itertuples():
        x = by_key[(rec.kode_wilayah, rec.tahun)]
        assert rec.status == x["status"] and (pd.isna(rec.nilai) if x["nilai"] is None else rec.nilai == pytest.approx(x["nilai"]))
    assert pd.api.types.is_float_dtype(df["nilai"])
    small = client.get(f"/api/v1/nilai?{q}&format=parquet&batas=10")
    assert len(pd.read_parquet(io.BytesIO(small.data))) == 10 and "_next=" in small.headers["Link"] and small.headers["X-Next"]
    assert client.get(f"/api/v1/nilai?{q}&batas=5000").status_code == 400  # JSON pages stay small


def test_cross_site_scripts_can_page_through_the_api(client):
    """Outside check (issue 16): no preflight answer and no exposed headers, so a browser client on
    another site could not read Link, X-Next or ETag, which paging relies on."""
    pre = client.options("/api/v1/nilai?indikator=tpt", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
    assert pre.headers["Access-Control-Allow-Origin"] == "*" and "GET" in pre.headers["Access-Control-Allow-Methods"]
    r = client.get("/api/v1/nilai?indikator=tpt&batas=2")
    assert {"Link", "X-Next", "ETag"} <= {h.strip() for h in r.headers["Access-Control-Expose-Headers"].split(",")}


def test_inside_the_api_every_answer_is_json_and_a_repeated_parameter_is_refused(client):
    """Outside check (issue 16): unknown /api/v1 paths and POSTs answered HTML; tahun=2025&tahun=2024
    silently used the first; the English reason for a bad kategori read 'not in dimension apa pun'."""
    for r, status in ((client.get("/api/v1/tidak-ada"), 404), (client.post("/api/v1/nilai?indikator=tpt"), 405)):
        assert r.status_code == status and r.mimetype == "application/json" and r.get_json()["galat"]
    r = client.get("/api/v1/nilai?indikator=tpt&tahun=2025&tahun=2024")
    assert r.status_code == 400 and "tahun" in r.get_json()["galat"]
    en = client.get("/api/v1/nilai?indikator=tpt&kategori=zz", headers={"Accept-Language": "en"}).get_json()["galat"]
    assert en.startswith("kategori 'zz' is in no dimension") and "pun" not in en
