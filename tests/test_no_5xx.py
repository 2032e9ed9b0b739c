"""No input answers 5xx (issue 18): an attacker's reproducers, then a bounded fuzz of every callback and route.

Callbacks are posted the way dash-renderer posts them: {"output", "outputs", "inputs": [{"id",
"property", "value"}], "state": [...], "changedPropIds"}; the envelope is built from the app's own
callback map, so a new callback is fuzzed without a line here.
"""
from __future__ import annotations

import json
import logging
from collections import Counter
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

UPDATE = "/_dash-update-component"
FUZZ = settings(max_examples=250, derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def portal():
    import app as portal

    portal.server.test_client().get("/")  # Dash registers its callbacks (and the pages router) on the first request
    return portal


@pytest.fixture(scope="module")
def client(portal):
    return portal.server.test_client()


@pytest.fixture(scope="module")
def rel(portal):
    return portal.queries.store().get()


@pytest.fixture(scope="module")
def defaults(rel):
    """What the map page's controls hold when it opens: a request a browser really sends."""
    year = str(rel.years[-1])
    return {"peta-indikator.value": "persen_penduduk_miskin", "peta-tahun.value": year, "peta-tingkat.value": "provinsi",
            "peta-induk.value": "00", "peta-dimensi.value": "total", "peta-kategori.value": "total", "peta-kunci.data": None,
            "wilayah-kode.data": "34", "_pages_location.pathname": "/peta", "_pages_location.search": ""}


def server_callbacks(portal) -> list[str]:
    return sorted(k for k, cb in portal.app.callback_map.items() if "callback" in cb)


def key_with(portal, fragment: str) -> str:
    """The callback whose output key holds `fragment` (e.g. "peta-tahun.options")."""
    keys = [k for k in server_callbacks(portal) if fragment in k]
    assert len(keys) == 1, keys
    return keys[0]


def outputs_of(key: str):
    """dash-renderer's "outputs" for a callback key: "id.prop", or "..id.prop...id.prop.." for several."""
    if key.startswith(".."):
        return [outputs_of(k) for k in key[2:-2].split("...")]
    id_, prop = key.rsplit(".", 1)
    return {"id": id_, "property": prop}


def envelope(portal, key: str, values: dict) -> dict:
    """The body dash-renderer posts for callback `key`, with `values` by "id.property"."""
    cb = portal.app.callback_map[key]

    def deps(declared):
        return [{**d, "value": values.get(f"{d['id']}.{d['property']}")} for d in declared]

    inputs = deps(cb["inputs"])
    return {"output": key, "outputs": outputs_of(key), "inputs": inputs, "state": deps(cb["state"]),
            "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"]}


def post(client, body):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(UPDATE, data=data, content_type="application/json")


def call(client, portal, defaults, fragment: str, **changed):
    """Post the callback with output `fragment`, the page's own values but for `changed` ("id.property": value)."""
    key = key_with(portal, fragment)
    return post(client, envelope(portal, key, {**defaults, **changed}))


def answer(resp) -> dict:
    return json.loads(resp.get_data(as_text=True))["response"]


def unchanged(resp) -> bool:
    """The callback answered no_update for every output (Dash says so with 204 or an empty response)."""
    return resp.status_code == 204 or (resp.status_code == 200 and answer(resp) == {})


# --- The reproducers ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["kecamatan", "", True, [1, 2], {"a": 1}, "_domain_kemiskinan"])
def test_map_indicator_that_is_not_one_changes_nothing(client, portal, defaults, value):
    assert unchanged(call(client, portal, defaults, "peta-tahun.options", **{"peta-indikator.value": value}))


@pytest.mark.parametrize("field,value", [("peta-tahun.value", "dua-ribu"), ("peta-tahun.value", ["2024"]), ("peta-tingkat.value", {})])
def test_map_indicator_with_odd_year_or_level_falls_back_to_the_indicators_own(client, portal, defaults, field, value):
    r = call(client, portal, defaults, "peta-tahun.options", **{field: value})
    assert r.status_code == 200
    assert answer(r)["peta-tingkat"]["value"] == "provinsi"


@pytest.mark.parametrize("value", ["34", {}, None, 7])
def test_map_breakdown_that_is_not_one_changes_nothing(client, portal, defaults, value):
    assert unchanged(call(client, portal, defaults, "peta-kategori.options", **{"peta-dimensi.value": value}))


