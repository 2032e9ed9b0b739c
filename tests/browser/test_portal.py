"""The portal in real headless Chromium (dash[testing]'s dash_duo with Debian's chromedriver)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser
# Dash swaps elements when callbacks answer; a wait that meets a swapped one looks again.
STALE = (StaleElementReferenceException,)


@pytest.fixture()
def portal(dash_duo):
    import app as portal_app

    dash_duo.start_server(portal_app.app)
    return dash_duo


def open_path(duo, path):
    """Open a page as a reader who then uses it: Dash starts on a first touch or key
    (assets/00-dash-on-demand.js), so start it; the tab remembers, later pages start at once."""
    duo.driver.get(duo.server_url + path)
    duo.driver.execute_script("window.dtsenStartDash && window.dtsenStartDash()")
    wait_dash(duo)  # Dash swaps the served elements for its own: act on those


def wait_text(duo, selector, text, timeout=15):
    # Dash may swap the element between finding it and reading it: look again then.
    WebDriverWait(duo.driver, timeout, ignored_exceptions=STALE).until(
        lambda d: text in d.find_element(By.CSS_SELECTOR, selector).text)


def click_link(duo, text, timeout=20):
    """Click a link by its text, finding it again if Dash re-renders it meanwhile."""
    def attempt(d):
        try:
            d.find_element(By.LINK_TEXT, text).click()
            return True
        except StaleElementReferenceException:
            return False
    WebDriverWait(duo.driver, timeout).until(attempt)


def choose(duo, selector, text):
    """Pick the option of a native <select> whose text contains `text` (as a person would)."""
    from selenium.webdriver.support.ui import Select

    WebDriverWait(duo.driver, 10, ignored_exceptions=STALE).until(lambda d: any(text in o.text for o in Select(d.find_element(By.CSS_SELECTOR, selector)).options))
    select = Select(duo.driver.find_element(By.CSS_SELECTOR, selector))
    select.select_by_visible_text(next(o.text for o in select.options if text in o.text))


def table_rows(duo):
    """The ranking table's rows once Dash has rendered it (the pre-rendered copy is replaced)."""
    sel = "#_pages_content #peta-tabel-isi tbody tr"
    WebDriverWait(duo.driver, 15, ignored_exceptions=STALE).until(lambda d: d.find_elements(By.CSS_SELECTOR, sel))
    return duo.driver.find_elements(By.CSS_SELECTOR, sel)


def query(duo):
    return {k: v[0] for k, v in parse_qs(urlparse(duo.driver.current_url).query).items()}


def map_paths(duo):
    return duo.driver.find_elements(By.CSS_SELECTOR, "#peta-grafik .choroplethlayer path")


def test_three_pages_open_with_the_synthetic_notice(portal):
    for path, heading in [("/", "Kesejahteraan sosial ekonomi"), ("/peta", "Persentase penduduk miskin"), ("/tentang", "Tentang data")]:
        open_path(portal, path)
        wait_text(portal, "#konten h1", heading)
        assert "DATA SINTETIS" in portal.find_element("#synthetic-notice").text


def test_map_draws_regions_and_changes_with_the_controls(portal):
    open_path(portal, "/peta")
    wait_text(portal, "#peta-judul", "provinsi di Indonesia")
    WebDriverWait(portal.driver, 20, ignored_exceptions=STALE).until(lambda d: len(map_paths(portal)) >= 2)
    choose(portal, "#peta-indikator", "Tingkat pengangguran terbuka")
    wait_text(portal, "#peta-judul", "Tingkat pengangguran terbuka")
    choose(portal, "#peta-tahun", "2023")
    wait_text(portal, "#peta-judul", "2023")
    choose(portal, "#peta-tingkat", "Kabupaten/kota")
    wait_text(portal, "#peta-judul", "kabupaten/kota di Indonesia")
    WebDriverWait(portal.driver, 10, ignored_exceptions=STALE).until(lambda d: query(portal).get("tingkat") == "kabupaten_kota")
    q = query(portal)
    assert q["indikator"] == "tpt" and q["tahun"] == "2023"
    # The tab names the indicator shown, as the served page does (outside check: it kept the first one's name).
    WebDriverWait(portal.driver, 10).until(lambda d: d.title.startswith("Tingkat pengangguran terbuka — peta — "))
    choose(portal, "#peta-indikator", "Rasio Gini")
    wait_text(portal, "#peta-judul", "Rasio Gini")
    portal.driver.back()  # and after Back (outside check: Dash Pages then wrote its default indicator's title)
    wait_text(portal, "#peta-judul", "Tingkat pengangguran terbuka")
    WebDriverWait(portal.driver, 10).until(lambda d: d.title.startswith("Tingkat pengangguran terbuka — peta — "))
    # The text alternative follows the map: a table row per region.
    WebDriverWait(portal.driver, 15, ignored_exceptions=STALE).until(lambda d: len(table_rows(portal)) == len(map_paths(portal)))
    rows = table_rows(portal)
    assert len(rows) == len(map_paths(portal)) > 3  # kabupaten/kota of two provinces


