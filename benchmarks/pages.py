"""Search latency and page weights (ISSUE 6).

    .venv/bin/python benchmarks/pages.py [--release-dir data/releases]

(a) Search: every prefix of 40 queries people type (typos, abbreviations, missing
    spaces), i.e. one search per keystroke, through `/api/cari` in the Flask test
    client; p50 / p95 / max server time in ms.
(b) Page weights: the served HTML of each page (what a phone receives before any
    script), raw and gzipped, and the server time of a warm request.
Printed with the machine's size; the machine is shared, so read p95 as indicative.
"""
from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUERIES = ["kab bandung", "jawa tmur", "kabbandung", "kemiskinan", "sleman", "jogja", "kota yogya", "aceh selatan", "tegalrejo",
           "pengangguran", "gini", "tpt", "sanitasi", "surabya", "makasar", "kab. bogor", "kota bekasi", "papua pegunungan",
           "jayapura", "ntt", "sumut", "denpasar", "kec. gambir", "mataram", "ambon", "pontianak", "banjarmasin", "palembang",
           "bansos", "sekolah", "stunting", "jkn", "rumah layak", "listrik", "desil", "lansia", "disabilitas", "kupang", "ternate", "medan"]
PAGES = ["/", "/peta", "/peta?tingkat=kabupaten_kota", "/indikator", "/indikator/persen_penduduk_miskin", "/cari?q=bandung",
         "/target", "/target?indikator=persen_penduduk_miskin&tingkat=kabupaten_kota", "/wilayah/00", "/wilayah/32", "/wilayah/32.04",
         "/wilayah/32.04.01", "/tentang"]


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {mem:.1f} GiB memory"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--release-dir", default=str(Path(__file__).resolve().parent.parent / "data" / "releases"))
    args = ap.parse_args()
    os.environ["DTSEN_RELEASE_DIR"] = args.release_dir
    import logging

    from app import create_app
    from data import queries

    app = create_app(Path(args.release_dir))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    client = app.server.test_client()
    rel = queries.release()
    t0 = time.perf_counter()
    queries.search_index(queries.release())
    build = time.perf_counter() - t0
    times = []
    for q in QUERIES:
        for end in range(2, len(q) + 1):
            r = client.get("/api/cari", query_string={"q": q[:end]})
            assert r.status_code == 200, r.get_data(as_text=True)
            times.append(r.get_json()["milidetik"])
    times.sort()
    print(f"release {rel.id} ({len(rel.regions):,} regions, {len(rel.catalog)} indicators); machine: {machine()}")
    print(f"search: index built in {build:.2f} s; {len(times)} keystrokes: p50 {statistics.median(times):.1f} ms, "
          f"p95 {times[int(0.95 * len(times)) - 1]:.1f} ms, max {times[-1]:.1f} ms (server time inside /api/cari)")
    print(f"{'page':<62} {'HTML KB':>8} {'gzip KB':>8} {'warm ms':>8}")
    for path in PAGES:
        client.get(path)  # warm the caches
        t0 = time.perf_counter()
        r = client.get(path)
        ms = 1000 * (time.perf_counter() - t0)
        raw = r.get_data()
        print(f"{path:<62} {len(raw) / 1024:8.1f} {len(gzip.compress(raw, 6)) / 1024:8.1f} {ms:8.0f}")


if __name__ == "__main__":
    main()
