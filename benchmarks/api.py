"""Our read API against Datasette on the same release table (issue 16).

    python -m venv .venv-bench && .venv-bench/bin/pip install -r requirements-bench.txt   # once: Datasette
    .venv/bin/python benchmarks/api.py --release-dir data/releases [--seconds 8]

Both servers get the same filtered queries (one indicator × level × year, up to 1,000 rows, JSON):
ours through gunicorn (2 workers × 4 threads, as scripts/serve.sh runs it), Datasette on an
immutable SQLite copy of the release table with an index on (indicator_id, tingkat, tahun).
For 1, 10 and 50 concurrent clients (threads with keep-alive connections, in this process) it
prints requests/s and p50/p95 latency, and the machine's size. One run on a shared machine:
compare the two servers within the run, not against another run.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(port: int, path: str, timeout: float = 120) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", path)
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"server on port {port} did not answer {path}")


def to_sqlite(release: Path, db: Path) -> None:
    cells = pd.read_parquet(release / "indicators.parquet")
    regions = pd.read_parquet(release / "regions.parquet")[["kode", "kode_bps", "nama"]]
    cells = cells.merge(regions, left_on="kode_wilayah", right_on="kode", how="left").drop(columns="kode")
    with sqlite3.connect(db) as con:
        cells.to_sql("cells", con, index=False)
        con.execute("CREATE INDEX cells_view ON cells (indicator_id, tingkat, tahun)")


def load(port: int, paths: list[str], clients: int, seconds: float) -> dict:
    """`clients` threads, each with its own keep-alive connection, cycling through `paths`."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.time() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.time() < stop:
            path = rng.choice(paths)
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if ok:
                mine.append(time.perf_counter() - t0)
            else:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - t0
    lat = sorted(latencies)
    return {"rps": len(lat) / elapsed, "p50_ms": 1000 * statistics.median(lat) if lat else None,
            "p95_ms": 1000 * lat[int(0.95 * (len(lat) - 1))] if lat else None, "errors": errors[0], "requests": len(lat)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--release-dir", type=Path, default=ROOT / "data" / "releases")
    ap.add_argument("--bench-venv", type=Path, default=ROOT / ".venv-bench")
    ap.add_argument("--seconds", type=float, default=8.0)
    args = ap.parse_args()
    datasette = args.bench_venv / "bin" / "datasette"
    if not datasette.exists():
        print(f"Datasette not found at {datasette}: python -m venv {args.bench_venv} && {args.bench_venv}/bin/pip install -r requirements-bench.txt",
              file=sys.stderr)
        return 2
    release = (args.release_dir / "current").resolve()
    cells = pd.read_parquet(release / "indicators.parquet", columns=["indicator_id", "tingkat", "tahun", "dimensi"])
    views = cells[(cells.dimensi == "total") & cells.tingkat.isin(["provinsi", "kabupaten_kota"])][["indicator_id", "tingkat", "tahun"]].drop_duplicates()
    views = views.sample(min(40, len(views)), random_state=16)
    ours = [f"/api/v1/nilai?indikator={v.indicator_id}&tingkat={v.tingkat}&tahun={v.tahun}&dimensi=total&batas=1000" for v in views.itertuples()]
    theirs = [f"/db/cells.json?_shape=array&_size=1000&indicator_id={v.indicator_id}&tingkat={v.tingkat}&tahun={v.tahun}&dimensi=total"
              for v in views.itertuples()]

    tmp = Path(tempfile.mkdtemp(prefix="dtsen-api-bench-"))
    procs = []
    try:
        db = tmp / "db.db"
        t0 = time.time()
        to_sqlite(release, db)
        print(f"release {release.name}: {len(cells):,} rows; SQLite copy in {time.time() - t0:.1f} s")
        p_ours, p_ds = free_port(), free_port()
        env = {**os.environ, "DTSEN_RELEASE_DIR": str(args.release_dir)}
        procs.append(subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{p_ours}", "--workers", "2", "--threads", "4",
                                       "--timeout", "120", "app:server"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen([str(datasette), "serve", "--immutable", str(db), "-p", str(p_ds), "--setting", "max_returned_rows", "1000",
                                       "--setting", "sql_time_limit_ms", "10000"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_up(p_ours, ours[0])
        wait_up(p_ds, theirs[0])
        # Same answers? (row counts of the first few views)
        for a, b in list(zip(ours, theirs))[:5]:
            ca, cb = http.client.HTTPConnection("127.0.0.1", p_ours), http.client.HTTPConnection("127.0.0.1", p_ds)
            ca.request("GET", a)
            cb.request("GET", b)
            na, nb = len(json.loads(ca.getresponse().read())["data"]), len(json.loads(cb.getresponse().read()))
            assert na == nb, (a, na, nb)
        for server, port, paths in (("ours", p_ours, ours), ("datasette", p_ds, theirs)):  # warm both
            load(port, paths, 2, 2.0)
        print(f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB; "
              f"{len(ours)} views (one indicator × level × year), {args.seconds:g} s per run")
        print(f"{'clients':>7} {'server':>10} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        for clients in (1, 10, 50):
            for server, port, paths in (("ours", p_ours, ours), ("datasette", p_ds, theirs)):
                r = load(port, paths, clients, args.seconds)
                print(f"{clients:>7} {server:>10} {r['rps']:>8.1f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['errors']:>7}")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