@pytest.mark.parametrize("value", [2025, ["34"], {"kode": "34"}, "99.99"])
def test_map_region_that_is_not_one_changes_nothing(client, portal, defaults, value):
    key = next(k for k in server_callbacks(portal) if k.startswith("peta-tingkat.value@"))
    assert unchanged(post(client, envelope(portal, key, {**defaults, "peta-induk.value": value})))


def test_map_region_still_shows_what_is_inside_it(client, portal, defaults):
    key = next(k for k in server_callbacks(portal) if k.startswith("peta-tingkat.value@"))
    r = post(client, envelope(portal, key, {**defaults, "peta-induk.value": "34"}))
    assert r.status_code == 200 and answer(r)["peta-tingkat"]["value"] == "kabupaten_kota"


@pytest.mark.parametrize("click", ["x", 1, [], {"points": "x"}, {"points": [1]}, {"points": [{"location": ["34"]}]},
                                   {"points": [{"location": "99"}]}])
def test_map_click_on_nothing_changes_nothing(client, portal, defaults, click):
    assert unchanged(call(client, portal, defaults, "peta-induk.value@", **{"peta-grafik.clickData": click}))


def test_map_click_on_a_province_still_drills_down(client, portal, defaults):
    r = call(client, portal, defaults, "peta-induk.value@", **{"peta-grafik.clickData": {"points": [{"location": "34"}]}})
    assert r.status_code == 200
    assert answer(r)["peta-induk"]["value"] == "34" and answer(r)["peta-tingkat"]["value"] == "kabupaten_kota"


def test_map_click_with_odd_controls_changes_nothing(client, portal, defaults):
    r = call(client, portal, defaults, "peta-induk.value@", **{"peta-grafik.clickData": {"points": [{"location": "34"}]},
                                                              "peta-tahun.value": {"y": 1}})
    assert unchanged(r)


@pytest.mark.parametrize("field,value", [("peta-indikator.value", {}), ("peta-tahun.value", [2024]), ("peta-induk.value", {"a": 1}),
                                         ("peta-dimensi.value", 5), ("peta-kategori.value", True), ("peta-tingkat.value", "x" * 5000)])
def test_map_controls_with_odd_values_say_why(client, portal, defaults, field, value):
    r = call(client, portal, defaults, "peta-grafik.figure", **{field: value})
    assert r.status_code == 200
    message = answer(r)["peta-pesan"]["children"]
    assert message and len(message) < 300  # a reason, not the value echoed back


def test_map_controls_still_draw_the_map(client, portal, defaults):
    r = call(client, portal, defaults, "peta-grafik.figure")
    assert r.status_code == 200 and answer(r)["peta-pesan"]["children"] == ""


@pytest.mark.parametrize("value", [1, [], {"q": "x"}, True])
def test_search_that_is_not_text_changes_nothing(client, portal, defaults, value):
    assert unchanged(call(client, portal, defaults, "cari-wadah.children", **{"cari-q.value": value}))


def test_search_shows_back_at_most_a_capped_query(client, portal, defaults):
    r = call(client, portal, defaults, "cari-wadah.children", **{"cari-q.value": "x" * 5000})
    assert r.status_code == 200
    assert "x" * 100 in r.get_data(as_text=True) and "x" * 101 not in r.get_data(as_text=True)
    page = client.get("/cari?q=" + "y" * 3000).get_data(as_text=True)
    main = page[page.index("<main"):page.index("</main>")]  # the served page (Dash's own meta tags repeat the URL)
    assert "y" * 100 in main and "y" * 101 not in main


@pytest.mark.parametrize("value", [1, ["miskin"], {}])
def test_catalogue_filter_that_is_not_text_changes_nothing(client, portal, defaults, value):
    assert unchanged(call(client, portal, defaults, "indikator-daftar.children", **{"indikator-saring.value": value}))


@pytest.mark.parametrize("value", [{"id": "tpt"}, ["tpt"], 3, "bukan_indikator"])
def test_region_rank_with_no_indicator_hides_the_map(client, portal, defaults, value):
    r = call(client, portal, defaults, "wilayah-peringkat.children", **{"wilayah-indikator.value": value})
    assert r.status_code == 200 and answer(r)["wilayah-peta"]["style"] == {"display": "none"}


