"""Map page on a slow phone connection (ISSUE 5 part b): total transfer and Largest Contentful Paint.

    .venv/bin/python benchmarks/page_load.py [--release-dir data/releases] [--runs 3]

Serves the portal with waitress on a free local port, then loads pages cold (cache
disabled) in headless Debian Chromium with DevTools' "Slow 4G" network profile
(562.5 ms latency, 1.44 Mbit/s down, 0.675 Mbit/s up) and a 4× CPU slowdown, as
Lighthouse does for a mid-range phone. Reports per page: total bytes transferred
(compressed, as on the wire), LCP and when the map drew its regions. Targets for
the map page: ≤ 1.5 MB and LCP ≤ 2.5 s. Printed with the machine's size; the
machine is shared, so compare runs within one invocation.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOW_4G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.44e6 / 8, "uploadThroughput": 0.675e6 / 8}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync", "--window-size=412,900"]
PAGES = ["/peta", "/peta?tingkat=kabupaten_kota", "/", "/wilayah/32", "/target"]
OBSERVE = """
window.__lcp = 0;
window.__lcpLog = [];
new PerformanceObserver(l => { for (const e of l.getEntries()) {
  window.__lcp = e.startTime;
  const el = e.element;
  window.__lcpLog.push([Math.round(e.startTime), e.size, el ? el.tagName + '#' + el.id + '.' + el.className : '?']);
} })
  .observe({type: 'largest-contentful-paint', buffered: true});
"""


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {mem:.1f} GiB memory"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(release_dir: str, port: int) -> subprocess.Popen:
    code = f"from waitress import serve; from app import server; serve(server, host='127.0.0.1', port={port}, threads=4, _quiet=True)"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "DTSEN_RELEASE_DIR": release_dir},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return wait_until_up(proc, f"http://127.0.0.1:{port}/tentang", "the portal")


def wait_until_up(proc: subprocess.Popen, url: str, what: str, tries: int = 120) -> subprocess.Popen:
    """proc once `url` answers (every half second, `tries` times); killed and an error if never."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(url, timeout=5)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"{what} did not start")


def load(driver, url: str) -> dict:
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    t0 = time.perf_counter()
    driver.get(url)
    # Wait for the page to settle: the map's regions (if any) drawn, then a quiet second.
    drawn = None
    for _ in range(600):
        n = driver.execute_script("return document.querySelectorAll('.choroplethlayer path, svg.svg-map path').length")  # plotly's map or the served SVG
        if n:
            drawn = driver.execute_script("return performance.now()")
            break
        if "/peta" not in url and driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.1)
    time.sleep(1.5)
    lcp = driver.execute_script("return window.__lcp")
    if os.environ.get("LCP_DEBUG"):
        print(url, driver.execute_script("return window.__lcpLog"))
    transfer = driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "return performance.getEntriesByType('resource').reduce((s, e) => s + (e.transferSize || 0), n ? n.transferSize : 0);")
    return {"lcp_s": lcp / 1000, "transfer_mb": transfer / 1e6, "map_s": drawn / 1000 if drawn else None, "wall_s": time.perf_counter() - t0}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--release-dir", default=str(ROOT / "data" / "releases"))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    port = free_port()
    proc = serve(str(Path(args.release_dir).resolve()), port)
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", SLOW_4G)
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 4})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": OBSERVE})
        print(f"machine: {machine()}; Chromium, DevTools Slow 4G (562.5 ms, 1.44/0.675 Mbit/s), CPU 4× slower, cold cache; "
              f"median of {args.runs} loads")
        print(f"{'page':<32} {'transfer MB':>11} {'LCP s':>7} {'map drawn s':>12}")
        for page in PAGES:
            runs = [load(driver, f"http://127.0.0.1:{port}{page}") for _ in range(args.runs)]
            med = lambda k: statistics.median(r[k] for r in runs) if all(r[k] is not None for r in runs) else None
            drawn = med("map_s")
            print(f"{page:<32} {med('transfer_mb'):11.2f} {med('lcp_s'):7.2f} {'' if drawn is None else f'{drawn:12.2f}'}")
    finally:
        driver.quit()
        proc.kill()


if __name__ == "__main__":
    main()
