"""Search ranking with typos, abbreviations and missing spaces (data/search.py)."""
from __future__ import annotations

import pandas as pd
import pytest

from data.search import SearchIndex, normalise

REGIONS = pd.DataFrame([
    ("32", "provinsi", None, "Jawa Barat", 49e6), ("35", "provinsi", None, "Jawa Timur", 41e6), ("33", "provinsi", None, "Jawa Tengah", 37e6),
    ("32.04", "kabupaten_kota", "32", "Kabupaten Bandung", 3.7e6), ("32.73", "kabupaten_kota", "32", "Kota Bandung", 2.5e6),
    ("32.17", "kabupaten_kota", "32", "Kabupaten Bandung Barat", 1.8e6), ("51.03", "kabupaten_kota", "51", "Kabupaten Badung", 0.5e6),
    ("35.04.01", "kecamatan", "35.04", "Bandung", None), ("36.04.01", "kecamatan", "36.04", "Bandung", None),
    ("35.04", "kabupaten_kota", "35", "Kabupaten Tulungagung", 1e6), ("36.04", "kabupaten_kota", "36", "Kabupaten Serang", 1.6e6),
    ("51", "provinsi", None, "Bali", 4.3e6), ("36", "provinsi", None, "Banten", 12e6),
    ("32.05", "kabupaten_kota", "32", "Kabupaten Garut", 2.6e6), ("32.05.40", "kecamatan", "32.05", "Cibiuk", None),
    ("11.01.05", "kecamatan", "11.01", "Timur Raya", None), ("11.01.06", "kecamatan", "11.01", "Jaya Timur", None),
], columns=["kode", "tingkat", "kode_induk", "nama", "penduduk"])
INDICATORS = [("persen_penduduk_miskin", "Persentase penduduk miskin (P0)", "Kemiskinan"), ("tpt", "Tingkat pengangguran terbuka", "Ketenagakerjaan"),
              ("gini", "Rasio Gini", "Ketimpangan")]


@pytest.fixture(scope="module")
def index():
    return SearchIndex(REGIONS, INDICATORS)


def first(index, q):
    return index.search(q)[0].label


@pytest.mark.parametrize("query,expected", [
    ("kab bandung", "Kabupaten Bandung"), ("Kab. Bandung", "Kabupaten Bandung"), ("kabbandung", "Kabupaten Bandung"),
    ("jawa tmur", "Jawa Timur"), ("jawatimur", "Jawa Timur"), ("jatim", "Jawa Timur"), ("kota bandung", "Kota Bandung"),
    ("kemiskinan", "Persentase penduduk miskin (P0)"), ("pengangguran", "Tingkat pengangguran terbuka"), ("tpt", "Tingkat pengangguran terbuka"),
])
def test_typos_abbreviations_and_missing_spaces(index, query, expected):
    assert first(index, query) == expected


def test_same_named_kecamatan_are_told_apart_by_their_parents(index):
    hits = [h for h in index.search("bandung", 10) if h.kind == "kecamatan"]
    assert {h.context for h in hits} == {"Kabupaten Tulungagung, Jawa Timur", "Kabupaten Serang, Banten"}
    assert all(h.href.startswith("/wilayah/") for h in hits)


def test_larger_places_come_first_among_equal_matches(index):
    kinds = [h.kind for h in index.search("bandung", 10) if h.score >= 120]
    assert kinds == sorted(kinds, key=["provinsi", "kabupaten_kota", "kecamatan"].index)


def test_nothing_for_too_short_or_unrelated_queries(index):
    assert index.search("") == [] and index.search("a") == []
    assert index.search("qqqqzzzz") == []


def test_normalise_writes_out_abbreviations_and_drops_accents():
    assert normalise("Kab. Bandung") == "kabupaten bandung"
    assert normalise("Kec.  Tégalrejo!") == "kecamatan tegalrejo"


@pytest.mark.parametrize("query", ["32.05", "3205"])
def test_a_code_shown_on_the_site_finds_its_region(index, query):
    """Issue 15: region codes shown on the site ("32.05", "3205") found nothing."""
    assert [h.label for h in index.search(query)] == ["Kabupaten Garut"]
    assert index.search("32.05.40")[0].label == "Cibiuk" and index.search("320540")[0].label == "Cibiuk"


@pytest.mark.parametrize("query,indicator,region", [("kemiskinan garut", "persen_penduduk_miskin", "32.05"), ("garut kemiskinan", "persen_penduduk_miskin", "32.05"),
                                                    ("pengangguran jawa timur", "tpt", "35"), ("tpt jatim", "tpt", "35")])
def test_a_topic_and_a_place_lead_to_the_indicator_in_that_place(index, query, indicator, region):
    """Issue 15: "kemiskinan garut" did not return Kabupaten Garut; "pengangguran jawa timur" gave
    kecamatan named '…Timur' elsewhere. The pair comes first, then the place and the indicator."""
    hits = index.search(query)
    assert hits[0].kind == "tampilan" and f"indikator={indicator}" in hits[0].href and f"induk={region}" in hits[0].href
    assert hits[1].key == region and hits[2].key == indicator
    # Outside check: results 5–10 were still Aceh's "… Timur" kecamatan: none anywhere in the list.
    assert not any(h.kind == "kecamatan" and h.key.startswith("11.") for h in hits)


def test_indicators_are_found_by_their_english_names_too():
    """Issue 20: the catalogue's nama_en is a second view of an indicator's name; a hit carries it."""
    index = SearchIndex(REGIONS, [(i, n, d, None, e) for (i, n, d), e in zip(
        INDICATORS, ["Poverty headcount (P0)", "Open unemployment rate", "Gini ratio"])])
    for query, key in [("poverty", "persen_penduduk_miskin"), ("unemployment", "tpt"), ("unemployment rate", "tpt"), ("gini ratio", "gini")]:
        hit = index.search(query)[0]
        assert (hit.kind, hit.key) == ("indikator", key), query
    hit = index.search("kemiskinan")[0]
    assert hit.label == "Persentase penduduk miskin (P0)" and hit.label_en == "Poverty headcount (P0)" and hit.context_marked
    view = index.search("poverty garut")[0]
    assert view.kind == "tampilan" and view.label_en == "Poverty headcount (P0) — Kabupaten Garut"
    assert first(index, "kab bandung") == "Kabupaten Bandung" and not index.search("kab bandung")[0].label_en
