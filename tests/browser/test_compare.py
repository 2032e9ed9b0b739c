"""The region comparison (/bandingkan, issue 20) in a real browser: its values are the profiles', it
passes axe-core at 360 and 1280 px as served and once Dash has it, a phone reads it without
sideways scrolling, and a reader adds and removes regions with the page's own form and links; with
?lang=en what Dash draws is English and keeps the language."""
from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_portal import (STALE, axe_violations, click_link, open_path, portal, wait_dash,  # noqa: F401 (portal: the fixture)
                                      wait_text)

THREE = ["34.01", "34.71", "75.01"]
COMPARE = "/bandingkan?wilayah=" + ",".join(THREE)
PAGES = [COMPARE, "/bandingkan?wilayah=34.71.01,34.71,34,00,75.01", "/bandingkan", "/bandingkan?wilayah=34.71&cari=bantul",
         "/bandingkan?wilayah=34.01", "/bandingkan?wilayah=34.01,99.99"]


def phone(duo, width: int):
    duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500})


def dash_cells(duo) -> dict[tuple[str, str], str]:
    """(indicator, region code) → the value Dash's page shows."""
    cells = duo.driver.execute_script(
        "return [...document.querySelectorAll('#_pages_content td[data-kode]')].map(td => "
        "[td.dataset.indikator, td.dataset.kode, td.querySelector('.compare-value').textContent])")
    return {(i, k): v for i, k, v in cells}


def test_three_regions_compared_show_their_profiles_values_and_download_them(portal):
    """Issue 20: 'a comparison of three regions equals their profiles' values' — each profile page as
    Dash draws it, and the comparison's CSV against each profile's CSV."""
    open_path(portal, COMPARE)
    WebDriverWait(portal.driver, 15, ignored_exceptions=STALE).until(lambda d: len(dash_cells(portal)) > 30 * len(THREE))
    shown = dash_cells(portal)
    names = portal.driver.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('#_pages_content td[data-kode]')].map(td => [td.dataset.kode, td.dataset.label]))")
    csv_href = portal.driver.find_element(By.ID, "bandingkan-unduh").get_attribute("href")
    for kode in THREE:
        open_path(portal, f"/wilayah/{kode}")
        WebDriverWait(portal.driver, 15, ignored_exceptions=STALE).until(
            lambda d: d.find_element(By.ID, "wilayah-judul").text == names[kode])
        profile = portal.driver.execute_script(
            "return [...document.querySelectorAll('#_pages_content .profile-table tbody tr')].map(tr => "
            "[tr.querySelector('th a').getAttribute('href'), tr.querySelector('td[data-label=\"' + arguments[0] + '\"]').textContent])",
            names[kode])
        column = {href.split("/indikator/")[1].split("?")[0]: text for href, text in profile}
        assert column and column == {i: v for (i, k), v in shown.items() if k == kode and v != "tidak tersedia"}, kode
    table = pd.read_csv(io.StringIO(requests.get(csv_href, timeout=20).text), dtype={"kode_wilayah": str}, keep_default_na=False, na_values=[""])
    for kode in THREE:
        twin = pd.read_csv(io.StringIO(requests.get(f"{portal.server_url}/unduh/wilayah/{kode}.csv", timeout=20).text),
                           dtype={"kode_wilayah": str}, keep_default_na=False, na_values=[""])
        twin = twin[(twin.kode_wilayah == kode) & (twin.rincian == "total")]
        mine = table[table.kode_wilayah == kode]
        assert list(zip(mine.indicator_id, mine.tahun, mine.status)) == list(zip(twin.indicator_id, twin.tahun, twin.status))
        pd.testing.assert_series_equal(mine["nilai"].reset_index(drop=True), twin["nilai"].reset_index(drop=True), check_names=False)
    assert any(v.startswith("dilindungi (S") for v in shown.values())


@pytest.mark.parametrize("width", [360, 1280])
def test_axe_finds_no_violation_on_the_comparison_served_or_drawn_by_dash(portal, width):  # noqa: F811
    portal.driver.set_script_timeout(60)
    phone(portal, width)
    found = {}
    try:
        for path in PAGES:
            portal.driver.get(portal.server_url + path)  # the served HTML, as a reader without scripts has it
            violations = axe_violations(portal)
            if violations:
                found[f"served {path}"] = violations
            open_path(portal, path)
            WebDriverWait(portal.driver, 15, ignored_exceptions=STALE).until(lambda d: d.find_element(By.CSS_SELECTOR, "#_pages_content h1").text.strip())
            violations = axe_violations(portal)
            if violations:
                found[path] = violations
        open_path(portal, "/wilayah/34.71")  # the profile with its new section
        WebDriverWait(portal.driver, 15, ignored_exceptions=STALE).until(lambda d: d.find_element(By.ID, "wilayah-mirip"))
        violations = axe_violations(portal)
        if violations:
            found["/wilayah/34.71"] = violations
    finally:
        portal.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not found, found