def test_url_with_state_restores_it_and_back_walks_history(portal):
    open_path(portal, "/peta?indikator=cakupan_jkn&tahun=2024&tingkat=kecamatan&induk=34")
    wait_text(portal, "#peta-judul", "Cakupan kepesertaan JKN, 2024 — kecamatan di Daerah Istimewa Yogyakarta")
    choose(portal, "#peta-tahun", "2025")
    wait_text(portal, "#peta-judul", "JKN, 2025")
    portal.driver.back()
    wait_text(portal, "#peta-judul", "JKN, 2024")
    assert query(portal)["tahun"] == "2024"


def test_protected_regions_are_labelled_not_zero(portal):
    open_path(portal, "/peta?indikator=persen_penduduk_miskin&tingkat=kecamatan&induk=34")
    wait_text(portal, "#peta-kalimat", "dilindungi")
    table_rows(portal)
    cells = portal.driver.find_elements(By.CSS_SELECTOR, "#_pages_content #peta-tabel-isi td.protected-cell")
    assert cells and all("dilindungi" in c.text for c in cells)


def test_bad_code_gets_the_404_page(portal):
    open_path(portal, "/halaman-yang-tidak-ada")
    wait_text(portal, "#konten", "Halaman tidak ditemukan")
    assert portal.driver.find_element(By.LINK_TEXT, "Kembali ke Beranda")
    open_path(portal, "/wilayah/99.99")
    wait_text(portal, "#konten", "Wilayah tidak ditemukan")
    assert "99.99" in portal.driver.find_element(By.ID, "wilayah-galat").text


def wait_dash(duo):
    """The served HTML is pre-rendered; wait until Dash has mounted its own page content."""
    WebDriverWait(duo.driver, 30, ignored_exceptions=STALE).until(lambda d: d.execute_script(
        "const c = document.getElementById('_pages_content');"
        "return !!(c && c.textContent.length) && !document.getElementById('ssr-shell')"))  # Dash's page has taken over


def test_region_profile_and_its_breadcrumb(portal):
    open_path(portal, "/wilayah/34.71.01")
    wait_dash(portal)
    wait_text(portal, "#wilayah-judul", "Tegalrejo")
    assert [c.text for c in portal.driver.find_elements(By.CSS_SELECTOR, "#wilayah-jalur .crumb")] == ["Indonesia", "Daerah Istimewa Yogyakarta", "Kota Yogyakarta", "Tegalrejo"]
    portal.driver.find_element(By.LINK_TEXT, "Kota Yogyakarta").click()
    WebDriverWait(portal.driver, 15, ignored_exceptions=STALE).until(lambda d: d.execute_script(
        "const h = document.getElementById('wilayah-judul'); return h && h.textContent === 'Kota Yogyakarta'"))
    assert "Tegalrejo" in portal.driver.find_element(By.ID, "wilayah-anak").text


def resource_urls(duo):
    return duo.driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name).concat([location.href]);")


def test_no_request_leaves_the_machine(portal):
    urls = []
    for path in ["/", "/peta?tingkat=kabupaten_kota", "/tentang", "/peta"]:
        open_path(portal, path)
        wait_text(portal, "#konten h1", " ")
        if path.startswith("/peta"):
            WebDriverWait(portal.driver, 20, ignored_exceptions=STALE).until(lambda d: len(map_paths(portal)) >= 2)
        urls += resource_urls(portal)
    assert any("/geo/" in u for u in urls) and any("plotly" in u for u in urls), "the page's own requests must be visible"
    foreign = [u for u in urls if urlparse(u).hostname not in ("localhost", "127.0.0.1") and not u.startswith(("data:", "blob:"))]
    assert foreign == []
    # The CSP blocks any other host; a blocked attempt would show up in the console.
    assert not [e for e in portal.get_logs() if "Content Security Policy" in e.get("message", "")]


def test_the_strict_csp_refuses_inline_scripts_and_the_map_still_works(portal):
    """Issue 18: scripts may only come from this host or be Dash's own inline scripts (by hash), and
    nothing may eval. The map page loads Dash and plotly on a first touch, draws, changes with a
    control (the clientside functions in assets/ write the URL) and navigates (Dash Pages' inline
    title function), with no violation; an inline script injected afterwards is refused, so the
    policy is in force and the counter counts."""
    driver = portal.driver
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));")})
    open_path(portal, "/peta")
    WebDriverWait(driver, 20, ignored_exceptions=STALE).until(lambda d: len(map_paths(portal)) >= 2)
    choose(portal, "#peta-indikator", "Tingkat pengangguran terbuka")
    wait_text(portal, "#peta-judul", "Tingkat pengangguran terbuka")
    WebDriverWait(driver, 10, ignored_exceptions=STALE).until(lambda d: query(portal).get("indikator") == "tpt")
    assert driver.execute_script("return window.__csp") == []
    click_link(portal, "Tentang data")
    WebDriverWait(driver, 15).until(lambda d: d.title.startswith("Tentang"))  # set by Dash Pages' inline function
    assert driver.execute_script("return window.__csp") == []
    assert not [e for e in portal.get_logs() if "Content Security Policy" in e.get("message", "")]
    driver.execute_script("const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.body.appendChild(s);")
    WebDriverWait(driver, 5).until(lambda d: d.execute_script("return window.__csp.length") == 1)
    assert driver.execute_script("return window.__ran") is None and "script-src" in driver.execute_script("return window.__csp[0]")