@pytest.mark.parametrize("search", ["?indikator=a&indikator=b", "?kode=1&kode=2", "?q=a&q=b", "?ind_id=a&ind_id=b", "?tahun=1&tahun=2"])
@pytest.mark.parametrize("path", ["/peta", "/wilayah/34", "/cari", "/indikator/tpt", "/target"])
def test_router_with_a_repeated_parameter_renders_a_page(client, portal, defaults, path, search):
    r = call(client, portal, defaults, "_pages_content.children", **{"_pages_location.pathname": path, "_pages_location.search": search})
    assert r.status_code == 200


@pytest.mark.parametrize("field,value", [("_pages_location.pathname", 2025), ("_pages_location.pathname", None), ("_pages_location.search", ["?a"])])
def test_router_with_a_path_that_is_not_text_is_a_bad_request(client, portal, defaults, field, value):
    assert call(client, portal, defaults, "_pages_content.children", **{field: value}).status_code == 400


def malformed_envelopes(portal, defaults):
    key = key_with(portal, "cari-wadah.children")
    good = envelope(portal, key, defaults)
    return {
        "null": "null", "list": "[]", "no output": "{}", "deep": "[" * 100_000, "not json": "{'output'",
        "unknown output": {**good, "output": "tidak-ada.children"},
        "clientside output": {**good, "output": next(k for k in portal.app.callback_map if k.startswith("peta-pesan.title"))},
        "outputs missing": {k: v for k, v in good.items() if k != "outputs"},
        "inputs not a list": {**good, "inputs": {"id": "cari-q"}},
        "too few inputs": {**good, "inputs": []},
        "input of another component": {**good, "inputs": [{"id": "peta-indikator", "property": "value", "value": "x"}]},
        "changedPropIds not strings": {**good, "changedPropIds": [["cari-q.value"]]},
        "deep value": {**good, "inputs": [{**good["inputs"][0], "value": json.loads("[" * 200 + "]" * 200)}]},
    }


def test_malformed_callback_requests_get_400_and_one_log_line(client, portal, defaults, caplog):
    for name, body in malformed_envelopes(portal, defaults).items():
        caplog.clear()
        with caplog.at_level(logging.INFO):
            r = post(client, body)
        assert r.status_code == 400, name
        lines = [rec for rec in caplog.records if rec.levelno >= logging.WARNING]
        assert len(lines) == 1 and lines[0].exc_info is None and "\n" not in lines[0].getMessage(), (name, lines)


def test_an_oversized_body_gets_413(client):
    assert post(client, b"x" * (2 * 1024 * 1024)).status_code == 413


@pytest.mark.parametrize("path", ["/geo/{rid}/" + "a" * 3000 + ".geojson", "/geo/{rid}/provinsi.geojson%00", "/geo/{rid}/../manifest.json",
                                  "/geo/{rid}/kecamatan/..%2f..%2fmanifest.json", "/geo/" + "a" * 3000 + "/provinsi.geojson",
                                  "/geo/a%00b/provinsi.geojson", "/unduh/rilis/" + "a" * 3000 + "/semua.csv.gz", "/peta?rilis=" + "a" * 3000])
def test_bad_geometry_and_release_names_are_404(client, rel, path):
    assert client.get(path.format(rid=rel.id)).status_code == 404


def test_good_geometry_is_still_served(client, rel):
    assert client.get(f"/geo/{rel.id}/provinsi.geojson").status_code == 200
    assert client.get(f"/geo/{rel.id}/kecamatan/34.geojson").status_code == 200


@pytest.mark.parametrize("path", ["/_dash-component-suites/dash/../../app.py", "/_dash-component-suites/dash/tidak-ada.js",
                                  "/_dash-component-suites/tidak_ada/x.js", "/_dash-component-suites/os/path.py"])
def test_unknown_bundle_paths_are_404_with_one_log_line(client, path, caplog):
    with caplog.at_level(logging.INFO):
        assert client.get(path).status_code == 404
    lines = [rec for rec in caplog.records if rec.levelno >= logging.WARNING]
    assert len(lines) == 1 and lines[0].exc_info is None


# --- The fuzz --------------------------------------------------------------------------------


