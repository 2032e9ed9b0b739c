"""Lighthouse's mobile run, the page-speed benchmark of record (issue 17).

    .venv/bin/python benchmarks/lighthouse.py [--release-dir DIR] [--runs 3] [--pages /peta /target …]

Installs Lighthouse 13 from npm into a cache folder if it is missing (never a browser: it
drives Debian's chromium), serves the release with gunicorn as production does, serves an
empty Dash page with compress=True beside it (the framework's floor, measured in the same
run), then runs Lighthouse's default mobile preset (simulated slow 4G, 4× CPU slowdown) on
every page `--runs` times and prints medians: performance score, LCP, total blocking time,
bytes transferred, accessibility score. Targets (issue 17): performance ≥ 0.90, LCP ≤ 2.5 s,
TBT ≤ 200 ms, transfer ≤ 1 MB (1.5 MB for the national kabupaten/kota map), accessibility 1.0.
The machine is shared: read the floor beside the pages, not the decimals.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.page_load import free_port, machine, wait_until_up  # noqa: E402

CACHE = Path(os.environ.get("DTSEN_LIGHTHOUSE_DIR", Path.home() / ".cache" / "dtsen-bench" / "lighthouse"))
LIGHTHOUSE_VERSION = "13"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --disable-sync"
EMPTY_DASH = """
import dash
from dash import html
app = dash.Dash(__name__, compress=True)
app.layout = html.Div("")
server = app.server
"""


def lighthouse_bin() -> Path:
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if shutil.which("npm") is None:
            sys.exit("npm is needed to install Lighthouse (Debian: apt-get install npm)")
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {CACHE} …", flush=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(CACHE), f"lighthouse@{LIGHTHOUSE_VERSION}"],
                       check=True, stdout=subprocess.DEVNULL)
    return binary


def gunicorn(app_spec: str, port: int, cwd: Path, env: dict) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", app_spec],
                            cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return wait_until_up(proc, f"http://127.0.0.1:{port}/", app_spec, tries=240)


def run_lighthouse(binary: Path, url: str) -> dict:
    out = subprocess.run([str(binary), url, "--quiet", "--output=json", "--output-path=stdout",
                          "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}"],
                         env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, capture_output=True, text=True, timeout=300)
    if out.returncode != 0 or not out.stdout.strip():
        raise RuntimeError(f"lighthouse failed on {url}: {out.stderr[-500:]}")
    report = json.loads(out.stdout)
    audits, cats = report["audits"], report["categories"]
    return {"perf": cats["performance"]["score"], "a11y": cats["accessibility"]["score"],
            "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "tbt_ms": audits["total-blocking-time"]["numericValue"],
            "kb": audits["total-byte-weight"]["numericValue"] / 1024,
            "requests": len(audits["network-requests"]["details"]["items"])}


def _median(values: list):
    known = [v for v in values if v is not None]  # Lighthouse gives no score when a metric failed
    return statistics.median(known) if known else None


def _fmt(value, width: int, decimals: int) -> str:
    return f"{'—':>{width}}" if value is None else f"{value:{width}.{decimals}f}"


def default_pages(release_dir: Path) -> list[str]:
    """The issue's pages, with regions taken from the release (Jawa Barat and Garut on the demo)."""
    import duckdb

    regions = duckdb.sql(f"SELECT kode, tingkat FROM '{release_dir / 'current' / 'regions.parquet'}' ORDER BY kode").fetchall()
    by_level = {}
    for kode, level in regions:
        by_level.setdefault(level, []).append(kode)
    prov = "32" if "32" in by_level["provinsi"] else by_level["provinsi"][0]
    kab = "32.05" if "32.05" in by_level["kabupaten_kota"] else next(k for k in by_level["kabupaten_kota"] if k.startswith(prov))
    kec = next(k for k in by_level["kecamatan"] if k.startswith(kab + "."))
    return ["/", "/peta", "/peta?tingkat=kabupaten_kota", f"/peta?tingkat=kecamatan&induk={prov}", f"/wilayah/{prov}",
            f"/wilayah/{kab}", f"/wilayah/{kec}", "/indikator/persen_penduduk_miskin", "/target", "/cari?q=garut"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--release-dir", default=str(ROOT / "data" / "releases"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pages", nargs="*")
    args = ap.parse_args()
    release_dir = Path(args.release_dir).resolve()
    binary = lighthouse_bin()
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()
    pages = args.pages or default_pages(release_dir)
    portal_port, floor_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as floor_dir:
        (Path(floor_dir) / "empty_dash.py").write_text(EMPTY_DASH)
        procs = [gunicorn("app:server", portal_port, ROOT, {"DTSEN_RELEASE_DIR": str(release_dir)}),
                 gunicorn("empty_dash:server", floor_port, Path(floor_dir), {})]
        try:
            print(f"machine: {machine()}; Lighthouse {version}, mobile preset (simulated slow 4G, 4× CPU), Debian chromium; "
                  f"median of {args.runs} runs; release {release_dir}")
            print(f"{'page':<44} {'perf':>5} {'LCP s':>6} {'TBT ms':>7} {'KiB':>6} {'req':>4} {'a11y':>5}")
            targets = [("empty Dash page (floor)", f"http://127.0.0.1:{floor_port}/")] + [(p, f"http://127.0.0.1:{portal_port}{p}") for p in pages]
            for name, url in targets:
                runs = [run_lighthouse(binary, url) for _ in range(args.runs)]
                med = {k: _median([r[k] for r in runs]) for k in runs[0]}
                print(f"{name:<44} {_fmt(med['perf'], 5, 2)} {_fmt(med['lcp_s'], 6, 2)} {_fmt(med['tbt_ms'], 7, 0)} {_fmt(med['kb'], 6, 0)} "
                      f"{_fmt(med['requests'], 4, 0)} {_fmt(med['a11y'], 5, 2)}", flush=True)
        finally:
            for proc in procs:
                proc.kill()


if __name__ == "__main__":
    main()