def click_a_region_until(duo, heading_text):
    """Click the map's regions (plotly paths, at their centre) one by one until the heading says
    `heading_text`: a click on a sliver may miss, and the map may redraw meanwhile."""
    from selenium.webdriver.common.action_chains import ActionChains

    WebDriverWait(duo.driver, 20, ignored_exceptions=STALE).until(lambda d: len(map_paths(duo)) >= 2)
    for i in range(len(map_paths(duo))):
        try:
            ActionChains(duo.driver).move_to_element(map_paths(duo)[i]).click().perform()
            WebDriverWait(duo.driver, 5, ignored_exceptions=STALE).until(lambda d: heading_text in d.find_element(By.ID, "peta-judul").text)
            return
        except Exception:  # noqa: BLE001 - a miss or a redraw: try the next region
            continue
    raise AssertionError(f"no click on the map led to '{heading_text}'")


def test_click_drills_down_and_breadcrumb_leads_back(portal):
    open_path(portal, "/peta?indikator=jumlah_penduduk&tahun=2025")
    wait_text(portal, "#peta-judul", "provinsi di Indonesia")
    click_a_region_until(portal, "kabupaten/kota di")  # a province
    heading = portal.driver.find_element(By.ID, "peta-judul").text
    assert "kabupaten/kota di" in heading
    province = query(portal)["induk"]
    assert query(portal)["tingkat"] == "kabupaten_kota" and province in ("34", "75")
    crumbs = portal.driver.find_elements(By.CSS_SELECTOR, "#peta-jalur .crumb")
    assert [c.text for c in crumbs][0] == "Indonesia" and len(crumbs) == 2
    # One level further: click a kabupaten/kota to see its kecamatan.
    click_a_region_until(portal, "kecamatan di")
    assert query(portal)["tingkat"] == "kecamatan" and query(portal)["induk"].startswith(province + ".")
    assert len(portal.driver.find_elements(By.CSS_SELECTOR, "#peta-jalur .crumb")) == 3
    # The browser's back button returns to the kabupaten/kota of the province ...
    portal.driver.back()
    WebDriverWait(portal.driver, 40, ignored_exceptions=STALE).until(lambda d: query(portal).get("tingkat") == "kabupaten_kota")
    wait_text(portal, "#peta-judul", "kabupaten/kota di", timeout=40)
    # ... and the breadcrumb to Indonesia.
    click_link(portal, "Indonesia")
    wait_text(portal, "#peta-judul", "provinsi di Indonesia", timeout=40)  # a whole page re-render: slow on a busy CI machine


def test_no_horizontal_scroll_on_a_360px_phone(portal):
    """A true 360 px viewport (headless windows cannot be narrower than 500 px, so emulate)."""
    portal.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 800, "deviceScaleFactor": 1, "mobile": True})
    try:
        for path in ["/", "/peta?tingkat=kabupaten_kota", "/peta?tingkat=kecamatan&induk=34", "/tentang", "/wilayah/34.71",
                     "/wilayah/34.71.01", "/indikator", "/indikator/tpt", "/cari?q=bandung", "/target", "/target?indikator=tpt&tingkat=kabupaten_kota"]:
            open_path(portal, path)
            wait_dash(portal)
            WebDriverWait(portal.driver, 15, ignored_exceptions=STALE).until(lambda d: d.find_element(By.CSS_SELECTOR, "#_pages_content h1").text.strip())
            if path.startswith("/peta"):
                WebDriverWait(portal.driver, 20, ignored_exceptions=STALE).until(lambda d: len(map_paths(portal)) >= 2)
            inner, scroll = portal.driver.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
            assert inner == 360 and scroll <= 360, (path, inner, scroll)
    finally:
        portal.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_the_downloaded_csv_equals_the_table_shown_cell_by_cell(portal):
    """What a journalist sees is what they download: same regions, same order of values,
    the same formatted number, and a blank (never 0) wherever the table says 'dilindungi'."""
    import io

    import pandas as pd
    import requests

    from components.formatting import format_number

    open_path(portal, "/peta?indikator=persen_penduduk_miskin&tahun=2025&tingkat=kecamatan&induk=34")
    wait_text(portal, "#peta-kalimat", "dilindungi")
    shown = {}
    for tr in table_rows(portal):
        tds = tr.find_elements(By.TAG_NAME, "td")
        kode = tds[1].find_element(By.TAG_NAME, "a").get_attribute("href").rsplit("/", 1)[1]
        shown[kode] = tds[2].text
    href = portal.find_element("#peta-unduh").get_attribute("href")
    body = requests.get(href, timeout=10).text.lstrip("\ufeff")
    csv = pd.read_csv(io.StringIO(body), comment="#", dtype={"kode_wilayah": str}, keep_default_na=False, na_values=[""])
    assert set(csv["kode_wilayah"]) == set(shown) and len(shown) > 10
    for row in csv.itertuples():
        if row.status == "ok":
            assert shown[row.kode_wilayah] == format_number(row.nilai, 2), row
        else:
            assert pd.isna(row.nilai) and "dilindungi" in shown[row.kode_wilayah], row
    assert csv["sumber"].str.contains("DATA SINTETIS").all()  # the warning is on every row of the file


