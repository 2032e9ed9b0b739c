"""Pure builders: number formatting, classes, the map figure, the coverage sentence, CSV."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from components.choropleth import coverage_sentence, map_figure
from components.export import csv_with_header
from components.formatting import format_number, format_value
from components.legend import PROTECTED_COLOUR, classify, quantile_breaks


@pytest.mark.parametrize("value,dec,text", [(1234567.891, 2, "1.234.567,89"), (9.03, 2, "9,03"), (0, 0, "0"), (1000, 0, "1.000"), (-2.5, 1, "−2,5"), (None, 2, "")])
def test_indonesian_numbers(value, dec, text):
    assert format_number(value, dec) == text


def test_compact_counts():
    from components.formatting import format_compact

    assert format_compact(273315200, "orang") == "273,3 juta orang"
    assert format_compact(12500, "rumah tangga") == "12,5 ribu rumah tangga"
    assert format_compact(950) == "950"


def test_units():
    assert format_value(9.031, 2, "persen") == "9,03 %"
    assert format_value(582932, 0, "rupiah/bulan") == "Rp582.932"
    assert format_value(0.381, 3, "rasio") == "0,381"


def test_quantile_classes():
    vals = list(range(1, 101))
    breaks = quantile_breaks(vals, 5)
    assert len(breaks) == 5 and breaks[-1] == 100
    classes = classify(vals, breaks)
    assert [classes.count(k) for k in range(5)] == [20, 20, 20, 20, 20]
    assert classify([float("nan")], breaks) == [None]


def frame():
    return pd.DataFrame({
        "kode_wilayah": ["11", "12", "13", "14"], "nama": ["A", "B", "C", "D"], "kode_bps": ["11", "12", "13", "14"],
        "nilai": [5.0, 10.0, None, None], "status": ["ok", "ok", "S1", "NA"],
        "pembilang": [50.0, 100.0, None, None], "penyebut": [1000.0, 1000.0, None, None],
    })


def test_protected_cells_are_grey_and_labelled_never_zero():
    fig = map_figure(frame(), "/geo/x/provinsi.geojson", 2, "persen", "turun", 2025, "P0")
    protected = [t for t in fig.data if "C" in "".join(t.hovertext or [])]
    assert len(protected) == 1
    assert protected[0].colorscale[0][1] == PROTECTED_COLOUR
    assert "dilindungi" in protected[0].hovertext[0] and "0" not in protected[0].hovertext[0].split("<br>")[1]
    for t in fig.data:
        assert t.geojson == "/geo/x/provinsi.geojson"  # a URL, never the geometry itself


def test_coverage_sentence_says_what_is_missing():
    s = coverage_sentence(frame(), "provinsi")
    assert s.startswith("2 dari 4 provinsi")
    assert "1 dilindungi" in s and "1 tidak berlaku" in s
    assert "Terendah: A; tertinggi: B" in s


def test_csv_blank_where_protected():
    text = csv_with_header(frame(), [("rilis", "r1"), ("PERINGATAN", "DATA SINTETIS, bukan statistik resmi")])
    assert text.startswith("# rilis: r1\n# PERINGATAN: DATA SINTETIS")
    df = pd.read_csv(io.StringIO(text), comment="#", dtype={"kode_wilayah": str}, keep_default_na=False, na_values=[""])
    assert df.loc[df.kode_wilayah == "13", "nilai"].isna().all()
    assert list(df["status"]) == ["ok", "ok", "S1", "NA"]
    assert df.loc[0, "pembilang"] == 50
