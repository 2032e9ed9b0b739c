"""Issue 20's 'Salin gambar' in real headless Chromium: the button shows where the browser can put an
image on the clipboard, is reached by Tab, has a name, and on Enter fetches the very PNG the download
link names and hands it to navigator.clipboard.write (stubbed here: a headless clipboard cannot be
read), saying so in its status; where the browser cannot, it stays hidden and the links remain."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_portal import STALE, open_path

pytestmark = pytest.mark.browser

# Records every fetch (and lets it through) and replaces the clipboard's write with one that waits
# for the item's PNG, as a real write would, and keeps its type and size.
STUB = """
window.__fetched = [];
const realFetch = window.fetch.bind(window);
window.fetch = function (url, options) { window.__fetched.push(String(url)); return realFetch(url, options); };
Object.defineProperty(navigator.clipboard, "write", {configurable: true, value: function (items) {
  return items[0].getType("image/png").then(function (blob) { window.__copied = [blob.type, blob.size]; });
}});
"""


@pytest.fixture()
def portal(dash_duo):
    import app as portal_app

    dash_duo.start_server(portal_app.app)
    return dash_duo


def copy_with_the_keyboard(duo, link_id):
    driver = duo.driver
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.documentElement.classList.contains('can-copy-image')"))
    driver.execute_script(STUB)
    svg = WebDriverWait(driver, 20, ignored_exceptions=STALE).until(lambda d: d.find_element(By.ID, f"{link_id}-svg"))
    png = driver.find_element(By.ID, f"{link_id}-png").get_attribute("href")
    driver.execute_script("arguments[0].focus()", svg)
    svg.send_keys(Keys.TAB)  # the next stop after 'Gambar SVG' is the copy button
    button = driver.switch_to.active_element
    assert button.tag_name == "button" and button.get_attribute("data-copy-image") and button.is_displayed()
    assert duo.server_url + button.get_attribute("data-copy-image") == png
    label = button.get_attribute("aria-label")
    button.send_keys(Keys.ENTER)
    status = button.find_element(By.XPATH, "following-sibling::span[@role='status']")
    assert status.get_attribute("aria-live") == "polite"
    WebDriverWait(driver, 30).until(lambda d: status.text)
    fetched = driver.execute_script("return window.__fetched")
    copied = driver.execute_script("return window.__copied")
    return button.text, label, status.text, png, fetched, copied


def test_copy_image_fetches_the_pngs_address_and_says_it_was_copied(portal):
    open_path(portal, "/indikator/tpt")
    text, label, status, png, fetched, copied = copy_with_the_keyboard(portal, "indikator-sebaran-gambar")
    assert text == "Salin gambar" and label.startswith("Salin gambar: sebaran kabupaten/kota")
    assert status == "Gambar disalin." and [u for u in fetched if portal.server_url + u == png or u == png]
    assert copied[0] == "image/png" and copied[1] > 10_000
    assert portal.driver.find_elements(By.CSS_SELECTOR, "button[data-copy-image]")  # trend and ranking have theirs too
    assert len([b for b in portal.driver.find_elements(By.CSS_SELECTOR, "button[data-copy-image]") if b.is_displayed()]) == 3


def test_in_english_on_the_target_page(portal):
    open_path(portal, "/target?indikator=tpt&lang=en")
    text, label, status, png, fetched, copied = copy_with_the_keyboard(portal, "target-grafik-gambar")
    assert text == "Copy image" and label.startswith("Copy image: ") and status == "Image copied."
    assert "/unduh/grafik/target/tpt.png" in png and "lang=en" in png and copied[0] == "image/png"


def test_a_browser_that_cannot_copy_images_sees_only_the_links(portal):
    portal.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": "delete window.ClipboardItem;"})
    open_path(portal, "/indikator/tpt")
    assert not portal.driver.execute_script("return document.documentElement.classList.contains('can-copy-image')")
    assert portal.driver.find_element(By.ID, "indikator-tren-gambar-png").is_displayed()
    assert not [b for b in portal.driver.find_elements(By.CSS_SELECTOR, "button[data-copy-image]") if b.is_displayed()]
