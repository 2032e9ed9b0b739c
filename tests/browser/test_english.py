"""The English switch in a real browser (issue 20): a reader switches to English on the map and on a
region's profile and sees the legend, the sentences and the download headers in English, through
Dash's callbacks as well as in the served page; axe-core finds nothing on the English pages."""
from __future__ import annotations

import csv
import io

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_portal import STALE, axe_violations, choose, map_paths, open_path, query, wait_dash, wait_text

pytestmark = pytest.mark.browser


@pytest.fixture()
def portal(dash_duo):
    import app as portal_app

    dash_duo.start_server(portal_app.app)
    return dash_duo


def switch_language(duo, words):
    """Press the header's language link from the keyboard (focus, Enter): a whole page load."""
    link = duo.driver.find_element(By.ID, "bahasa-tautan")
    assert link.text == words and link.get_attribute("lang") in ("en", "id")
    link.send_keys(Keys.ENTER)
    other = "en" if words == "English" else "id"
    WebDriverWait(duo.driver, 20).until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == other)
    duo.driver.execute_script("window.dtsenStartDash && window.dtsenStartDash()")
    wait_dash(duo)


def csv_header(url: str) -> list[str]:
    body = requests.get(url, timeout=20).text
    return next(csv.reader(io.StringIO(body)))


def test_switch_to_english_on_the_map_and_keep_it_through_the_controls(portal):
    open_path(portal, "/peta?indikator=persen_penduduk_miskin&tahun=2024&tingkat=kabupaten_kota&induk=34")
    wait_text(portal, "#peta-kalimat", "punya nilai yang dipublikasikan")
    switch_language(portal, "English")
    assert query(portal)["lang"] == "en" and query(portal)["tahun"] == "2024"  # the same view, in English
    wait_text(portal, "#peta-kalimat", "have a published value")
    wait_text(portal, "#peta-legenda", "Poverty headcount (P0) (percent)")
    assert "SYNTHETIC DATA" in portal.find_element("#synthetic-notice").text
    # A control's change runs Dash's callbacks: they answer in English, and the address keeps lang=en.
    choose(portal, "#peta-tahun", "2025")
    WebDriverWait(portal.driver, 20, ignored_exceptions=STALE).until(lambda d: query(portal).get("tahun") == "2025")
    assert query(portal)["lang"] == "en"
    wait_text(portal, "#peta-judul", "2025 — regencies/cities in")
    wait_text(portal, "#peta-kalimat", "have a published value")
    legend = portal.find_element("#peta-legenda").text
    assert "Poverty headcount (P0) (percent)" in legend and "dilindungi" not in legend
    assert "." in legend.splitlines()[1] and "," not in legend.splitlines()[1].split("(")[0]  # 12.34 – 15.67, English numbers
    href = portal.find_element("#peta-unduh").get_attribute("href")
    assert "lang=en" in href and "tahun=2025" in href
    header = csv_header(href)
    assert header[:4] == ["year", "region_code", "bps_code", "name"] and "status_note" in header
    # And back: the switch now offers Bahasa Indonesia, for this very view.
    switch_language(portal, "Bahasa Indonesia")
    assert query(portal)["lang"] == "id" and query(portal)["tahun"] == "2025"
    wait_text(portal, "#peta-kalimat", "punya nilai yang dipublikasikan")
    assert csv_header(portal.find_element("#peta-unduh").get_attribute("href"))[:2] == ["tahun", "kode_wilayah"]


def test_switch_to_english_on_a_profile(portal):
    open_path(portal, "/wilayah/34.71")
    switch_language(portal, "English")
    assert portal.driver.current_url.endswith("/wilayah/34.71?lang=en")
    wait_text(portal, "#wilayah-keterangan", "code 34.71")
    wait_text(portal, "#wilayah-peringkat", "rank 1 = highest value")
    assert "Poverty headcount (P0)" in portal.find_element("#wilayah-legenda").text
    choose(portal, "#wilayah-indikator", "Open unemployment rate")
    WebDriverWait(portal.driver, 20, ignored_exceptions=STALE).until(
        lambda d: "Open unemployment rate" in d.find_element(By.ID, "wilayah-legenda").text)
    assert "rank" in portal.find_element("#wilayah-peringkat").text and "peringkat" not in portal.find_element("#wilayah-peringkat").text
    href = portal.find_element("#wilayah-unduh").get_attribute("href")
    assert "lang=en" in href
    header = csv_header(href)
    assert header[:4] == ["section", "indicator_id", "indicator", "breakdown"]
    # A link Dash draws keeps the language: the map link leads to the English map.
    portal.driver.find_element(By.LINK_TEXT, "See on the map").click()
    WebDriverWait(portal.driver, 20).until(lambda d: "/peta" in d.current_url)
    assert query(portal)["lang"] == "en"
    wait_text(portal, "#peta-kalimat", "have a published value")


@pytest.mark.parametrize("width", [360, 1280])
def test_axe_finds_nothing_on_english_pages(portal, width):
    portal.driver.set_script_timeout(60)
    portal.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500})
    found = {}
    try:
        for path in ["/?lang=en", "/peta?tingkat=kabupaten_kota&lang=en", "/wilayah/34.71?lang=en", "/indikator/persen_penduduk_miskin?lang=en",
                     "/bandingkan?wilayah=34.01,34.71,75.01&lang=en", "/tidak-ada?lang=en"]:
            open_path(portal, path)
            assert portal.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
            WebDriverWait(portal.driver, 15, ignored_exceptions=STALE).until(lambda d: d.find_element(By.CSS_SELECTOR, "#_pages_content h1").text.strip())
            if path.startswith("/peta"):
                WebDriverWait(portal.driver, 20, ignored_exceptions=STALE).until(lambda d: len(map_paths(portal)) >= 2)
            violations = axe_violations(portal)
            if violations:
                found[path] = violations
    finally:
        portal.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not found, found
