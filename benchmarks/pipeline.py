"""Pipeline benchmark: persons/s, wall time and peak memory per stage, at several scales.

    .venv/bin/python benchmarks/pipeline.py            # scales 0.001 and 0.01
    .venv/bin/python benchmarks/pipeline.py --big      # adds 0.05

Each scale builds a release in a fresh process (the whole country, primary rules only:
complementary suppression has its own benchmark, disclosure.py), then the
aggregation stage is compared with a bare DuckDB `GROUP BY kecamatan` over the
same parquet, as a ratio measured in the same run (machines here are noisy).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {mem:.1f} GiB memory"


def bare_group_by(work: Path) -> float:
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    t0 = time.perf_counter()
    con.execute(
        f"""SELECT h.tahun, h.kode_kecamatan, count(*) AS n, count_if(p.umur >= 15) AS n15
            FROM read_parquet('{work}/persons.parquet') p JOIN read_parquet('{work}/households.parquet') h USING (tahun, id_rt)
            GROUP BY ALL"""
    ).fetchall()
    return time.perf_counter() - t0


def run_scale(scale: float) -> dict:
    out, work = Path(tempfile.mkdtemp(prefix="bench-rel-")), Path(tempfile.mkdtemp(prefix="bench-work-"))
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "pipeline", "build", "--preset", "demo", "--protection", "primer", "--scale", str(scale), "--out", str(out), "--work", str(work)],
                         cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(res.stderr[-2000:])
    rel = (out / "current").resolve()
    report = json.loads((rel / "laporan_build.json").read_text())
    run_work = next(work.iterdir())
    bare = bare_group_by(run_work)
    agg = next(s["detik"] for s in report["tahap"] if s["stage"] == "aggregate")
    size = sum(p.stat().st_size for p in rel.rglob("*") if p.is_file())
    return {"scale": scale, "persons": report["orang_dibaca"], "wall": wall, "stages": report["tahap"], "bare": bare, "agg": agg, "rows": report["baris_rilis"], "bytes": size}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--big", action="store_true", help="also run scale 0.05")
    args = ap.parse_args()
    scales = [0.001, 0.01] + ([0.05] if args.big else [])
    print(f"machine: {machine()}")
    results = [run_scale(s) for s in scales]
    for r in results:
        print(f"\nscale {r['scale']}: {r['persons']:,} person-years, total {r['wall']:.1f} s, {r['persons'] / r['wall']:,.0f} persons/s; "
              f"release {r['rows']:,} rows, {r['bytes'] / 1e6:.1f} MB")
        for s in r["stages"]:
            print(f"  {s['stage']:<10} {s['detik']:>7.1f} s  peak {s['puncak_memori_mib']:>7.0f} MiB  {r['persons'] / max(s['detik'], 1e-9):>12,.0f} persons/s")
        print(f"  aggregate / bare DuckDB GROUP BY kecamatan: {r['agg']:.1f} s / {r['bare']:.2f} s = {r['agg'] / r['bare']:.1f}x")
    if len(results) > 1:
        a, b = results[0], results[-1]
        growth = (b["wall"] / a["wall"]) / (b["persons"] / a["persons"])
        print(f"\ncost growth vs data growth ({a['scale']} -> {b['scale']}): {growth:.2f} (<= 1 means no worse than linear)")


if __name__ == "__main__":
    main()