def test_citation_box_names_the_release_and_the_trend_has_words(portal):
    open_path(portal, "/peta?indikator=tpt&tahun=2024&tingkat=kabupaten_kota&induk=34")
    wait_dash(portal)  # read Dash's elements, not the pre-rendered ones it replaces
    wait_text(portal, "#peta-judul", "2024")
    cite = portal.find_element("#peta-kutipan").get_attribute("value")
    assert "rilis test-" in cite and "tahun=2024" in cite
    trend = portal.driver.find_element(By.CSS_SELECTOR, "#peta-tren-teks").get_attribute("textContent")
    assert "2023:" in trend and "2025:" in trend
    choose(portal, "#peta-tahun", "2025")
    WebDriverWait(portal.driver, 10, ignored_exceptions=STALE).until(lambda d: "tahun=2025" in portal.find_element("#peta-kutipan").get_attribute("value"))


AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"  # axe-core from npm, vendored (MPL-2.0)


def axe_violations(duo) -> list[str]:
    """Run axe-core in the page for WCAG 2.0/2.1 A and AA; a line per violation and node."""
    duo.driver.execute_script(AXE.read_text())
    result = duo.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(' | '))))"
        ".catch(e => done(['axe failed: ' + e]));"
    )
    return result


@pytest.mark.parametrize("width", [360, 1280])
def test_axe_finds_no_wcag_a_or_aa_violation(portal, width):
    portal.driver.set_script_timeout(60)
    portal.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500})
    found = {}
    try:
        for path in ["/", "/peta?indikator=persen_penduduk_miskin&tingkat=kecamatan&induk=34", "/peta?tingkat=kabupaten_kota", "/tentang", "/wilayah/34.71",
                     "/wilayah/34.71.01", "/tidak-ada", "/indikator", "/indikator/persen_penduduk_miskin", "/cari?q=bandung",
                     "/target", "/target?indikator=tpt&tingkat=kabupaten_kota"]:
            open_path(portal, path)
            wait_dash(portal)
            WebDriverWait(portal.driver, 15, ignored_exceptions=STALE).until(lambda d: d.find_element(By.CSS_SELECTOR, "#_pages_content h1").text.strip())
            if path.startswith("/peta"):
                WebDriverWait(portal.driver, 20, ignored_exceptions=STALE).until(lambda d: len(map_paths(portal)) >= 2)
            violations = axe_violations(portal)
            if violations:
                found[path] = violations
    finally:
        portal.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not found, found


def test_controls_are_native_labelled_selects_showing_their_value(portal):
    """Native <select>s: the phone's own picker, a label each, and the whole-country choice
    visible by name (not a blank box)."""
    from selenium.webdriver.support.ui import Select

    open_path(portal, "/peta")
    wait_text(portal, "#peta-judul", "provinsi di Indonesia")
    for sel in portal.driver.find_elements(By.CSS_SELECTOR, ".map-controls select"):
        label = portal.driver.find_element(By.CSS_SELECTOR, f"label[for='{sel.get_attribute('id')}']")
        assert label.text and Select(sel).first_selected_option.text
    assert Select(portal.find_element("#peta-induk")).first_selected_option.text == "Seluruh Indonesia"
    choose(portal, "#peta-induk", "Gorontalo")
    wait_text(portal, "#peta-judul", "di Gorontalo")


def test_search_finds_a_kecamatan_whose_breadcrumb_and_indicator_links_lead_on(portal):
    """A citizen types a kecamatan into the navigation bar's box, opens its profile, walks up
    the breadcrumb and opens an indicator page from the profile, all by keyboard and links."""
    from selenium.webdriver.common.keys import Keys

    open_path(portal, "/")
    wait_dash(portal)
    box = portal.driver.find_element(By.ID, "nav-cari")
    box.send_keys("tegalrejo", Keys.ENTER)  # a plain GET form: /cari?q=tegalrejo
    WebDriverWait(portal.driver, 15, ignored_exceptions=STALE).until(lambda d: "/cari" in d.current_url)
    wait_dash(portal)  # a new page, which Dash takes over at once in this tab: act on Dash's copy, not the served one it swaps out
    wait_text(portal, "#cari-hasil", "Tegalrejo")
    first = portal.driver.find_element(By.CSS_SELECTOR, "#cari-hasil li")
    assert "Kota Yogyakarta" in first.text  # the parent tells same-named places apart
    first.find_element(By.TAG_NAME, "a").click()
    WebDriverWait(portal.driver, 15, ignored_exceptions=STALE).until(lambda d: d.current_url.endswith("/wilayah/34.71.01"))
    wait_dash(portal)
    wait_text(portal, "#wilayah-judul", "Tegalrejo")
    portal.driver.find_element(By.CSS_SELECTOR, "#wilayah-jalur").find_element(By.LINK_TEXT, "Kota Yogyakarta").click()
    WebDriverWait(portal.driver, 15, ignored_exceptions=STALE).until(lambda d: d.execute_script(
        "const h = document.getElementById('wilayah-judul'); return h && h.textContent === 'Kota Yogyakarta'"))
    portal.driver.find_element(By.LINK_TEXT, "Persentase penduduk miskin (P0)").send_keys(Keys.ENTER)  # by keyboard
    WebDriverWait(portal.driver, 15, ignored_exceptions=STALE).until(lambda d: d.current_url.endswith("/indikator/persen_penduduk_miskin"))
    wait_text(portal, "#indikator-judul", "Persentase penduduk miskin")
    assert "Indonesia" in portal.driver.find_element(By.ID, "indikator-tren-teks").text


