"""English everywhere (issue 20): search and its suggestions, the profile's desil panels, the indicator's
JSON-LD, the footer's licence. A page asked for in English shows no Indonesian UI words (region names,
codes and the pipeline-written release notes excepted)."""
from __future__ import annotations

import html
import json
import re

import pytest

# Words of Indonesian UI text that an English page must not show (whole words, case-insensitive).
INDONESIAN = ["dan", "wilayah", "tahun", "rumah tangga", "penduduk", "dilindungi", "desil", "yang", "dari", "untuk", "tidak",
              "menurut", "sumber", "kabupaten/kota", "kecamatan", "provinsi", "sintetis", "indikator", "belum", "batas"]


@pytest.fixture(scope="module")
def client():
    from app import server

    return server.test_client()


def visible_text(page: str) -> str:
    body = re.sub(r"<script.*?</script>|<style.*?</style>|<head>.*?</head>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", body))
    text = re.sub(r"<iframe[^>]*>", " ", text)  # an embed's snippet, shown as code to copy
    return re.sub(r"https?://\S+|/[a-z]+\?\S+", " ", text)  # addresses (a citation's) keep their parameter names


def indonesian_words(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    for name in allowed:  # region names stay as they are
        text = text.replace(name, " ")
    return [w for w in INDONESIAN if re.search(rf"(?<![\w/]){re.escape(w)}(?![\w/])", text, flags=re.I)]


def test_search_page_in_english_names_the_indicator_and_levels_in_english(client):
    page = html.unescape(client.get("/cari?q=kemiskinan&lang=en").get_data(as_text=True))
    results = page.split('id="cari-hasil"', 1)[1].split("</ol>", 1)[0]
    assert "Poverty headcount (P0)" in results and "Persentase penduduk miskin" not in results
    assert "Indicator" in results and "Indikator" not in results and "Kemiskinan" not in results
    assert "results for “kemiskinan”" in page and "hasil teratas" not in page


def test_search_finds_indicators_by_their_english_names(client):
    page = html.unescape(client.get("/cari?q=poverty&lang=en").get_data(as_text=True))
    assert "/indikator/persen_penduduk_miskin" in page and "Poverty headcount (P0)" in page
    hasil = client.get("/api/cari?q=unemployment&batas=3").get_json()["hasil"]
    assert hasil[0]["kode"] == "tpt" and hasil[0]["nama"] == "Tingkat pengangguran terbuka"  # no lang: Indonesian names
    view = client.get("/api/cari?q=poverty%20yogyakarta&lang=en").get_json()["hasil"][0]
    assert view["jenis"] == "tampilan" and view["nama"].startswith("Poverty headcount (P0) — ")


def test_suggestions_follow_the_page_language(client):
    hasil = client.get("/api/cari?q=kemiskinan&batas=6&lang=en").get_json()["hasil"]
    assert hasil[0]["nama"] == "Poverty headcount (P0)" and hasil[0]["konteks"] == "Poverty"
    # The browser's language does not change a program's answer; the address does.
    hasil = client.get("/api/cari?q=kemiskinan&batas=6", headers={"Accept-Language": "en"}).get_json()["hasil"]
    assert hasil[0]["nama"] == "Persentase penduduk miskin (P0)" and hasil[0]["konteks"] == "Kemiskinan"
    # The navigation bar tells the suggestion script the page's language.
    assert 'data-lang="en"' in client.get("/peta?lang=en").get_data(as_text=True)
    assert 'data-lang="en"' in client.get("/peta", headers={"Accept-Language": "en"}).get_data(as_text=True)
    with open("assets/30-suggest.js", encoding="utf-8") as f:
        script = f.read()
    assert 'getAttribute("data-lang")' in script and "&lang=en" in script


def test_profile_desil_panels_in_english(client):
    page = client.get("/wilayah/34.71?lang=en").get_data(as_text=True)
    text = visible_text(page)
    assert "Decile 1–2 households receiving nothing" in text and "Desil 1–2" not in text
    regions = ("Kota Yogyakarta", "Daerah Istimewa Yogyakarta", "Yogyakarta")
    panel = text.split("Households by welfare decile", 1)[1] if "Households by welfare decile" in text else text
    assert indonesian_words(panel, regions) == []


@pytest.mark.parametrize("path", ["/?lang=en", "/peta?lang=en", "/indikator/persen_penduduk_miskin?lang=en", "/target?lang=en",
                                  "/cari?q=kemiskinan&lang=en"])
def test_english_pages_show_no_indonesian_ui_words(client, path):
    text = visible_text(client.get(path).get_data(as_text=True))
    regions = ("Kota Yogyakarta", "Daerah Istimewa Yogyakarta", "Yogyakarta", "Kepmendagri",
               "Lampiran Perpres No. 12 Tahun 2025")  # a target's document, by its own title
    assert indonesian_words(text, regions) == [], [line for line in text.splitlines() if indonesian_words(line, regions)][:8]


def test_footer_licence_in_english(client):
    text = visible_text(client.get("/peta?lang=en").get_data(as_text=True))
    assert "synthetic demo data" in text and "data sintetis demo" not in text
    from components.texts import LICENCES
    from pipeline.release import LICENCE, LICENCE_REGISTER

    assert (LICENCE, LICENCE_REGISTER) == LICENCES  # the manifest's words, so the footer can translate them


def _json_ld(page: str) -> dict:
    [ld] = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, flags=re.S)]
    return ld


