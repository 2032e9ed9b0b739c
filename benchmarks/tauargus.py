"""Our complementary suppression (with its pruning pass) and audit against tau-ARGUS (pytauargus), on the same subtables.

    .venv/bin/pip install -r requirements-bench.txt       # pytauargus: the tau-ARGUS engine with HiGHS
    .venv/bin/python benchmarks/tauargus.py [--work build/work/demo-…] [--tables 12]

Subtables from the demo's secure microdata (the newest build/work/demo-* folder; run
`python -m pipeline build --preset demo` first), households in 2025, unweighted, with
all margins: `--tables` provinces' kabupaten/kota × desil and as many kabupaten's
kecamatan × urban/rural — small enough for tau-ARGUS's optimal method.

For each subtable, tau-ARGUS builds the table and marks primaries with FREQ(10,15)
(fewer than 10 contributors; protection level 15 % of the value). We read its table
back in JJ format — the same cells, bounds, costs, primaries and protection levels —
and protect that with ours, so both solve exactly the same problem. Then:

- secondaries (S2) and their summed value for tau-ARGUS OPT (Fischetti–Salazar),
  tau-ARGUS MOD (HiTaS), ours and the naive baseline (benchmarks/baseline.py), and wall
  time. OPT is the least a safe pattern can cost: a method below it must leak;
- each pattern audited twice: by our audit and by tau-ARGUS's audit (`audit_jj`,
  the port of intervalle.exe) on the pattern written as JJ: cells each finds under-protected.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.baseline import naive_baseline  # noqa: E402
from pipeline.disclosure.audit import audit  # noqa: E402
from pipeline.disclosure.complementary import protect  # noqa: E402
from pipeline.disclosure.jj import read_jj, write_jj  # noqa: E402

K = 10


def subtables(work: Path, n: int) -> list[tuple[str, pd.DataFrame]]:
    """Two kinds, n of each: a province's kabupaten/kota × desil, and a kabupaten's
    kecamatan × urban/rural; rows (dimension 1) and columns (dimension 2) with margins."""
    h = pd.read_parquet(work / "households.parquet", columns=["tahun", "kode_kecamatan", "desil", "perkotaan"])
    h = h[h.tahun == 2025]
    kab = h.kode_kecamatan.str.rsplit(".", n=1).str[0]
    out = []
    for prov in sorted(h.kode_kecamatan.str[:2].unique())[:n]:
        part = h.kode_kecamatan.str.startswith(prov + ".")
        out.append((f"{prov} kab×desil", pd.DataFrame({"d1": kab[part].str.replace(".", "", regex=False),
                                                      "d2": h.desil[part].astype(str).str.zfill(2), "one": 1.0})))
    for k in sorted(kab.unique())[::max(1, kab.nunique() // n)][:n]:
        part = kab == k
        out.append((f"{k} kec×kota", pd.DataFrame({"d1": h.kode_kecamatan[part].str.replace(".", "", regex=False),
                                                  "d2": np.where(h.perkotaan[part], "K", "D"), "one": 1.0})))
    return out


def tau_run(micro: pd.DataFrame, method: str, workdir: Path):
    from pytauargus import protect as tau_protect

    t0 = time.perf_counter()
    res = tau_protect(micro, ["d1", "d2"], response="one", safety_rules="FREQ(10,15)", suppress=f"{method}(1)", workdir=str(workdir))
    seconds = time.perf_counter() - t0
    status = res.tables[0].dataframe()["status"].to_numpy()
    return res, status, seconds


def tau_jj(res, path: Path) -> None:
    """The engine's own JJ export of table 0 (what its audit and OPT read)."""
    eng = res.engine
    lo, hi = eng._table_cell_bounds(0)  # as the engine's audit calls it (no public wrapper)
    if not eng._tau.write_jj_format(0, str(path), lo, hi, False, False, False):
        raise RuntimeError("tau-ARGUS could not write JJ")