def test_search_page_answers_as_you_type(portal):
    open_path(portal, "/cari")
    wait_dash(portal)
    portal.driver.find_element(By.ID, "cari-q").send_keys("jogja")
    wait_text(portal, "#cari-hasil", "Kota Yogyakarta")


def test_target_page_shows_a_province_status_as_in_its_download(portal):
    import io
    import urllib.request

    import pandas as pd

    open_path(portal, "/target?indikator=bps_persen_penduduk_miskin")
    wait_dash(portal)
    rows = portal.driver.find_elements(By.CSS_SELECTOR, "#_pages_content #target-tabel tbody tr")
    shown = {r.find_element(By.TAG_NAME, "a").text: r.find_element(By.CSS_SELECTOR, ".status-badge").text for r in rows}
    assert "Daerah Istimewa Yogyakarta" in shown
    href = portal.driver.find_element(By.ID, "target-unduh").get_attribute("href")
    body = urllib.request.urlopen(href).read().decode("utf-8-sig")
    csv = pd.read_csv(io.StringIO(body), comment="#", dtype=str).set_index("nama")
    labels = {"tercapai": "Sudah tercapai", "menuju": "Menuju target", "perlu_perhatian": "Perlu perhatian khusus", "tidak_diketahui": "Tidak dapat dinilai"}
    assert shown["Daerah Istimewa Yogyakarta"] == labels[csv.loc["Daerah Istimewa Yogyakarta", "kode_status"]]
    assert shown["Daerah Istimewa Yogyakarta"] == csv.loc["Daerah Istimewa Yogyakarta", "status_target"]  # the page's words
    # The map draws both provinces of the test release.
    WebDriverWait(portal.driver, 20, ignored_exceptions=STALE).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#target-peta .choroplethlayer path")) >= 2)


def test_map_selectors_fold_under_one_button_on_a_phone(portal):
    """At 360 px the six selectors hide behind 'Ubah pilihan peta' (aria-expanded tells a screen
    reader); at 1280 px they show and the button does not."""
    driver = portal.driver
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 800, "deviceScaleFactor": 1, "mobile": True})
    try:
        open_path(portal, "/peta")
        wait_dash(portal)
        button = driver.find_element(By.ID, "peta-pilihan-tombol")
        select = driver.find_element(By.ID, "peta-indikator")
        assert button.is_displayed() and not select.is_displayed()
        assert button.get_attribute("aria-expanded") == "false"
        assert button.size["height"] >= 44
        button.click()
        WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "peta-indikator").is_displayed())
        assert button.get_attribute("aria-expanded") == "true"
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    open_path(portal, "/peta")
    wait_dash(portal)
    assert driver.find_element(By.ID, "peta-indikator").is_displayed()
    assert not driver.find_element(By.ID, "peta-pilihan-tombol").is_displayed()


RECORD_CALLBACKS = """
window.__dashBodies = [];
const original = window.fetch;
window.fetch = function (...args) {
  return original.apply(this, args).then(r => {
    if (String(args[0].url || args[0]).includes('_dash-update-component')) r.clone().text().then(t => window.__dashBodies.push(t));
    return r;
  });
};"""


def callback_responses(duo) -> list[str]:
    """Bodies of the Dash callback responses recorded since RECORD_CALLBACKS ran in the page."""
    return duo.driver.execute_script("return window.__dashBodies || []")


def test_changing_the_indicator_sends_values_only_never_geometry(portal):
    open_path(portal, "/peta?tingkat=kabupaten_kota")
    wait_dash(portal)
    WebDriverWait(portal.driver, 20, ignored_exceptions=STALE).until(lambda d: len(map_paths(portal)) >= 2)
    portal.driver.execute_script(RECORD_CALLBACKS)  # what the browser receives from here on
    choose(portal, "#peta-indikator", "Tingkat pengangguran terbuka")
    wait_text(portal, "#peta-judul", "Tingkat pengangguran terbuka")
    WebDriverWait(portal.driver, 10, ignored_exceptions=STALE).until(lambda d: any("peta-grafik" in b for b in callback_responses(portal)))
    bodies = [b for b in callback_responses(portal) if "peta-grafik" in b]
    assert bodies, "the map's callback response was not seen"
    for body in bodies:
        assert '"__dash_patch_update"' in body  # a Patch: operations on the figure's values
        assert '"locations"' not in body and '"geojson"' not in body and "FeatureCollection" not in body
    # The map still shows every region, now with the new indicator's hover lines.
    assert len(map_paths(portal)) == len(table_rows(portal))
    # No geometry file was fetched a second time.
    geo = [u for u in resource_urls(portal) if "/geo/" in u]
    assert len(geo) == len(set(geo)) == 1


