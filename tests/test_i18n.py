"""The English switch (issue 20): the message catalogue is whole, the language is chosen as
web/lang.py says (and nginx's page cache keys on the same choice), pages, errors and downloads
come in it, and numbers follow it."""
from __future__ import annotations

import csv
import html
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from components.formatting import format_number, format_value
from components.i18n import _, po_path, use_language
from web.lang import negotiate

ROOT = Path(__file__).resolve().parent.parent


def extracted() -> dict[tuple[str | None, str], str]:
    """What `pybabel extract -F babel.cfg` finds: (context, message) → where."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = {}
    for filename, line, message, _comments, context in extract_from_dir(str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS):
        if isinstance(message, tuple):  # ngettext: (singular, plural)
            message = message[0]
        found[(context, message)] = f"{filename}:{line}"
    return found


def english_catalogue():
    with po_path("en").open("rb") as f:
        return read_po(f, locale="en")


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_string_has_an_english_translation():
    catalogue = english_catalogue()
    missing = []
    for (context, message), where in sorted(extracted().items(), key=lambda kv: kv[1]):
        entry = catalogue.get(message, context=context)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(f"{where}: {message!r}")
    assert not missing, "no English for (run scripts/translations.sh, then translate):\n" + "\n".join(missing)


def test_translations_keep_their_fields_and_the_catalogue_has_no_dead_messages():
    catalogue = english_catalogue()
    used = set(extracted())
    wrong = [m.id for m in catalogue if m.id and m.string and fields(m.id) != fields(m.string)]
    assert not wrong, f"a translation must keep every {{field}} of its message: {wrong}"
    dead = [m.id for m in catalogue if m.id and (m.context, m.id) not in used]
    assert not dead, f"messages no code uses any more (run scripts/translations.sh): {dead}"


def test_the_catalogue_compiles_and_translates():
    with use_language("en"):
        assert _("Lewati ke konten utama") == "Skip to main content"
    with use_language("id"):
        assert _("Lewati ke konten utama") == "Lewati ke konten utama"


def test_numbers_follow_the_language():
    with use_language("id"):
        assert format_number(1234.5, 1) == "1.234,5" and format_value(9.031, 2, "persen") == "9,03 %"
    with use_language("en"):
        assert format_number(1234.5, 1) == "1,234.5" and format_value(9.031, 2, "persen") == "9.03%"
        assert format_number(-1234567.891, 2) == "−1,234,567.89"


@pytest.mark.parametrize("header, lang", [
    (None, "id"), ("", "id"), ("en", "en"), ("en-US,en;q=0.9", "en"), ("id-ID,id;q=0.9,en-US;q=0.8", "id"),
    ("fr-FR,fr;q=0.9,en;q=0.8", "en"), ("fr-FR,de;q=0.5", "id"), ("EN-gb", "en"), ("*", "id"), ("ms-MY, id;q=0.8, en;q=0.5", "id"),
    ("de, en-AU;q=0.7, id;q=0.6", "en"), ("enx", "id"), (" en ;q=0.5", "en"),
])
def test_accept_language_picks_the_first_of_english_or_indonesian(header, lang):
    assert negotiate(header) == lang


def nginx_language_map() -> tuple[re.Pattern, str, str]:
    """deploy/nginx.conf's map from Accept-Language to the page cache's language: (pattern, its value, default)."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    block = re.search(r"map \$http_accept_language \$dtsen_lang \{(.*?)\n\s*\}", conf, re.S).group(1)
    default = re.search(r"default\s+(\w+);", block).group(1)
    m = re.search(r'"~\*(.+)"\s+(\w+);', block)
    return re.compile(m.group(1), re.I), m.group(2), default


@pytest.mark.parametrize("header", [
    "", "en", "en-US,en;q=0.9", "id-ID,id;q=0.9,en-US;q=0.8", "fr-FR,fr;q=0.9,en;q=0.8", "fr-FR,de;q=0.5", "EN-gb", "*",
    "ms-MY, id;q=0.8, en;q=0.5", "de, en-AU;q=0.7, id;q=0.6", "enx", " en ;q=0.5", "in,en", "eng", "id", "id-ID", "nl,en-GB;q=0.3",
])
def test_nginx_page_cache_keys_on_the_same_language_the_app_picks(header):
    """A page chosen by Accept-Language is cached per language: nginx's map must agree with negotiate()."""
    pattern, value, default = nginx_language_map()
    assert (value if pattern.search(header) else default) == negotiate(header)
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "proxy_cache_key $request_uri|$http_x_rilis|$dtsen_page_lang;" in conf


# --- through the app ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client():
    from app import server

    return server.test_client()


