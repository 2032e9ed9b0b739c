"""Issue 20 in a real browser: another site frames /sematkan/peta, and cannot frame a normal page."""
from __future__ import annotations

import http.server
import threading
import time
from functools import partial

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser


@pytest.fixture()
def portal(dash_duo):
    import app as portal_app

    dash_duo.start_server(portal_app.app)
    return dash_duo


@pytest.fixture()
def news_site(tmp_path, portal):
    """A page on another origin (its own port) with an iframe of the embed and one of /peta."""
    base = portal.server_url
    (tmp_path / "berita.html").write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Berita</title></head><body><h1>Berita</h1>"
        f"<iframe id='sematan' src='{base}/sematkan/peta?indikator=tpt&amp;tingkat=kabupaten_kota' width='700' height='600'></iframe>"
        f"<iframe id='halaman' src='{base}/peta' width='700' height='600'></iframe>"
        f"<iframe id='grafik-indikator' src='{base}/sematkan/indikator/tpt' width='700' height='600'></iframe>"
        f"<iframe id='grafik-wilayah' src='{base}/sematkan/wilayah/34.71?indikator=tpt&amp;lang=en' width='700' height='600'></iframe>"
        f"<iframe id='halaman-indikator' src='{base}/indikator/tpt' width='700' height='600'></iframe></body></html>")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/berita.html"
    server.shutdown()


def test_another_site_frames_the_embed_but_not_a_normal_page(portal, news_site):
    driver = portal.driver
    driver.get(news_site)
    assert driver.title == "Berita"
    driver.switch_to.frame(driver.find_element(By.ID, "sematan"))  # followed the redirect to the pinned embed
    WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "h1"))
    assert "Tingkat pengangguran terbuka" in driver.find_element(By.CSS_SELECTOR, "h1").text
    assert len(driver.find_elements(By.CSS_SELECTOR, "svg.svg-map path[data-kode]")) >= 3
    assert "DATA SINTETIS" in driver.find_element(By.TAG_NAME, "body").text
    back = driver.find_element(By.PARTIAL_LINK_TEXT, "Buka peta lengkap")
    assert back.get_attribute("target") == "_blank" and "rilis=" in back.get_attribute("href")
    driver.switch_to.default_content()
    time.sleep(2)  # the refused frame has had its answer
    driver.switch_to.frame(driver.find_element(By.ID, "halaman"))
    assert driver.find_elements(By.CSS_SELECTOR, "#peta-judul, .svg-map") == []  # an error page, not the portal
    assert "Portal Data DTSEN" not in driver.find_element(By.TAG_NAME, "body").text
    driver.switch_to.default_content()
    refusals = [e["message"] for e in portal.get_logs() or [] if "frame-ancestors" in e.get("message", "")]
    assert all("/sematkan/" not in m for m in refusals)


def test_the_map_page_share_and_embed_controls_work_at_360px(portal):
    driver = portal.driver
    driver.set_window_size(360, 900)
    driver.get(portal.server_url + "/peta")
    for selector in ("#peta-unduh-png", "#peta-unduh-svg", "button[data-share]"):
        assert driver.find_element(By.CSS_SELECTOR, selector).is_displayed()
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 360
    button = driver.find_element(By.CSS_SELECTOR, "button[data-share]")
    driver.execute_script("arguments[0].click()", button)  # no share sheet in desktop Chromium: the link is copied
    WebDriverWait(driver, 10).until(lambda d: "disalin" in d.execute_script(
        "return [...document.querySelectorAll('.share-status')].map(e => e.textContent).join(' ')") or
        "Salin alamat" in d.execute_script("return [...document.querySelectorAll('.share-status')].map(e => e.textContent).join(' ')"))


def test_another_site_frames_the_chart_embeds_but_not_the_indicator_page(portal, news_site):
    driver = portal.driver
    driver.get(news_site)
    for frame, title, words in [("grafik-indikator", "Tingkat pengangguran terbuka, Indonesia", ("DATA SINTETIS", "Buka angka lengkap")),
                                ("grafik-wilayah", "Kota Yogyakarta and the regions above it", ("SYNTHETIC DATA", "Open the full figures"))]:
        driver.switch_to.frame(driver.find_element(By.ID, frame))  # followed the redirect to the pinned embed
        WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "h1"))
        assert title in driver.find_element(By.CSS_SELECTOR, "h1").text
        assert len(driver.find_elements(By.CSS_SELECTOR, "svg.svg-chart [data-tahun]")) >= 2
        body = driver.find_element(By.TAG_NAME, "body").text
        assert all(w in body for w in words), body
        back = driver.find_element(By.PARTIAL_LINK_TEXT, words[1])
        assert back.get_attribute("target") == "_blank" and "rilis=" in back.get_attribute("href")
        driver.switch_to.default_content()
    time.sleep(2)  # the refused frame has had its answer
    driver.switch_to.frame(driver.find_element(By.ID, "halaman-indikator"))
    assert "Portal Data DTSEN" not in driver.find_element(By.TAG_NAME, "body").text
    driver.switch_to.default_content()