def test_no_page_logs_an_error_in_the_browser_console(portal):
    """Every page loads its scripts (the partial plotly bundle included) without a console error."""
    portal.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__errors = []; const original = console.error;"
        "console.error = function (...a) { window.__errors.push(a.map(x => (x && x.message) || String(x)).join(' ')); original.apply(console, a); };")})
    found = {}
    for path in ["/", "/peta", "/peta?tingkat=kecamatan&induk=34", "/wilayah/34.71", "/indikator/tpt", "/target", "/cari?q=sleman", "/tentang"]:
        open_path(portal, path)
        wait_dash(portal)
        if path.startswith("/peta"):
            WebDriverWait(portal.driver, 20, ignored_exceptions=STALE).until(lambda d: len(map_paths(portal)) >= 2)
        errors = portal.driver.execute_script("return window.__errors")
        if errors:
            found[path] = errors
    assert not found, found


def test_ranking_table_sorts_by_a_column_with_protected_rows_last(portal):
    open_path(portal, "/peta?indikator=persen_penduduk_miskin&tahun=2025&tingkat=kecamatan&induk=34")
    wait_dash(portal)
    rows = table_rows(portal)
    header = portal.driver.find_element(By.XPATH, "//table[@id='peta-tabel-isi']//th[.//button[normalize-space()='Wilayah']]")
    header.find_element(By.TAG_NAME, "button").send_keys(Keys.ENTER)  # by keyboard
    WebDriverWait(portal.driver, 10, ignored_exceptions=STALE).until(lambda d: header.get_attribute("aria-sort") == "ascending")
    rows = table_rows(portal)
    names = [r.find_elements(By.TAG_NAME, "td")[1].text for r in rows]
    assert names == sorted(names, key=str.lower) and len(names) > 10
    value_header = portal.driver.find_element(By.XPATH, "//table[@id='peta-tabel-isi']//th[.//button[normalize-space()='Nilai']]")
    value_header.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(portal.driver, 10, ignored_exceptions=STALE).until(lambda d: value_header.get_attribute("aria-sort") == "ascending")
    cells = [r.find_elements(By.TAG_NAME, "td")[2] for r in table_rows(portal)]
    shown = [c for c in cells if "protected-cell" not in c.get_attribute("class")]
    values = [float(c.text.replace(".", "").replace(",", ".")) for c in shown]
    assert values == sorted(values)
    kinds = ["protected" if "protected-cell" in c.get_attribute("class") else "value" for c in cells]
    assert kinds == sorted(kinds, key=lambda k: k == "protected")  # protected rows stay last


MAP_BOX = """const g = document.querySelector(arguments[0]); const svg = g && g.querySelector('.main-svg');
if (!g || !svg) return null;
return [g.getBoundingClientRect().height, svg.getBoundingClientRect().height];"""


def assert_map_fits(duo, selector, where):
    """The map's drawing fills its box: no clipped coast (box smaller) and nothing drawn over the
    text below it (box collapsed). Plotly redraws after a resize, so wait for them to agree."""
    def fits(d):
        box = d.execute_script(MAP_BOX, selector)
        return box if box and box[0] >= 250 and abs(box[0] - box[1]) <= 2 else False
    try:
        WebDriverWait(duo.driver, 15, ignored_exceptions=STALE).until(fits)
    except Exception:
        raise AssertionError(f"{where}: map box and drawing disagree: {duo.driver.execute_script(MAP_BOX, selector)}")


@pytest.mark.parametrize("width", [360, 1280])
def test_the_map_keeps_its_box_after_every_control_change(portal, width):
    """Issue 15: after a change of indicator, year, breakdown or level the /peta map box fell to its
    min-height under the 450 px drawing (Java cut off), and the profile's map box to 0 px."""
    driver = portal.driver
    if width == 360:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 800, "deviceScaleFactor": 1, "mobile": True})
    try:
        open_path(portal, "/peta")
        wait_dash(portal)
        WebDriverWait(driver, 20, ignored_exceptions=STALE).until(lambda d: len(map_paths(portal)) >= 2)
        assert_map_fits(portal, "#peta-grafik", "loaded")
        if width == 360:
            driver.find_element(By.ID, "peta-pilihan-tombol").click()
        for selector, text, heading in [("#peta-indikator", "Tingkat pengangguran terbuka", "Tingkat pengangguran terbuka"),
                                        ("#peta-tahun", "2023", "2023"), ("#peta-dimensi", "Jenis kelamin", "Jenis kelamin:"),
                                        ("#peta-tingkat", "Kabupaten/kota", "kabupaten/kota")]:
            choose(portal, selector, text)
            wait_text(portal, "#peta-judul", heading)
            assert_map_fits(portal, "#peta-grafik", f"after {selector}")
        open_path(portal, "/wilayah/34")
        wait_dash(portal)
        assert_map_fits(portal, "#wilayah-peta", "profile loaded")
        choose(portal, "#wilayah-indikator", "Tingkat pengangguran terbuka")
        WebDriverWait(driver, 15, ignored_exceptions=STALE).until(lambda d: "pengangguran" in d.find_element(By.ID, "wilayah-peringkat").text.lower())
        assert_map_fits(portal, "#wilayah-peta", "profile after a change")
    finally:
        if width == 360:
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_the_citation_copy_button_is_a_keyboard_button_that_says_it_copied(portal):
    """Issue 15: the copy control was a <div> that keyboards skip, with no feedback."""
    open_path(portal, "/peta")
    wait_dash(portal)
    button = portal.driver.find_element(By.ID, "peta-salin")
    assert button.tag_name == "button"
    button.send_keys(Keys.ENTER)  # a keyboard press, as a keyboard user would
    WebDriverWait(portal.driver, 10, ignored_exceptions=STALE).until(lambda d: d.find_element(By.ID, "peta-salin-status").text.strip())
    assert "salin" in portal.driver.find_element(By.ID, "peta-salin-status").text.lower()


