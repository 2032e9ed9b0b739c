"""Serving as a public service (issue 18): a strict CSP, no version banners, no Host header in what
the site says about itself, Cache-Control on every response."""
from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest

from tests.helpers import current_release
from web.headers import cache_control, names_its_content

PAGES = ["/", "/peta", "/peta?indikator=tpt&tingkat=kabupaten_kota", "/wilayah/34.71", "/indikator", "/indikator/tpt", "/target",
         "/cari?q=sleman", "/rilis", "/tentang", "/halaman-yang-tidak-ada"]
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}  # what a browser runs (other types are data)


@pytest.fixture(scope="module")
def client():
    import app as portal

    return portal.server.test_client()


@pytest.fixture(scope="module")
def rid():
    return current_release().name


class Scripts(HTMLParser):
    """Every inline script a browser would run, and every inline event handler or javascript: URL
    (neither can be allowed by a hash)."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.inline, self.handlers, self._open = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [f"{tag} {k}" for k, v in attrs.items() if k.startswith("on") or (v or "").strip().lower().startswith("javascript:")]
        if tag == "script" and "src" not in attrs and (attrs.get("type") or "").lower() in JS_TYPES:
            self._open = []

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.inline.append("".join(self._open))
            self._open = None


def script_src(csp: str) -> list[str]:
    return next(d.split()[1:] for d in csp.split(";") if d.split()[0] == "script-src")


def test_the_csp_runs_no_unsafe_script_and_every_inline_script_a_page_holds_is_hashed_in_it(client):
    """A page's inline scripts are Dash's own (its Pages title function); each must be named in
    script-src by its sha256, so an inline script added later without its hash fails here (and the
    browser would refuse it)."""
    seen = set()
    for path in PAGES:
        r = client.get(path)
        allowed = script_src(r.headers["Content-Security-Policy"])
        assert not [s for s in allowed if "unsafe" in s], allowed
        assert "'unsafe-eval'" not in r.headers["Content-Security-Policy"]
        parser = Scripts()
        parser.feed(r.get_data(as_text=True))
        assert parser.handlers == [], (path, parser.handlers)
        for script in parser.inline:
            digest = "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
            assert digest in allowed, (path, script[:200])
            seen.add(digest)
    assert seen, "no inline script found on any page: the parser no longer sees Dash's"


@pytest.mark.parametrize("header,value", [("Cross-Origin-Opener-Policy", "same-origin"), ("Permissions-Policy", "camera=()"),
                                          ("Permissions-Policy", "geolocation=()"), ("X-Frame-Options", "DENY")])
def test_every_answer_carries_the_browser_policies(client, header, value):
    for path in ["/", "/api/v1/rilis", "/unduh/peta.csv", "/tidak-ada"]:
        assert value in client.get(path).headers.get(header, ""), path
    assert "frame-ancestors 'none'" in client.get("/").headers["Content-Security-Policy"]


def test_no_answer_names_python_dash_plotly_or_flask_versions(client):
    import platform
    from importlib.metadata import version

    versions = {name: version(name) for name in ("dash", "plotly", "flask", "werkzeug", "dash-bootstrap-components")}
    versions["python"] = platform.python_version()
    patterns = {name: re.compile(rf"(?<![\d.]){re.escape(v)}(?![\d.])|v{re.escape(v.replace('.', '_'))}") for name, v in versions.items()}
    answers = {path: client.get(path) for path in PAGES + ["/_dash-layout", "/_dash-dependencies", "/api/v1", "/api/v1/openapi.json",
                                                           "/api/v1/dokumentasi", "/api/v1/tidak-ada"]}
    for path, r in answers.items():
        text = r.get_data(as_text=True) + " ".join(f"{k}: {v}" for k, v in r.headers.items())
        named = [name for name, pattern in patterns.items() if pattern.search(text)]
        assert not named, (path, named)
        assert not re.search(r'"(dash|python|plotly|ddk)_version', text), path  # Dash's config keys
    assert client.get("/_dash-component-suites/plotly/package_data/plotly.min.js").headers["ETag"].strip('"') != "vendor/plotly-geo-4.1.1.min.js"


def test_the_renamed_bundles_are_served_and_kept_for_a_year(client):
    """Dash's bundle URLs name a hash of their content instead of Dash's version; Dash serves them."""
    page = client.get("/peta").get_data(as_text=True)
    bundles = re.findall(r'"(/_dash-component-suites/[^"]+)"', page)
    assert bundles and all(re.search(r"\.v0m[0-9a-f]{16}\.", url) for url in bundles), bundles
    for url in bundles:
        r = client.get(url)
        assert r.status_code == 200 and r.headers["Cache-Control"] == "public, max-age=31536000, immutable", url


def test_reload_hash_is_off(client):
    assert client.get("/_reload-hash").status_code == 404


def test_the_host_header_reaches_no_page_citation_download_or_api_link(client, rid, monkeypatch):
    """The site names itself by DTSEN_PUBLIC_URL; a request's Host (the asker's to choose) is never
    written into a page, a citation, a download, a file kept for others or a Link header."""
    monkeypatch.setenv("DTSEN_PUBLIC_URL", "https://data.contoh.go.id")
    evil = {"Host": "evil.example"}
    paths = PAGES + [f"/rilis/{rid}", f"/peta?rilis={rid}", "/unduh/peta.csv?meta=1", "/unduh/peta.meta.json", "/unduh/peta.zip",
                     "/unduh/wilayah/34.71.meta.json", "/unduh/target.csv", f"/unduh/rilis/{rid}/README.txt",
                     f"/unduh/rilis/{rid}/CITATION.cff", "/api/v1/nilai?indikator=tpt&batas=2", "/api/v1/openapi.json", "/api/v1/dokumentasi"]
    for path in paths:
        r = client.get(path, headers=evil)
        assert r.status_code < 500, path
        assert b"evil.example" not in r.data and "evil.example" not in str(r.headers), path
    assert "Link" in client.get("/api/v1/nilai?indikator=tpt&batas=2", headers=evil).headers  # the paged answer was checked
    page = client.get("/peta?indikator=tpt", headers=evil).get_data(as_text=True)
    assert '<link rel="canonical" href="https://data.contoh.go.id/peta?indikator=tpt">' in page
    assert 'property="og:url" content="https://data.contoh.go.id/peta?indikator=tpt"' in page
    assert "https://data.contoh.go.id/peta?" in client.get("/unduh/peta.meta.json", headers=evil).get_json()["kutipan"]


def test_a_malformed_public_url_is_refused(monkeypatch):
    from web.public_url import site_root

    monkeypatch.setenv("DTSEN_PUBLIC_URL", "data.contoh.go.id")
    with pytest.raises(ValueError):
        site_root()
    monkeypatch.setenv("DTSEN_PUBLIC_URL", "https://data.contoh.go.id/")
    assert site_root() == "https://data.contoh.go.id"


YEAR = "public, max-age=31536000, immutable"


@pytest.mark.parametrize("path,status,pinned,versioned,expected", [
    ("/peta", 200, False, False, "public, max-age=60"),
    ("/peta", 200, True, False, "public, max-age=3600"),
    ("/peta", 404, False, False, "no-store"),
    ("/api/v1/nilai", 200, False, False, "public, max-age=300"),
    ("/api/v1/nilai", 200, True, False, "public, max-age=3600"),
    ("/api/v1/nilai", 304, True, False, "public, max-age=3600"),
    ("/api/v1/nilai", 400, False, False, "no-store"),
    ("/unduh/peta.csv", 200, False, False, "public, max-age=300"),
    ("/unduh/rilis/x/semua.parquet", 200, False, False, "public, max-age=3600"),
    ("/unduh/rilis/x/README.txt", 503, False, True, "no-store"),
    ("/_dash-update-component", 200, True, False, "no-store"),
    ("/_dash-layout", 200, False, False, "no-store"),
    ("/_dash-component-suites/dash/x.v0m1a.js", 200, False, True, YEAR),
    ("/_dash-component-suites/plotly/package_data/plotly.min.js", 200, False, False, "public, max-age=86400"),
    ("/assets/10-portal.css", 200, False, True, YEAR),
    ("/assets/topojson/world_110m.json", 200, False, False, "public, max-age=86400"),
    ("/healthz", 200, False, False, "no-store"),
])
def test_the_cache_policy(path, status, pinned, versioned, expected):
    assert cache_control(path, status, pinned, versioned) == expected


@pytest.mark.parametrize("path,args,expected", [
    ("/assets/10-portal.css", {"m": "1"}, True), ("/assets/10-portal.css", {}, False),
    ("/_dash-component-suites/dash/deps/react@18.v0m0123abcd.3.1.min.js", {}, True),
    ("/_dash-component-suites/plotly/package_data/plotly.min.js", {}, False),
    ("/geo/r1/provinsi.geojson", {}, True), ("/unduh/rilis/r1/semua.parquet", {}, False), ("/unduh/peta.csv", {}, False), ("/peta", {}, False),
])
def test_which_urls_name_their_content(path, args, expected):
    assert names_its_content(path, args) is expected


def test_every_response_says_how_long_it_may_be_kept(client, rid):
    page = client.get("/peta").get_data(as_text=True)
    asset = re.search(r'src="(/assets/[^"]+\?m=[^"]+)"', page).group(1)
    bundle = re.search(r'"(/_dash-component-suites/dash/dash-renderer/[^"]+)"', page).group(1)
    geo = re.search(r'"(/geo/[^"]+)"', client.get("/_dash-layout").get_data(as_text=True) + page)
    gets = PAGES + [f"/peta?rilis={rid}", "/rilis/tidak-ada", "/peta?rilis=tidak-ada", "/api/v1/rilis", f"/api/v1/nilai?indikator=tpt&rilis={rid}",
                    "/api/v1/nilai?tahun=x", "/api/v1/openapi.json", "/api/v1/dokumentasi", "/api/cari?q=sleman", "/unduh/peta.csv",
                    f"/unduh/rilis/{rid}", f"/unduh/rilis/{rid}/manifest.json", f"/unduh/rilis/{rid}/CITATION.cff", "/unduh/rilis/tidak-ada/x",
                    asset, "/assets/10-portal.css", bundle, "/_dash-component-suites/plotly/package_data/plotly.min.js", "/_favicon.ico",
                    "/_dash-layout", "/_dash-dependencies", "/_reload-hash"] + ([geo.group(1)] if geo else [])
    answers = {path: client.get(path) for path in gets}
    answers["POST /_dash-update-component"] = client.post("/_dash-update-component", json={"output": "x"})
    for path, r in answers.items():
        assert r.headers.get("Cache-Control"), path
        if r.status_code >= 400:
            assert r.headers["Cache-Control"] == "no-store", path
    assert answers[asset].headers["Cache-Control"] == YEAR
    assert answers[f"/peta?rilis={rid}"].headers["Cache-Control"] == "public, max-age=3600"
    assert answers["/peta"].headers["Cache-Control"] == "public, max-age=60"
    assert answers["/halaman-yang-tidak-ada"].status_code == 404