def test_a_phone_reads_five_regions_without_sideways_scrolling(portal):
    phone(portal, 360)
    try:
        open_path(portal, "/bandingkan?wilayah=34.71.01,34.71,34,00,75.01")
        WebDriverWait(portal.driver, 15, ignored_exceptions=STALE).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#_pages_content .compare-table"))
        inner, scroll = portal.driver.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
        assert inner == 360 and scroll <= 360, scroll
        first = portal.driver.find_element(By.CSS_SELECTOR, "#_pages_content .compare-table tbody tr")
        tds = first.find_elements(By.TAG_NAME, "td")
        assert len(tds) == 5 and all(td.is_displayed() for td in tds)
        assert [td.get_attribute("data-label") for td in tds][:3] == ["Tegalrejo", "Kota Yogyakarta", "Daerah Istimewa Yogyakarta"]
        assert all("→" in td.find_element(By.CSS_SELECTOR, ".compare-trend").text for td in tds)  # each trend in words
    finally:
        portal.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_a_reader_starts_from_a_profile_adds_and_removes_regions(portal):
    """The profile's form → choose the second region → add a third from the folded search → take one out.
    Each step is a new page, which Dash takes over at once in a tab that has started it: wait for that
    before acting, as a reader's tap would land on Dash's copy."""
    driver = portal.driver

    def on_page(url_part: str, heading: str):
        WebDriverWait(driver, 20).until(lambda d: url_part in d.current_url)
        wait_dash(portal)
        WebDriverWait(driver, 20, ignored_exceptions=STALE).until(lambda d: heading in d.find_element(By.ID, "bandingkan-judul").text)

    def search(box_id: str, words: str):
        box = driver.find_element(By.ID, box_id)
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        box.send_keys(words)
        box.submit()

    open_path(portal, "/wilayah/34.71")
    search("wilayah-bandingkan-cari", "bantul")
    on_page("cari=bantul", "Pilih wilayah pembanding untuk Kota Yogyakarta")
    click_link(portal, "Tambahkan Kabupaten Bantul")
    on_page("wilayah=34.71,34.02", "Perbandingan: Kota Yogyakarta, Kabupaten Bantul")
    driver.find_element(By.CSS_SELECTOR, "#bandingkan-tambah summary").click()
    search("bandingkan-cari", "gorontalo utara")
    on_page("cari=gorontalo", "Perbandingan: Kota Yogyakarta, Kabupaten Bantul")
    click_link(portal, "Tambahkan Kabupaten Gorontalo Utara")
    on_page("wilayah=34.71,34.02,75.05", "Kabupaten Gorontalo Utara")
    WebDriverWait(driver, 20, ignored_exceptions=STALE).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#bandingkan-wilayah .compare-remove")[1].click() or True)  # take Bantul out
    on_page("wilayah=34.71,75.05", "Perbandingan: Kota Yogyakarta, Kabupaten Gorontalo Utara")
    assert driver.current_url.endswith("wilayah=34.71,75.05")
    assert not driver.find_elements(By.CSS_SELECTOR, "#bandingkan-wilayah .compare-remove")  # two left: none can go


def test_the_comparison_in_english_once_dash_has_it(portal):
    """?lang=en: the page Dash draws (its layout asked for with X-Lang) is English, with English numbers;
    its links, its form and its files keep lang=en; taking a region out leads to the next comparison, in English."""
    driver = portal.driver
    open_path(portal, COMPARE + "&lang=en")
    wait_text(portal, "#bandingkan-judul", "Comparison: Kabupaten Kulon Progo, Kota Yogyakarta, Kabupaten Gorontalo")
    WebDriverWait(driver, 15, ignored_exceptions=STALE).until(lambda d: len(dash_cells(portal)) > 30 * len(THREE))
    content = driver.find_element(By.ID, "_pages_content").text
    for words in ["Regions compared", "Add a region", "Download the comparison", "Indicator", "Poverty headcount (P0)", "profile"]:
        assert words in content, words
    assert not [w for w in ["dilindungi", "Perbandingan", "Wilayah yang", "Tambah", "Unduh", "hapus", "Indikator"] if w in content]
    values = list(dash_cells(portal).values())
    assert any(re.fullmatch(r"protected \(S[12]\)", v) for v in values)
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+ persons", v) for v in values)  # 1,234 in English
    hrefs = driver.execute_script("return [...document.querySelectorAll('#_pages_content a[href^=\"/\"]')].map(a => a.getAttribute('href'))")
    assert hrefs and all("lang=en" in h for h in hrefs), [h for h in hrefs if "lang=en" not in h][:3]
    assert driver.execute_script("return [...document.querySelectorAll('#_pages_content form')].map(f => (f.querySelector('input[name=lang]') || {}).value)") == ["en"]
    header = next(csv.reader(io.StringIO(requests.get(driver.find_element(By.ID, "bandingkan-unduh").get_attribute("href"), timeout=20).text)))
    assert header[:3] == ["section", "indicator_id", "indicator"] and "region_code" in header
    WebDriverWait(driver, 20, ignored_exceptions=STALE).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#bandingkan-wilayah .compare-remove")[0].click() or True)  # take Kulon Progo out
    WebDriverWait(driver, 20).until(lambda d: "wilayah=34.71" in d.current_url and "34.01" not in d.current_url)
    assert driver.current_url.endswith("/bandingkan?wilayah=34.71,75.01&lang=en")  # the address as the site writes it (no %2C)
    wait_text(portal, "#bandingkan-judul", "Comparison: Kota Yogyakarta, Kabupaten Gorontalo")
    assert "Regions compared" in driver.find_element(By.ID, "_pages_content").text