def test_profile_on_a_phone_shows_parent_and_indonesia_without_sideways_scroll(portal):
    """Issue 15: below 768 px the Indonesia column was hidden and each table needed a sideways swipe."""
    driver = portal.driver
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 800, "deviceScaleFactor": 1, "mobile": True})
    try:
        open_path(portal, "/wilayah/34.71.01")
        wait_dash(portal)
        table = driver.find_element(By.CSS_SELECTOR, "#_pages_content .profile-table")
        wrap_w, table_w = driver.execute_script("const t = arguments[0]; return [t.parentElement.clientWidth, t.scrollWidth]", table)
        assert table_w <= wrap_w, (table_w, wrap_w)
        first = table.find_element(By.CSS_SELECTOR, "tbody tr")
        labels = [td.get_attribute("data-label") for td in first.find_elements(By.TAG_NAME, "td")]
        assert "Indonesia" in labels and "Kota Yogyakarta" in labels
        assert all(td.is_displayed() for td in first.find_elements(By.TAG_NAME, "td"))
        words = first.find_element(By.CSS_SELECTOR, ".trend-words")
        assert words.is_displayed() and "→" in words.text  # the trend's values, readable, not only in alt
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_the_search_box_suggests_while_typing_and_the_keyboard_reaches_them(portal):
    """Issue 15: no suggestions while typing. Typing shows the best hits under the box; ArrowDown
    moves into them; Enter on one opens it."""
    open_path(portal, "/")
    wait_dash(portal)
    box = portal.driver.find_element(By.ID, "nav-cari")
    box.send_keys("kota yogya")
    WebDriverWait(portal.driver, 10, ignored_exceptions=STALE).until(
        lambda d: "Kota Yogyakarta" in d.find_element(By.ID, "nav-cari-saran").text)
    box.send_keys(Keys.ARROW_DOWN)
    focused = portal.driver.switch_to.active_element
    assert focused.tag_name == "a" and focused.text == "Kota Yogyakarta"
    focused.send_keys(Keys.ENTER)
    wait_text(portal, "#wilayah-judul", "Kota Yogyakarta")


def test_an_english_page_suggests_in_english(portal):
    """Issue 20: on an English page the suggestions name indicators in English (the form's data-lang
    makes the script ask /api/cari?lang=en), and English words find them."""
    open_path(portal, "/?lang=en")
    wait_dash(portal)
    box = portal.driver.find_element(By.ID, "nav-cari")
    box.send_keys("poverty")
    WebDriverWait(portal.driver, 10, ignored_exceptions=STALE).until(
        lambda d: "Poverty headcount (P0)" in d.find_element(By.ID, "nav-cari-saran").text)
    assert "Persentase penduduk miskin" not in portal.driver.find_element(By.ID, "nav-cari-saran").text


def test_a_pinned_page_keeps_its_release_through_controls_and_links(portal):
    """Issue 16: ?rilis=<id> pins the release: the page's callbacks carry it (X-Rilis) and a link to
    another page keeps it, so everything reached from a citation shows the same release."""
    from tests.helpers import current_release

    rid = current_release().name
    open_path(portal, f"/peta?indikator=persen_penduduk_miskin&rilis={rid}")
    wait_dash(portal)
    choose(portal, "#peta-indikator", "Tingkat pengangguran terbuka")
    wait_text(portal, "#peta-judul", "Tingkat pengangguran terbuka")  # the callback answered for the pinned release
    # Outside check: the change wrote an address without the pin, so a reload showed the current release.
    WebDriverWait(portal.driver, 10).until(lambda d: "indikator=tpt" in d.current_url)
    assert f"rilis={rid}" in portal.driver.current_url
    hrefs = portal.driver.execute_script("return [...document.querySelectorAll('#_pages_content a[href^=\"/\"]')].map(a => a.getAttribute('href'))")
    assert hrefs and all("rilis=" in h or h.startswith(("/rilis", "/unduh/rilis/")) for h in hrefs), hrefs[:5]
    WebDriverWait(portal.driver, 10, ignored_exceptions=STALE).until(lambda d: d.find_element(By.ID, "peta-definisi").is_displayed())
    portal.driver.find_element(By.ID, "peta-definisi").click()
    WebDriverWait(portal.driver, 15).until(lambda d: "/indikator/" in d.current_url)
    assert f"rilis={rid}" in portal.driver.current_url
    wait_dash(portal)
    # The address changes before Dash has drawn the new page: wait for its heading, not just the address.
    wait_text(portal, "#_pages_content h1", "Tingkat pengangguran terbuka")