def test_indicator_json_ld_in_english(client):
    ld = _json_ld(client.get("/indikator/persen_penduduk_miskin?lang=en").get_data(as_text=True))
    assert ld["inLanguage"] == "en" and ld["name"] == "Poverty headcount (P0) (synthetic data)"
    assert ld["description"].startswith("SYNTHETIC DATA") and "Formula:" in ld["description"] and "Rumus" not in ld["description"]
    assert ld["variableMeasured"]["name"] == "Poverty headcount (P0)" and ld["url"].endswith("/indikator/persen_penduduk_miskin?lang=en")
    assert all("semua" not in d["name"] for d in ld["distribution"]) and ld["spatialCoverage"]["description"].startswith("By ")
    indonesian = _json_ld(client.get("/indikator/persen_penduduk_miskin").get_data(as_text=True))
    assert indonesian["inLanguage"] == "id" and indonesian["name"] == "Persentase penduduk miskin (P0) (data sintetis)"


def test_the_map_drawing_is_named_in_english(client):
    page = client.get("/peta?lang=en").get_data(as_text=True)
    assert "Map; each region&#x27;s value is in this page&#x27;s table" in page or "Map; each region's value is in this page's table" in page
    assert "Peta; nilai tiap wilayah" not in page.split("validation_layout")[0]


def test_no_message_hides_inside_an_f_string():
    """pybabel cannot read inside an f-string: `f"{_('Tahun tersedia')} …"` was never extracted, so never translated."""
    import io
    import tokenize
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    found = []
    for folder in ("components", "pages", "web", "data"):
        for path in sorted((root / folder).rglob("*.py")):
            depth, before, previous = 0, None, None
            for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
                name = tokenize.tok_name[tok.type]
                depth += name == "FSTRING_START"
                depth -= name == "FSTRING_END"
                # A literal message: `_(` then a string (a marked variable, `_(LABELS[k])`, is fine).
                inner = depth and tok.type == tokenize.STRING and previous == "(" and before in ("_", "pgettext", "ngettext")  # Python 3.12+
                whole = tok.type == tokenize.STRING and re.match(r"(?i)(rf|fr|f)['\"]", tok.string) and re.search(
                    r"(?<![\w.])(_|pgettext|ngettext)\(\s*['\"]", tok.string)  # Python 3.11: an f-string is one token
                if inner or whole:
                    found.append(f"{path.relative_to(root)}:{tok.start[0]}")
                before, previous = previous, tok.string
    assert found == [], found


def test_search_api_refusals_in_english(client):
    resp = client.get("/api/cari?q=a&lang=en")
    assert resp.status_code == 400 and resp.get_json()["galat"] == "parameter q is required, at least 2 characters"
    resp = client.get("/api/cari?q=kemiskinan&batas=0", headers={"Accept-Language": "en"})
    assert resp.status_code == 400 and resp.get_json()["galat"] == "parameter batas must be a whole number 1–50"
    assert "q wajib" in client.get("/api/cari?q=a").get_json()["galat"]


def test_target_download_in_english_has_english_directions_and_order(client):
    """Outside check: target.csv?lang=en said "membaik" in arah_perubahan and its notes "by skor"."""
    import io

    import pandas as pd

    resp = client.get("/unduh/target.csv?indikator=tpt&tingkat=kabupaten_kota&meta=1&lang=en")
    assert resp.status_code == 200
    text = resp.get_data(as_text=True)
    notes = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    df = pd.read_csv(io.StringIO(text), comment="#", dtype=str)
    directions = set(df.iloc[:, list(df.columns).index("arah_perubahan") if "arah_perubahan" in df.columns else 6].dropna())
    assert directions and directions <= {"improving", "worsening", "unchanged"}, directions
    text_columns = [c for c in df.columns if df[c].dtype == object]
    words = " ".join(" ".join(df[c].dropna().astype(str)) for c in text_columns if c not in ("name", "nama", "source", "sumber"))
    assert not indonesian_words(words), indonesian_words(words)  # notes too (outside check: "sudah melewati target…")
    licence = next(line for line in notes.splitlines() if line.startswith("# licence:"))
    assert "sintetis" not in licence and "synthetic" in licence, licence
    order = next(line for line in notes.splitlines() if line.startswith("# order:"))
    assert order == "# order: as on the page: by achievement score", order
    assert "&lang=en" in next(line for line in notes.splitlines() if line.startswith("# citation:"))