def test_english_page_is_english_and_keeps_the_language_in_its_links(client):
    page = client.get("/peta?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Skip to main content" in page and "Change the map" in page and "Lewati ke konten utama" not in page
    assert "SYNTHETIC DATA — not official statistics." in page  # the notice is translated, and still shown
    assert 'id="bahasa-tautan"' in page and 'href="/peta?lang=id"' in page and 'lang="id"' in page
    links = re.findall(r'href="(/(?:peta|wilayah|indikator|unduh/peta)[^"#]*)"', page)
    assert links and all("lang=" in link for link in links), [link for link in links if "lang=" not in link][:5]
    assert re.search(r'<form[^>]*action="/cari"[^>]*><input type="hidden" name="lang" value="en">', page)


def test_the_default_is_indonesian_and_offers_english(client):
    resp = client.get("/peta")
    page = resp.get_data(as_text=True)
    assert '<html lang="id">' in page and "Lewati ke konten utama" in page and "DATA SINTETIS" in page
    assert 'href="/peta?lang=en"' in page and "lang=id" not in page.split('id="bahasa-tautan"')[0][-400:]
    assert "Accept-Language" in resp.headers.get("Vary", "")


def test_accept_language_chooses_english_unless_the_address_says_otherwise(client):
    english = client.get("/peta", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in english.get_data(as_text=True) and "Accept-Language" in english.headers["Vary"]
    pinned = client.get("/peta?lang=id", headers={"Accept-Language": "en"})
    assert '<html lang="id">' in pinned.get_data(as_text=True)
    assert "Accept-Language" not in pinned.headers.get("Vary", "")  # the address decided: the header changes nothing


def test_dash_requests_follow_x_lang_and_pages_ignore_it(client):
    page = client.get("/peta", headers={"X-Lang": "en"}).get_data(as_text=True)
    assert '<html lang="id">' in page  # a page's language is its address (and Accept-Language): X-Lang would split nginx's cache
    layout = client.get("/_dash-layout", headers={"X-Lang": "en"}).get_data(as_text=True)
    assert "Skip to main content" in layout and "SYNTHETIC DATA" in layout


def test_error_pages_in_english(client):
    resp = client.get("/tidak-ada?lang=en")
    assert resp.status_code == 404 and "Page not found" in resp.get_data(as_text=True)
    resp = client.get("/peta?indikator=bukan_indikator&lang=en")
    assert resp.status_code == 404 and "Indicator 'bukan_indikator' is unknown." in html.unescape(resp.get_data(as_text=True))
    resp = client.get("/unduh/peta.csv?tahun=1800&lang=en")
    assert resp.status_code == 404 and "No data for" in resp.get_data(as_text=True)


def test_download_headers_follow_the_language(client):
    ind = client.get("/unduh/peta.csv").get_data(as_text=True)
    assert ind.splitlines()[0].startswith("tahun,kode_wilayah,kode_bps,nama,indicator_id,indikator")  # programs' default, unchanged
    text = client.get("/unduh/peta.csv?lang=en&meta=1").get_data(as_text=True)
    meta = [line for line in text.splitlines() if line.startswith("#")]
    assert any(line.startswith("# WARNING: SYNTHETIC DATA") for line in meta) and any(line.startswith("# citation: ") for line in meta)
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    assert list(rows[0])[:6] == ["year", "region_code", "bps_code", "name", "indicator_id", "indicator"]
    assert {"value", "status_note", "numerator", "denominator", "source"} <= set(rows[0])
    assert rows[0]["indicator"] == "Poverty headcount (P0)"  # the catalogue's own English name
    assert all("SYNTHETIC DATA" in r["source"] for r in rows)


def test_xlsx_headers_and_sheets_in_english(client):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get("/unduh/peta.xlsx?lang=en").data))
    assert book.sheetnames == ["data", "notes"]
    assert [c.value for c in book["data"][1]][:3] == ["year", "region_code", "bps_code"]
    assert book["notes"]["A2"].value == "WARNING" and "SYNTHETIC DATA" in book["notes"]["B2"].value


def test_a_file_follows_its_address_not_the_askers_accept_language():
    """Outside check: /unduh/peta.csv sent with Accept-Language: en had English headers, though the README
    promises that a download without lang=en keeps its Indonesian ones (programs read them)."""
    from app import server

    client = server.test_client()
    english = {"Accept-Language": "en-US,en;q=0.9"}
    plain = client.get("/unduh/peta.csv?indikator=tpt", headers=english)
    assert plain.status_code == 200 and plain.get_data(as_text=True).splitlines()[0].startswith("tahun,")
    assert "Accept-Language" not in plain.headers.get("Vary", "")
    asked = client.get("/unduh/peta.csv?indikator=tpt&lang=en").get_data(as_text=True).splitlines()[0]
    assert asked.startswith("year,"), asked
    # a page still follows the header
    assert 'lang="en"' in client.get("/peta", headers=english).get_data(as_text=True)


def test_a_page_english_by_accept_language_names_english_in_its_file_links():
    """Outside check: an English page chosen by the browser's language linked its downloads without lang=en,
    and a file follows only its address, so the reader got Indonesian files from an English page."""
    import re

    from app import server

    client = server.test_client()
    page = client.get("/wilayah/34", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    files = re.findall(r'href="(/unduh/[^"]+)"', page)
    assert files and all("lang=en" in f for f in files if not f.startswith("/unduh/rilis/")), files
    assert not re.search(r'href="/(peta|indikator|wilayah)[^"]*lang=en', page)  # page links stay as they are
    meta = re.search(r'property="og:image" content="([^"]+)"', page).group(1)
    assert "lang=en" in meta
    indonesian = client.get("/wilayah/34").get_data(as_text=True)
    assert not any("lang=" in f for f in re.findall(r'href="(/unduh/[^"]+)"', indonesian))