def tau_audit(path: Path, table, primary, suppressed, lpl, upl) -> int:
    from pytauargus.engine import audit_jj

    write_jj(path, table, primary, suppressed, lpl, upl)
    return sum(1 for r in audit_jj(str(path)) if r["unsafe"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, default=None, help="a demo build's secure work folder")
    ap.add_argument("--tables", type=int, default=6)
    args = ap.parse_args()
    try:
        import pytauargus
    except ImportError:
        sys.exit("pytauargus is not installed: .venv/bin/pip install -r requirements-bench.txt")
    work = args.work or max(Path("build/work").glob("demo-*"), key=lambda p: p.stat().st_mtime, default=None)
    if work is None or not (work / "households.parquet").is_file():
        sys.exit("no demo microdata: run `python -m pipeline build --preset demo` first, or pass --work")
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"machine: {os.cpu_count()} cores, {mem:.1f} GiB memory; pytauargus {pytauargus.__version__ if hasattr(pytauargus, '__version__') else ''}")
    print(f"microdata: {work}; subtables of households in 2025 with margins; primaries FREQ(10,15)\n")
    methods = ("OPT", "MOD", "ours", "naive")
    print(f"{'subtable':>16} {'cells':>5} {'S1':>4} | " + " | ".join(f"{m + ' S2':>8} {'value':>6} {'s':>5}" for m in methods)
          + " | under-protected (our audit / tau audit): " + ", ".join(methods))
    totals = {m: [0, 0.0, 0.0] for m in methods}
    exposed = {m: [0, 0] for m in methods}
    both = 0
    work = work.resolve()
    home = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.chdir(tmp)  # the engine writes its solver logs into the working directory
        for kab, micro in subtables(work, args.tables):
            row = {}
            opt, opt_status, t_opt = tau_run(micro, "OPT", tmp / f"{kab}-opt")
            tau_jj(opt, tmp / "opt.JJ")
            prob = read_jj(tmp / "opt.JJ")
            t, prim = prob.table, prob.primary
            if len(opt_status) != t.n_cells:
                raise RuntimeError("tau-ARGUS's table and its JJ export differ in size")
            patterns = {"OPT": (prob.suppressed, t_opt)}
            _, mod_status, t_mod = tau_run(micro, "MOD", tmp / f"{kab}-mod")
            patterns["MOD"] = (prim | np.isin(mod_status, ["M", "m"]), t_mod)
            t0 = time.perf_counter()
            ours, _, _ = protect(t, prim, prob.lpl, prob.upl, K)
            patterns["ours"] = (ours, time.perf_counter() - t0)
            t0 = time.perf_counter()
            patterns["naive"] = (naive_baseline(t, prim, (t.value > 0) & ~prim), time.perf_counter() - t0)
            for name, (sup, secs) in patterns.items():
                s2 = sup & ~prim
                value = float(t.value[s2].sum())
                ours_says = len(audit(t, sup, prim, prob.lpl, prob.upl).failures)
                tau_says = tau_audit(tmp / f"{name}.JJ", t, prim, sup, prob.lpl, prob.upl)
                row[name] = (int(s2.sum()), value, secs, ours_says, tau_says)
                totals[name][0] += int(s2.sum())
                totals[name][1] += value
                totals[name][2] += secs
                exposed[name][0] += ours_says
                exposed[name][1] += tau_says
            both += 1
            cells = f"{kab:>16} {t.n_cells:>5} {int(prim.sum()):>4}"
            print(cells + "".join(f" | {row[m][0]:>8} {row[m][1]:>6.0f} {row[m][2]:>5.1f}" for m in methods)
                  + " | " + ", ".join(f"{row[m][3]}/{row[m][4]}" for m in methods))
        os.chdir(home)
    print(f"\nover {both} subtables:")
    for m, (n, v, s) in totals.items():
        rel = f"; {100 * (n / max(totals['OPT'][0], 1) - 1):+.0f} % cells, {100 * (v / max(totals['OPT'][1], 1) - 1):+.0f} % value vs OPT" if m != "OPT" else ""
        print(f"  {m:>5}: S2 {n} cells, value {v:.0f}, {s:.1f} s{rel}; under-protected by our audit {exposed[m][0]}, by tau-ARGUS's {exposed[m][1]}")


if __name__ == "__main__":
    main()
