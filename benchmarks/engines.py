"""Pipeline benchmark: persons/s, wall time and peak memory per stage, at several scales.

    .venv/bin/python benchmarks/engines.py            # scales 0.001 and 0.01
    .venv/bin/python benchmarks/engines.py --big      # adds 0.05
    .venv/bin/python benchmarks/engines.py --scales 0.01,0.0333 --engines duckdb,spark
    .venv/bin/python benchmarks/engines.py --scales 0.0333 --engines spark   # Spark's times alone (no second --input build)
    .venv/bin/python benchmarks/engines.py --scales 0.0333 --partitions-only   # generate only: Gini windows, bare GROUP BY

Each scale builds a release in a fresh process (the whole country, primary rules only:
complementary suppression has its own benchmark, disclosure.py), then the
aggregation stage is compared with a bare DuckDB `GROUP BY kecamatan` over the
same parquet, as a ratio measured in the same run (machines here are noisy).

With --engines, the register generated for a scale is then built again by each engine from
the very same files (`build --input <those files> --sintetis --engine E`), so the engines
differ in nothing but the engine. Peak memory is the build's whole process tree, sampled
every 0.2 s (Spark's JVM is a child of the build), beside each stage's peak from the build
report. The two releases' indicators.parquet are compared cell by cell, and the Gini's window
partitions are measured (aggregate._ranked): households per region and year, what one window
over a region would sort, against the bands and the amounts within a band it does sort.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
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


def run_build(args: list[str]) -> tuple[float, int, Path, Path]:
    """One `python -m pipeline build …` in a fresh process: wall seconds, peak RSS of its whole
    process tree (the build and any JVM it starts), the release folder and the build's own work
    folder (where a generated register lies)."""
    import psutil

    out = Path(tempfile.mkdtemp(prefix="bench-rel-"))
    work = Path(tempfile.mkdtemp(prefix="bench-work-"))
    log = open(work / "build.log", "w")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "build", *args, "--out", str(out), "--work", str(work)],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    root, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            break
        rss = 0
        for p in tree:
            try:
                rss += p.memory_info().rss
            except psutil.Error:
                pass
        peak = max(peak, rss)
        time.sleep(0.2)
    wall = time.perf_counter() - t0
    log.close()
    if proc.returncode != 0:
        raise SystemExit((work / "build.log").read_text()[-3000:])
    rel = (out / "current").resolve()
    return wall, peak, rel, work


def summary(rel: Path, wall: float, tree_peak: int, label: str) -> dict:
    report = json.loads((rel / "laporan_build.json").read_text())
    agg = next(s["detik"] for s in report["tahap"] if s["stage"] == "aggregate")
    size = sum(p.stat().st_size for p in rel.rglob("*") if p.is_file())
    return {"label": label, "persons": report["orang_dibaca"], "wall": wall, "stages": report["tahap"], "agg": agg,
            "rows": report["baris_rilis"], "bytes": size, "tree_peak": tree_peak, "engine": report.get("mesin", {}), "release": rel}


def run_scale(scale: float, label: str = "") -> dict:
    """The whole country generated at this scale and built on DuckDB (primary rules only)."""
    wall, peak, rel, work = run_build(["--preset", "demo", "--protection", "primer", "--scale", str(scale)])
    r = summary(rel, wall, peak, label or f"scale {scale}")
    r["scale"], r["input"], r["workdir"] = scale, work / rel.name, work
    r["bare"] = bare_group_by(r["input"])
    return r


def partition_sizes(folder: Path) -> list[dict]:
    """The Gini's window partitions (aggregate._ranked), largest per level (category total):
    households, what one window over a region would sort; distinct whole-rupiah amounts, the
    histogram's rows; bands of BAND_RUPIAH per region, the offset window's rows; distinct amounts
    in one band, the in-band window's rows."""
    sys.path.insert(0, str(ROOT))
    from pipeline.aggregate import BAND_RUPIAH

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    rows = []
    for level, key in (("kecamatan", "kode_kecamatan"), ("kabupaten_kota", "left(kode_kecamatan, 5)"),
                       ("provinsi", "left(kode_kecamatan, 2)"), ("nasional", "'00'")):
        hh, amounts, bands, in_band = con.execute(
            f"""WITH h AS (SELECT tahun, {key} AS k, round(konsumsi_per_kapita) AS x, floor(round(konsumsi_per_kapita) / {BAND_RUPIAH}) AS b
                           FROM read_parquet('{folder}/households.parquet'))
                SELECT (SELECT max(n) FROM (SELECT count(*) AS n FROM h GROUP BY tahun, k)),
                       (SELECT max(n) FROM (SELECT count(DISTINCT x) AS n FROM h GROUP BY tahun, k)),
                       (SELECT max(n) FROM (SELECT count(DISTINCT b) AS n FROM h GROUP BY tahun, k)),
                       (SELECT max(n) FROM (SELECT count(DISTINCT x) AS n FROM h GROUP BY tahun, k, b))"""
        ).fetchone()
        rows.append({"level": level, "households": int(hh), "amounts": int(amounts), "bands": int(bands), "in_band": int(in_band)})
    return rows


