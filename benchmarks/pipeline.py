"""Pipeline benchmark: stage times, persons/s, peak memory and how each stage scales.

    .venv/bin/python benchmarks/pipeline.py                       # 1:100, 1:30, 1:10 (about an hour on 2 cores)
    .venv/bin/python benchmarks/pipeline.py --scales 0.001,0.01   # a quick look
    .venv/bin/python benchmarks/pipeline.py --engine duckdb       # the engine the build aggregates on
    .venv/bin/python benchmarks/pipeline.py --scales 0.1 --keep K10 # one scale on its own (kept: K10/result-0.1.json)
    .venv/bin/python benchmarks/pipeline.py --table K K10         # the table and exponents from kept results

Each scale builds a release in a fresh process (the whole country, primary rules only:
complementary suppression has its own benchmark, disclosure.py; its input, the number of
cells, is printed here for every scale, since its cost follows the cells, not the persons).
Per stage: wall and CPU seconds, persons/s and the build's own peak memory; per build the
process's peak RSS (wait4) and the work folder's peak size on disk. Then the scaling exponent
of every stage between scales, log(time ratio) / log(persons ratio) (1 = linear), and the
DuckDB stages against a bare DuckDB `GROUP BY` over the same persons file, as a ratio
measured in the same run (machines here are noisy and shared: read ratios, not seconds).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
# How each engine is asked for on the build's command line (another engine adds its own arguments).
ENGINES = {"duckdb": []}
DUCKDB_STAGES = ("validate", "aggregate")


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {mem:.1f} GiB memory, load average {os.getloadavg()[0]:.1f} at start"


def folder_bytes(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except FileNotFoundError:  # DuckDB removes its spill files as it goes
                pass
    return total


class DiskPeak:
    """The largest size a folder reaches (sampled every 2 s): the register, DuckDB's file and its spill."""

    def __init__(self, path: Path):
        self.path, self.peak, self._stop = path, 0, threading.Event()

    def _run(self):
        while not self._stop.wait(2.0):
            self.peak = max(self.peak, folder_bytes(self.path))

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, folder_bytes(self.path))


def bare_group_by(work: Path) -> float:
    """The floor: one join and one GROUP BY kecamatan over the same files, nothing else."""
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    t0 = time.perf_counter()
    con.execute(
        f"""SELECT h.tahun, h.kode_kecamatan, count(*) AS n, count_if(p.umur >= 15) AS n15
            FROM read_parquet('{work}/persons.parquet') p JOIN read_parquet('{work}/households.parquet') h USING (tahun, id_rt)
            GROUP BY ALL"""
    ).fetchall()
    return time.perf_counter() - t0


def run_scale(scale: float, engine: str, root: Path) -> dict:
    out, work = root / f"rel-{scale}", root / f"work-{scale}"
    cmd = [sys.executable, "-m", "pipeline", "build", "--preset", "demo", "--protection", "primer", "--scale", str(scale),
           "--out", str(out), "--work", str(work), *ENGINES[engine]]
    log = root / f"build-{scale}.log"
    t0 = time.perf_counter()
    with DiskPeak(root) as disk, log.open("w") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build at scale {scale} failed:\n" + log.read_text()[-3000:])
    rel = (out / "current").resolve()
    report = json.loads((rel / "laporan_build.json").read_text())
    run_work = next(p for p in work.iterdir() if p.is_dir())
    register_bytes = sum((run_work / f).stat().st_size for f in ("persons.parquet", "households.parquet"))
    bare = bare_group_by(run_work)
    return {"scale": scale, "engine": engine, "persons": report["orang_dibaca"], "wall": wall, "stages": report["tahap"],
            "bare": bare, "rows": report["baris_rilis"], "cells": report["sel"]["total"], "s1": report["sel"]["S1"],
            "max_rss": usage.ru_maxrss * 1024, "disk_peak": disk.peak, "register_bytes": register_bytes,
            "release_bytes": sum(p.stat().st_size for p in rel.rglob("*") if p.is_file())}


def exponent(a: float, b: float, na: float, nb: float) -> float:
    return math.log(b / a) / math.log(nb / na) if a > 0 and b > 0 and na != nb else float("nan")


