"""Pure builders: number formatting, classes, the map figure, the coverage sentence, CSV."""
from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from components.choropleth import coverage_sentence, map_figure
from components.export import csv_text, public_body
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
    assert format_value(582932, 0, "rupiah/bulan") == "Rp582.932/bulan"  # the period is part of the unit
    assert format_value(1773066, 0, "rupiah/kapita/bulan") == "Rp1.773.066/kapita/bulan"
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
    (trace,) = fig["data"]
    assert trace["geojson"] == "/geo/x/provinsi.geojson"  # a URL, never the geometry itself
    i = trace["locations"].index("13")  # the S1 region
    m = len(trace["colorscale"]) // 2
    z = trace["z"][i]
    assert trace["colorscale"][2 * z][1] == PROTECTED_COLOUR  # its class paints grey
    assert "dilindungi" in trace["customdata"][i] and "0" not in trace["customdata"][i].split("<br>")[1]
    assert trace["zmin"] == -0.5 and trace["zmax"] == m - 0.5


def test_a_values_only_switch_sends_no_codes_names_or_geometry():
    from components.choropleth import map_classes, map_patch

    df = frame()
    df2 = df.assign(nilai=[7.0, 3.0, None, None])
    patch = map_patch(map_classes(df2, 2, "persen", "turun", 2026)).to_plotly_json()
    sent = str(patch)
    assert "geojson" not in sent and "locations" not in sent and "'A'" not in sent
    assert "2026" in sent  # the new hover lines
    full = map_figure(df2, "/geo/x/provinsi.geojson", 2, "persen", "turun", 2026)
    for op in patch["operations"]:
        assert op["location"][:2] == ["data", 0]
        assert full["data"][0][op["location"][2]] == op["params"]["value"]  # the patch equals the full figure's values


def test_legend_counts_each_class_and_names_the_protected():
    from components.choropleth import legend_items, map_classes

    vals = map_classes(frame(), 2, "persen", "turun", 2025)
    labels = [label for _, label, _ in vals.legend]
    assert "dilindungi (S1/S2)" in labels and "tidak berlaku / tidak tersedia" in labels
    assert sum(n for _, _, n in vals.legend) == 4
    assert "dilindungi" in str(legend_items(vals, "P0"))


def test_coverage_sentence_says_what_is_missing():
    s = coverage_sentence(frame(), "provinsi")
    assert s.startswith("2 dari 4 provinsi")
    assert "1 dilindungi" in s and "1 tidak berlaku" in s
    assert "Terendah: A; tertinggi: B" in s


def test_csv_blank_where_protected_header_first_and_numbers_as_the_catalogue_says():
    cols = ["kode_wilayah", "nilai", "status", "keterangan_status", "pembilang"]
    body = public_body(frame(), cols, {"nilai": 2})
    text = csv_text(body)
    assert text.startswith("kode_wilayah,nilai,status,keterangan_status,pembilang\n")  # a program's default reader works
    df = pd.read_csv(io.StringIO(text), dtype={"kode_wilayah": str})
    assert df.loc[df.kode_wilayah == "13", "nilai"].isna().all()
    assert list(df["status"]) == ["ok", "ok", "S1", "tidak_berlaku"]  # 'NA' would read as missing
    assert df.loc[0, "pembilang"] == 50 and ".0," not in text  # counts are whole numbers even beside a blank
    assert all(len(v.split(".")[1]) == 2 for v in re.findall(r",(\d+\.\d+),", text))  # '3.80', never '3.8'
    with_meta = csv_text(body, [("rilis", "r1"), ("PERINGATAN", "DATA SINTETIS, bukan statistik resmi")])
    assert with_meta.startswith("# rilis: r1\n# PERINGATAN: DATA SINTETIS") and with_meta.endswith(text)


def test_every_figure_uses_only_trace_types_of_the_served_plotly_bundle():
    """The portal serves plotly.js's 'geo' partial bundle; a bar or histogram would not draw."""
    import plotly.graph_objects as go

    from app import BUNDLE_TRACE_TYPES
    from components.charts import ranked_dots, strip_plot, target_figure, trend_figure
    from components.choropleth import category_map_figure
    from pages.peta import trend_figure as map_trend

    df = frame()
    series = pd.DataFrame({"tahun": [2023, 2024, 2025], "nilai": [9.0, 8.5, 8.0], "status": ["ok", "ok", "S1"]})
    figures = [
        map_figure(df, "/geo/x/provinsi.geojson", 2, "persen", "turun", 2025), map_trend(series, 2, "persen", "A"),
        trend_figure(series, 2, "persen"), ranked_dots(df, 2, "persen"), strip_plot(df, 2, "persen"),
        target_figure(series, [2023, 2029], [9.0, 5.0], 2029, 4.5, 5.0, 2, "persen"),
        category_map_figure(df.assign(s="a"), "/geo/x/provinsi.geojson", "s", ["a"], {"a": "A"}, {"a": "#000"}, ["h"] * 4),
    ]
    for fig in figures:
        data = fig.data if isinstance(fig, go.Figure) else fig["data"]
        types = {t.type if hasattr(t, "type") else t["type"] for t in data}
        assert types <= BUNDLE_TRACE_TYPES, types


def test_a_map_is_framed_on_whole_boundaries_not_centroids():
    """Outside check (issue 15): framing on centroids cut Gunungkidul's coast and Papua's east."""
    from components.choropleth import bounds_extent

    extent = bounds_extent([(110.0, -8.2, 110.4, -7.8), (110.3, -7.9, 110.84, -7.54)], pad=0.0)
    assert extent["lonaxis_range"] == [110.0, 110.84] and extent["lataxis_range"] == [-8.2, -7.54]
    assert bounds_extent([]) is None