def generate_only(scale: float) -> Path:
    """The demo's register at this scale written as parquet, nothing else (when a build at this scale
    does not fit the machine, its window partitions and a bare GROUP BY still can be measured)."""
    sys.path.insert(0, str(ROOT))
    from pipeline.build import write_register
    from pipeline.calibration import province_targets
    from pipeline.reference import read_statistik, read_wilayah
    from pipeline.settings import PRESETS, reference_dir

    preset, ref = PRESETS["demo"], reference_dir()
    wilayah = read_wilayah(ref, preset.provinces)
    targets = province_targets(read_statistik(ref), sorted(wilayah.loc[wilayah.tingkat == "provinsi", "kode"]), preset.years)
    work = Path(tempfile.mkdtemp(prefix="bench-work-"))
    opt = argparse.Namespace(scale=scale, seed=preset.seed, years=preset.years, corrupt_rate=0.0)
    t0 = time.perf_counter()
    _, persons = write_register(wilayah, targets, opt, work)
    print(f"scale {scale}: {persons:,} person-years generated in {time.perf_counter() - t0:.0f} s", flush=True)
    return work


def same_cells(a: Path, b: Path) -> tuple[int, int]:
    """(rows, cells that differ) between two releases' indicators.parquet, every column, NaN == NaN."""
    import pandas as pd

    key = ["indicator_id", "kode_wilayah", "tahun", "dimensi", "kategori"]
    x, y = (pd.read_parquet(r / "indicators.parquet").sort_values(key).reset_index(drop=True) for r in (a, b))
    if list(x.columns) != list(y.columns) or len(x) != len(y) or not x[key].equals(y[key]):
        return len(x), -1
    differ = sum(int((~((x[c] == y[c]) | (x[c].isna() & y[c].isna()))).sum()) for c in x.columns)
    return len(x), differ


def run_engines(scale: float, engines: list[str]) -> list[dict]:
    """Generate once at this scale (a DuckDB build, as run_scale), then build each engine from those files."""
    base = run_scale(scale, f"scale {scale}, generated (duckdb)")
    folder = base["input"]
    results = [base]
    for engine in engines:
        wall, peak, rel, work = run_build(["--preset", "demo", "--protection", "primer", "--input", str(folder), "--sintetis", "--engine", engine])
        r = summary(rel, wall, peak, f"scale {scale}, the same files (--input), {engine}")
        r["scale"], r["bare"], r["workdir"] = scale, bare_group_by(folder), work
        results.append(r)
    base["partitions"] = partition_sizes(folder)
    if len(engines) >= 2:
        base["identical"] = same_cells(results[1]["release"], results[2]["release"])
    # One engine alone is not compared with the build that generated its files: that build weights counts by
    # 1/scale, a build from --input (an extract: one record, one household or person) does not.
    for r in results:  # the register and the releases: gigabytes at 1:30
        shutil.rmtree(r["release"].parent, ignore_errors=True)
        shutil.rmtree(r["workdir"], ignore_errors=True)
    return results


def show(r: dict) -> None:
    print(f"\n{r['label']}: {r['persons']:,} person-years, total {r['wall']:.1f} s, {r['persons'] / r['wall']:,.0f} persons/s; "
          f"peak memory of the process tree {r['tree_peak'] / 2**20:,.0f} MiB; release {r['rows']:,} rows, {r['bytes'] / 1e6:.1f} MB")
    for s in r["stages"]:
        print(f"  {s['stage']:<10} {s['detik']:>7.1f} s  peak {s['puncak_memori_mib']:>7.0f} MiB  {r['persons'] / max(s['detik'], 1e-9):>12,.0f} persons/s")
    if "bare" in r:
        print(f"  aggregate / bare DuckDB GROUP BY kecamatan: {r['agg']:.1f} s / {r['bare']:.2f} s = {r['agg'] / r['bare']:.1f}x")
    if r.get("engine"):
        print(f"  engine: {json.dumps(r['engine'], ensure_ascii=False)}")


def show_partitions(scale: float, rows: list[dict]) -> None:
    print(f"\n  Gini windows at scale {scale}, largest partition per level (a window over households would sort the first column;"
          f" _ranked sorts the last two):")
    print(f"    {'':<15} {'households':>11} {'amounts':>9} {'bands':>7} {'amounts in a band':>18}")
    for p in rows:
        print(f"    {p['level']:<15} {p['households']:>11,} {p['amounts']:>9,} {p['bands']:>7,} {p['in_band']:>18,}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--big", action="store_true", help="also run scale 0.05")
    ap.add_argument("--scales", help="comma-separated scales (default 0.001,0.01)")
    ap.add_argument("--engines", help="e.g. duckdb,spark: build each scale's generated files again on each engine (--input)")
    ap.add_argument("--partitions-only", action="store_true",
                    help="only generate each scale's register and measure the Gini's window partitions and a bare GROUP BY")
    args = ap.parse_args()
    scales = [float(s) for s in args.scales.split(",")] if args.scales else [0.001, 0.01] + ([0.05] if args.big else [])
    print(f"machine: {machine()}")
    if args.partitions_only:
        for scale in scales:
            folder = generate_only(scale)
            print(f"  bare DuckDB GROUP BY kecamatan over its persons: {bare_group_by(folder):.2f} s")
            show_partitions(scale, partition_sizes(folder))
            shutil.rmtree(folder, ignore_errors=True)
        return
    if args.engines:
        for scale in scales:
            results = run_engines(scale, args.engines.split(","))
            for r in results:
                show(r)
            base = results[0]
            show_partitions(scale, base["partitions"])
            if "identical" in base:
                rows, differ = base["identical"]
                print(f"  indicators.parquet, {' vs '.join(args.engines.split(','))}: {rows:,} rows, {differ} cells differ")
        return
    results = []
    for s in scales:
        results.append(run_scale(s))
        show(results[-1])
    if len(results) > 1:
        a, b = results[0], results[-1]
        growth = (b["wall"] / a["wall"]) / (b["persons"] / a["persons"])
        print(f"\ncost growth vs data growth ({a['scale']} -> {b['scale']}): {growth:.2f} (<= 1 means no worse than linear)")


if __name__ == "__main__":
    main()