def print_results(results: list[dict]) -> None:
    gib = 2**30
    for r in results:
        print(f"\n### {r['engine']}, scale {r['scale']} (1:{1 / r['scale']:.0f}): {r['persons']:,} person-years, "
              f"total {r['wall']:.0f} s, {r['persons'] / r['wall']:,.0f} persons/s, peak RSS {r['max_rss'] / gib:.2f} GiB, "
              f"work folder peak {r['disk_peak'] / gib:.2f} GiB (register parquet {r['register_bytes'] / gib:.2f} GiB); "
              f"{r['cells']:,} cells ({r['s1']:,} S1), release {r['rows']:,} rows, {r['release_bytes'] / 1e6:.1f} MB")
        print("| stage | wall s | CPU s | persons/s | peak MiB | × bare GROUP BY |")
        print("|---|---|---|---|---|---|")
        for s in r["stages"]:
            ratio = f"{s['detik'] / r['bare']:.0f}" if s["stage"] in DUCKDB_STAGES else ""
            rate = f"{r['persons'] / s['detik']:,.0f}" if s["detik"] >= 0.05 else ""  # not the engine's start of 0.0 s
            print(f"| {s['stage']} | {s['detik']:.1f} | {s.get('detik_cpu', float('nan')):.1f} | "
                  f"{rate} | {s['puncak_memori_mib']:,.0f} | {ratio} |")
        print(f"| bare DuckDB GROUP BY | {r['bare']:.2f} | | {r['persons'] / r['bare']:,.0f} | | 1 |")
    if len(results) < 2:
        return
    pairs = list(zip(results, results[1:])) + ([(results[0], results[-1])] if len(results) > 2 else [])
    print("\n### Scaling exponent per stage, log(time ratio) / log(persons ratio), wall (CPU)")
    print("| stage | " + " | ".join(f"1:{1 / a['scale']:.0f} → 1:{1 / b['scale']:.0f}" for a, b in pairs) + " |")
    print("|---|" + "---|" * len(pairs))
    stages = [s["stage"] for s in results[0]["stages"]]
    for name in stages + ["bare GROUP BY", "whole build"]:
        cells = []
        for a, b in pairs:
            if name == "bare GROUP BY":
                ta, tb, ca, cb = a["bare"], b["bare"], float("nan"), float("nan")
            elif name == "whole build":
                ta, tb, ca, cb = a["wall"], b["wall"], float("nan"), float("nan")
            else:
                sa = next(s for s in a["stages"] if s["stage"] == name)
                sb = next(s for s in b["stages"] if s["stage"] == name)
                ta, tb, ca, cb = sa["detik"], sb["detik"], sa.get("detik_cpu", float("nan")), sb.get("detik_cpu", float("nan"))
            e, ec = exponent(ta, tb, a["persons"], b["persons"]), exponent(ca, cb, a["persons"], b["persons"])
            cells.append(f"{e:.2f}" + (f" ({ec:.2f})" if not math.isnan(ec) else ""))
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("\n(protect and geometry work on cells and boundaries, not persons: their exponents are near 0.)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", default="0.01,0.0333,0.1", help="comma-separated scales, smallest first")
    ap.add_argument("--engine", default="duckdb", choices=sorted(ENGINES))
    ap.add_argument("--keep", type=Path, help="build here and keep the folders (default: a temporary folder, removed)")
    ap.add_argument("--table", type=Path, nargs="+", metavar="KEEP",
                    help="build nothing: print the table and exponents from the result-*.json of earlier --keep runs")
    args = ap.parse_args()
    if args.table:
        results = [json.loads(f.read_text()) for d in args.table for f in d.glob("result-*.json")]
        print_results(sorted(results, key=lambda r: r["persons"]))
        return
    scales = [float(s) for s in args.scales.split(",")]
    print(f"machine: {machine()}")
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        results = []
        for s in scales:
            results.append(run_scale(s, args.engine, root))
            # Kept with the builds, so that scales run apart (or at once, on a shared machine) make one table (--table).
            (root / f"result-{s}.json").write_text(json.dumps(results[-1], indent=1))
            print(f"scale {s}: done in {results[-1]['wall']:.0f} s", file=sys.stderr, flush=True)
        print_results(results)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