def plausible(rel) -> list:
    """Values the controls really hold, so the fuzz reaches past each callback's first check."""
    codes = list(rel.regions.index[:6]) + ["00", "34", "34.71"]
    return (list(rel.catalog)[:5] + [str(y) for y in rel.years] + ["provinsi", "kabupaten_kota", "kecamatan", "total", "desil", "jenis_kelamin",
                                                                    "L", "P", "1", "", "x" * 300] + codes
            + ["/", "/peta", "/wilayah/34", "/wilayah/34.71", "/cari", "/target", "/indikator", "/indikator/tpt", "/rilis", f"/rilis/{rel.id}",
               "/tentang", "/tidak-ada", "?indikator=tpt&indikator=x", "?tahun=abc", "?q=jogja", "?tingkat=kecamatan&induk=34", "?kode=1&kode=2"]
            + [{"points": [{"location": c}]} for c in codes])


JSON = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)


@pytest.fixture(scope="module")
def values(rel):
    return st.one_of(st.sampled_from(plausible(rel)), JSON)


def fuzz_callback(client, portal, key, data, values, defaults) -> int:
    """One request: each input the page's own value (so most of a request is real and the odd ones
    reach deep), a real value of some other control, or any JSON."""
    cb = portal.app.callback_map[key]
    deps = [f"{d['id']}.{d['property']}" for d in cb["inputs"] + cb["state"]]
    body = envelope(portal, key, {d: data.draw(st.one_of(st.just(defaults.get(d)), values), label=d) for d in deps})
    r = post(client, body)
    text = r.get_data(as_text=True)
    # 200/204: the callback's own answer; 400 only for the router's pathname or search not being text (the
    # envelope check). A callback failing on its input would get the safety net's 400 "callback <output>: …".
    assert r.status_code in (200, 204) or (r.status_code == 400 and "_pages_location" in text), (r.status_code, text[:300])
    return r.status_code


def test_every_callback_fuzzed_answers_without_5xx(client, portal, values, defaults, caplog):
    keys = server_callbacks(portal)
    assert len(keys) >= 9  # the map's five, search, catalogue filter, region rank, and Dash's router
    seen = []

    for key in keys:
        @FUZZ
        @given(data=st.data())
        def one(data):
            seen.append(fuzz_callback(client, portal, key, data, values, defaults))

        one()
    assert not [rec for rec in caplog.records if rec.exc_info], "a traceback was logged"
    print(f"callbacks fuzzed: {len(keys)}, requests: {len(seen)}, statuses: {dict(Counter(seen))}")


SEGMENTS = ["provinsi.geojson", "kabupaten_kota.geojson", "kecamatan", "34.geojson", "..", ".", "%00", "%2e%2e", "..%2f", "a" * 300, "wilayah",
            "34", "peta.csv", "peta.xlsx", "target.zip", "rilis", "semua.csv.gz", "README.txt", "dash", "deps", "plotly", "package_data",
            "dash_table", "indikator", "sel", "cari", "openapi.json", "x.meta.json", "34.71.csv", "nilai", "target.csv", "peta.meta.json",
            "grafik", "tren", "peringkat", "sebaran", "target", "tpt.png", "persen_penduduk_miskin.svg", "tpt.svg", "34.71", "sematkan"]


def test_every_route_fuzzed_answers_without_5xx(client, rel, caplog):
    statuses = []
    segment = st.one_of(st.sampled_from(SEGMENTS + [rel.id]), st.text(max_size=20).map(lambda s: quote(s, safe="")))
    query = st.sampled_from(["", "?rilis=" + rel.id, "?rilis=x%00", "?tahun=semua", "?indikator=tpt&indikator=x", "?q=" + "z" * 200,
                             "?indikator=persen_penduduk_miskin&tingkat=kecamatan&induk=34", "?kode=34&tahun=x", "?meta=1&urut=%00",
                             "?wilayah=34.71.01&lang=en", "?wilayah=x%00", "?tahun=20251", "?tahun=2025&lang=en", "?indikator=tpt&wilayah=99"])

    @settings(FUZZ, max_examples=600)
    @given(prefix=st.sampled_from(["/geo/", "/unduh/", "/unduh/grafik/", "/_dash-component-suites/", "/api/v1/", "/sematkan/"]), parts=st.lists(segment, min_size=1, max_size=4),
           q=query)
    def one(prefix, parts, q):
        r = client.get(prefix + "/".join(parts) + q)
        assert r.status_code < 500, (prefix + "/".join(parts) + q, r.status_code)
        statuses.append(r.status_code)

    one()
    assert not [rec for rec in caplog.records if rec.exc_info], "a traceback was logged"
    print(f"paths fuzzed: {len(statuses)}, statuses: {dict(Counter(statuses))}")