def dash_updates(duo) -> int:
    """How many callback requests the page has sent so far (the browser's own resource log)."""
    return duo.driver.execute_script(
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('_dash-update-component')).length")


def test_arrow_keys_on_a_closed_select_update_the_page_once_not_per_press(portal):
    """Issue 15: ArrowDown on a closed select fired a full update per key press (four presses to
    reach an indicator drew the map four times). Three presses now give the third option after
    them and as many callback requests as one choice made with the mouse."""
    import time

    from selenium.webdriver.support.ui import Select

    driver = portal.driver
    open_path(portal, "/peta")
    wait_dash(portal)
    driver.execute_script("performance.setResourceTimingBufferSize(10000)")
    WebDriverWait(driver, 20, ignored_exceptions=STALE).until(lambda d: len(map_paths(portal)) >= 2)

    def settled_count():
        # Callbacks chain (indicator → year choices → map); wait until no new request for a while.
        last, same_for = -1, 0
        while same_for < 4:
            now = dash_updates(portal)
            same_for = same_for + 1 if now == last else 0
            last = now
            time.sleep(0.5)
        return last

    before = settled_count()
    choose(portal, "#peta-indikator", "Tingkat pengangguran terbuka")
    wait_text(portal, "#peta-judul", "Tingkat pengangguran terbuka")
    one_choice = settled_count() - before
    assert one_choice >= 1

    select = driver.find_element(By.ID, "peta-indikator")
    options = [o.get_attribute("value") for o in Select(select).options if o.is_enabled()]  # domain headings are disabled
    start = options.index(select.get_attribute("value"))
    before = settled_count()
    for _ in range(3):  # at a person's pace: each press alone would reach the server
        select.send_keys(Keys.ARROW_DOWN)
        time.sleep(0.3)
    WebDriverWait(driver, 15, ignored_exceptions=STALE).until(lambda d: query(portal).get("indikator") == options[start + 3])
    three_presses = settled_count() - before
    assert three_presses <= one_choice, (three_presses, one_choice)
    assert driver.find_element(By.ID, "peta-indikator").get_attribute("value") == options[start + 3]


def test_the_served_page_is_whole_before_dash_and_a_first_change_starts_it_and_is_kept(portal):
    """Issue 17: the first view must not wait for Dash's scripts. The served page has its map (SVG),
    controls and table, and asks for none of Dash's bundles; the reader's first change loads them,
    and the change they made is the one Dash then shows (not lost in the swap)."""
    from selenium.webdriver.support.ui import Select

    driver = portal.driver
    driver.get(portal.server_url + "/peta")
    driver.execute_script("sessionStorage.clear()")
    driver.get(portal.server_url + "/peta")
    bundles = "return performance.getEntriesByType('resource').filter(e => e.name.includes('_dash-component-suites')).length"
    assert len(driver.find_elements(By.CSS_SELECTOR, "svg.svg-map path")) >= 2
    assert driver.find_elements(By.CSS_SELECTOR, "#peta-tabel-isi tbody tr")
    import time

    time.sleep(1.5)
    assert driver.execute_script(bundles) == 0
    Select(driver.find_element(By.ID, "peta-tahun")).select_by_visible_text("2024")
    WebDriverWait(driver, 30, ignored_exceptions=STALE).until(lambda d: query(portal).get("tahun") == "2024")
    wait_text(portal, "#peta-judul", "2024")
    WebDriverWait(driver, 20, ignored_exceptions=STALE).until(lambda d: len(map_paths(portal)) >= 2)  # plotly's map now
    assert driver.execute_script(bundles) > 0


def test_dash_taking_over_neither_blanks_the_page_nor_jumps_to_the_top(portal):
    """Outside check (issue 17): the first touch showed only "Loading..." for a moment and threw a
    reader who was scrolling the table back to the top. The served page now stays until Dash's is
    whole, and the swap keeps the scroll position."""
    import time

    driver = portal.driver
    driver.set_window_size(1280, 700)
    driver.get(portal.server_url + "/peta?tingkat=kabupaten_kota")
    driver.execute_script("sessionStorage.clear()")
    driver.get(portal.server_url + "/peta?tingkat=kabupaten_kota")
    driver.execute_script("window.scrollTo(0, 600)")
    time.sleep(0.3)
    driver.execute_script("window.dtsenStartDash()")
    seen_blank = False
    for _ in range(150):  # watch the swap
        state = driver.execute_script(
            "return [!!document.getElementById('ssr-shell'), document.body.innerText.includes('Persentase penduduk miskin'), window.scrollY]")
        seen_blank = seen_blank or not state[1]
        if not state[0] and driver.execute_script("return !!document.querySelector('#_pages_content #peta-judul')"):
            break
        time.sleep(0.1)
    assert not seen_blank
    assert driver.execute_script("return !document.getElementById('ssr-shell') && !!document.querySelector('#_pages_content #peta-judul')")
    assert abs(driver.execute_script("return window.scrollY") - 600) < 60
