"""Test set-up shared by the whole suite.

One small release (preset `test`, three provinces) is built once per test
process before anything imports the app, and DTSEN_RELEASE_DIR points at it.
Browser tests run Debian's chromium through dash[testing]'s `dash_duo`.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]


def pytest_configure(config):
    # Usage counts of the tests' requests go to a temporary file, never into data/ (xdist workers share it).
    os.environ.setdefault("DTSEN_USAGE_DB", str(Path(tempfile.mkdtemp(prefix="dtsen-test-usage-")) / "penggunaan.sqlite3"))
    if os.environ.get("DTSEN_TEST_RELEASE_DIR"):
        os.environ["DTSEN_RELEASE_DIR"] = os.environ["DTSEN_TEST_RELEASE_DIR"]
        return
    out = Path(tempfile.mkdtemp(prefix="dtsen-test-releases-"))
    work = Path(tempfile.mkdtemp(prefix="dtsen-test-work-"))
    subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--preset", "test", "--out", str(out), "--work", str(work)],
        cwd=ROOT, check=True, capture_output=True,
    )
    os.environ["DTSEN_RELEASE_DIR"] = str(out)
    os.environ["DTSEN_TEST_RELEASE_DIR"] = str(out)  # xdist workers inherit it and skip the build


def pytest_setup_options():
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in CHROME_FLAGS + ["--window-size=1280,1000", "--lang=id-ID", "--accept-lang=id-ID,id"]:
        options.add_argument(flag)
    # A reader in Indonesia: Accept-Language names Indonesian first (Chromium's own default is en-US,
    # which would open every page in English, web/lang.py). English is asked for by ?lang=en.
    options.add_experimental_option("prefs", {"intl.accept_languages": "id-ID,id"})
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return options
