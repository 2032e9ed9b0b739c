"""The map drawn as SVG in the served HTML (issue 17): pure drawing, then the served pages."""
from __future__ import annotations

import html as h
import re

import pandas as pd
import pytest

from components.choropleth import map_classes, map_figure, with_outline
from components.legend import PROTECTED_COLOUR
from components.svgmap import choropleth_svg, path_data, projection


def square(kode, x, y, size=1.0):
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Feature", "properties": {"kode": kode}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


FEATURES = [square("01", 100, -5), square("02", 101, -5), square("03", 102, -5), square("99", 110, 5)]
DF = pd.DataFrame({"kode_wilayah": ["01", "02", "03"], "nama": ["Satu", "Dua", "Tiga"], "nilai": [1.0, 9.0, None],
                   "status": ["ok", "ok", "S1"], "pembilang": [None] * 3, "penyebut": [None] * 3})


def paths(svg: str) -> dict[str, tuple[str, str]]:
    return {k: (fill, h.unescape(title)) for fill, k, title in
            re.findall(r'<path d="[^"]+" fill="([^"]+)" data-kode="([^"]+)"><title>([^<]*)</title>', svg)}


def test_each_region_of_the_figure_is_drawn_in_its_class_colour_with_its_value_as_tooltip():
    vals = map_classes(DF, 1, "persen", "naik_buruk", 2025)
    fig = map_figure(DF, "/geo/r/x.geojson", 1, "persen", "naik_buruk", 2025, vals=vals)
    drawn = paths(choropleth_svg(fig, FEATURES, "Peta uji"))
    assert set(drawn) == {"01", "02", "03"}  # 99 is not in the figure: not drawn, and not stretching the frame
    assert drawn["01"][0] == vals.colours[vals.z[0]] and drawn["02"][0] == vals.colours[vals.z[1]]
    assert drawn["01"][0] != drawn["02"][0]
    assert drawn["03"][0] == PROTECTED_COLOUR and "dilindungi" in drawn["03"][1]
    assert drawn["02"][1].startswith("Dua") and "9,0 %" in drawn["02"][1] and "<" not in drawn["02"][1]


def test_the_frame_fits_the_regions_drawn_and_an_outline_marks_one_region():
    fig = with_outline(map_figure(DF, "/geo/r/x.geojson", 1, "persen", "naik_buruk", 2025), "/geo/r/x.geojson", "02")
    svg = choropleth_svg(fig, FEATURES, "Peta uji")
    width, height = map(float, re.search(r'viewBox="0 0 (\S+) (\S+)"', svg).groups())
    assert width == 1000 and 300 < height < 340  # three unit squares side by side, at latitude 5° S
    assert svg.count('stroke-width="3"') == 1 and 'aria-label="Peta uji"' in svg and 'role="img"' in svg


def test_points_that_round_together_are_dropped_but_a_tiny_region_keeps_its_shape():
    project, _ = projection([square("a", 0, 0, 100)])
    tiny = square("b", 50, 50, 0.05)["geometry"]  # 0.5 units wide: below the islet threshold, yet its only ring
    assert path_data(tiny, project, decimals=1).startswith("M")
    dense = {"type": "Polygon", "coordinates": [[[0, 0], [0.0001, 0], [10, 0], [10, 10], [0, 0]]]}
    assert path_data(dense, project).count(" ") == 5  # three points: (0,0) twice became one


def test_a_non_map_figure_draws_nothing():
    assert paths(choropleth_svg({"data": [{"type": "scatter", "x": [1], "y": [2]}]}, FEATURES, "x")) == {}


# --- The served HTML (Flask test client on the test release) ---

@pytest.fixture(scope="module")
def client():
    import app as portal

    return portal.server.test_client()


def served_map(client, path):
    page = client.get(path).get_data(as_text=True)
    svg = re.search(r'<svg class="svg-map".*?</svg>', page, flags=re.S)
    return page, (svg.group(0) if svg else "")


def table_values(page: str) -> dict[str, str]:
    """kode → the value cell of the ranking table in the same HTML."""
    body = re.search(r'id="peta-tabel-isi".*?</table>', page, flags=re.S).group(0)
    rows = re.findall(r'<a href="/wilayah/([^"?]+)[^"]*">[^<]*</a></td><td[^>]*>(.*?)</td>', body)
    return {k: h.unescape(re.sub(r"<[^>]+>", "", v)) for k, v in rows}


def legend_colours(page: str) -> set[str]:
    legend = re.search(r'<ul class="legend-list">.*?</ul>', page, flags=re.S).group(0)
    return set(re.findall(r'style="background:([^";]+)', legend))


@pytest.mark.parametrize("path", ["/peta", "/peta?tingkat=kabupaten_kota", "/peta?indikator=tpt&tingkat=kecamatan&induk=34",
                                  "/peta?indikator=cakupan_jkn&tahun=2024&tingkat=kabupaten_kota&dimensi=jenis_kelamin&kategori=P"])
def test_the_served_map_shows_the_tables_regions_values_and_the_legends_colours(client, path):
    """Before any script runs the page has its map: one region per table row, each region's
    tooltip carrying the value the table shows, each fill one of the legend's swatches."""
    page, svg = served_map(client, path)
    drawn = paths(svg)
    values = table_values(page)
    assert drawn and set(drawn) == set(values), path
    for kode, text in values.items():
        if text.strip() and text[0].isdigit():
            assert text in drawn[kode][1], (kode, text, drawn[kode][1])
    assert {fill for fill, _ in drawn.values()} <= legend_colours(page) | {PROTECTED_COLOUR}


def test_a_profile_serves_its_map_with_the_region_outlined_and_links_work_without_scripts(client):
    page, svg = served_map(client, "/wilayah/34.71.01")
    assert len(paths(svg)) > 3 and 'stroke-width="3"' in svg
    assert re.search(r'<a href="/wilayah/34\.71"', page)  # the breadcrumb leads up without JavaScript


def test_the_served_map_drills_down_by_links_without_javascript(client):
    """Issue 17: the map works with JavaScript disabled. Each region of the served SVG is a link to
    where a click leads: a province to its kabupaten/kota, a kecamatan to its profile."""
    _, svg = served_map(client, "/peta?indikator=tpt")
    links = dict((k, h.unescape(href)) for href, k in re.findall(r'<a href="([^"]+)"[^>]*><path d="[^"]+" fill="[^"]+" data-kode="([^"]+)"', svg))
    assert set(links) == set(paths(svg)) and "tingkat=kabupaten_kota" in links["34"] and "induk=34" in links["34"]
    assert client.get(links["34"]).status_code == 200
    _, svg = served_map(client, "/peta?indikator=tpt&tingkat=kecamatan&induk=34.71")
    hrefs = re.findall(r'<a href="([^"]+)"', svg)
    assert hrefs and all(x.startswith("/wilayah/34.71.") for x in hrefs) and 'tabindex="-1"' in svg
