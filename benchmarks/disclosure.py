"""Disclosure-control benchmark: our protection against a naive baseline, on the same cells.

    .venv/bin/python benchmarks/disclosure.py                 # test preset (two provinces at 0.01)
    .venv/bin/python benchmarks/disclosure.py --provinces 34,35,75 --scale 0.01
    .venv/bin/python benchmarks/disclosure.py --preset demo   # the whole country, as the demo release

Prints cells, primaries (S1), secondaries (S2), share of publishable cells lost,
value-weighted loss, wall time and peak memory of protection and of the audit,
the machine's size, and for the baseline "suppress the smallest sibling until
each relation has two protected cells, ignoring links between tables": its loss
and how many protected cells our audit can still narrow in it.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import baseline  # noqa: E402
from data.catalog import load_catalog  # noqa: E402
from pipeline import aggregate as agg  # noqa: E402
from pipeline.calibration import province_targets  # noqa: E402
from pipeline.disclosure.audit import audit  # noqa: E402
from pipeline.disclosure.complementary import protect  # noqa: E402
from pipeline.disclosure.model import build_model  # noqa: E402
from pipeline.disclosure.table import apply_derived  # noqa: E402
from pipeline.generate import generate  # noqa: E402
from pipeline.protect import primary_status  # noqa: E402
from pipeline.reference import read_statistik, read_wilayah  # noqa: E402
from pipeline.settings import PRESETS, DisclosureParams, reference_dir  # noqa: E402
from pipeline.validate import validate  # noqa: E402


def secure_cells(provinces, scale, years=(2023, 2024, 2025)):
    ref = reference_dir()
    w = read_wilayah(ref, None if provinces == ["all"] else tuple(provinces))
    provinces = sorted(w.loc[w.tingkat == "provinsi", "kode"]) if provinces == ["all"] else provinces
    targets = province_targets(read_statistik(ref), list(provinces), years)
    reg = generate(w, targets, scale, 20250101, years)
    tmp = Path(tempfile.mkdtemp())
    reg.households.to_parquet(tmp / "h.parquet")
    reg.persons.to_parquet(tmp / "p.parquet")
    con = duckdb.connect()
    validate(con, tmp / "h.parquet", tmp / "p.parquet", w[w.tingkat == "kecamatan"].kode.tolist(), tmp)
    agg.prepare_views(con, pd.DataFrame([{"kode_provinsi": k, "tahun": y, "garis": t.poverty_line} for (k, y), t in targets.items()]))
    cells = agg.compute_values(agg.aggregate(con, load_catalog(), log=lambda m: None), 1 / scale)
    return primary_status(cells, DisclosureParams())


def naive_baseline(m) -> np.ndarray:
    """The baseline (benchmarks/baseline.py) over the hierarchy and breakdown tables alone."""
    t = m.table
    hidden = m.primary | m.free_hidden
    sup = baseline.naive_baseline(t, hidden, (t.value > 0) & ~hidden, np.array([n[0] in "ab" for n in t.names]))
    apply_derived(sup, m.derived)
    return sup


def loss(m, sup) -> tuple[int, float, float]:
    shown = m.cells["displayed"].to_numpy()
    lost = sup & shown & ~m.primary
    publishable = shown & ~m.primary
    counts = ~m.cells["magnitude"].to_numpy()
    weighted = float(m.table.value[lost & counts].sum() / max(m.table.value[publishable & counts].sum(), 1))
    return int(lost.sum()), float(lost.sum() / max(publishable.sum(), 1)), weighted


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", choices=sorted(PRESETS), help="provinces and scale of a build preset")
    ap.add_argument("--provinces", default="34,75")
    ap.add_argument("--scale", type=float, default=0.01)
    ap.add_argument("--no-baseline", action="store_true", help="skip the naive baseline and its audit")
    ap.add_argument("--no-scratch", action="store_true", help="skip the comparison audit that solves every LP again")
    args = ap.parse_args()
    if args.preset:
        preset = PRESETS[args.preset]
        args.provinces = "all" if preset.provinces is None else ",".join(preset.provinces)
        args.scale = preset.scale
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"machine: {os.cpu_count()} cores, {mem:.1f} GiB memory")
    provs = args.provinces.split(",")
    cells = secure_cells(provs, args.scale)
    params = DisclosureParams()
    m = build_model(cells, params)
    print(f"provinces {args.provinces} at scale {args.scale}: {len(cells):,} release rows; model {len(m.cells):,} quantity cells, "
          f"{m.table.n_relations:,} relations, {int(m.primary.sum()):,} primary (S1)")

    t0 = time.perf_counter()
    sup, res, rounds = protect(m.table, m.primary, m.lpl, m.upl, params.k, derived=m.derived, force=m.free_hidden,
                               log=lambda msg: print(f"  {time.perf_counter() - t0:6.0f} s {msg}", flush=True))
    t_protect = time.perf_counter() - t0
    peak_protect = peak_mib()  # (the process's peak so far: generation and model included)
    t0 = time.perf_counter()
    final = audit(m.table, sup, m.primary, m.lpl, m.upl, certificates=res.certificates)  # as the build runs it
    t_audit = time.perf_counter() - t0
    n_lost, share, weighted = loss(m, sup)
    print(f"\nours (greedy + attack-and-repair, {rounds} rounds): S2 {n_lost:,} cells, {100 * share:.1f} % of publishable cells lost, "
          f"{100 * weighted:.1f} % value-weighted; protection {t_protect:.1f} s, audit {t_audit:.1f} s "
          f"({final.lps_solved:,} LPs solved, {final.lps_skipped:,} skipped, {final.components:,} components, largest {final.largest_component:,}); "
          f"exposed after audit: {len(final.failures)}; peak memory {peak_protect:.0f} MiB after protection, {peak_mib():.0f} MiB after the audit", flush=True)
    print(f"audit checking the protection's {final.certificates_checked:,} certificates ({final.certificates_valid:,} valid): "
          f"{t_audit:.1f} s, {final.lps_solved:,} LPs", flush=True)
    if not args.no_scratch:
        t0 = time.perf_counter()
        scratch = audit(m.table, sup, m.primary, m.lpl, m.upl)  # the same verdict with every LP solved again
        t_scratch = time.perf_counter() - t0
        assert scratch.failures == final.failures
        print(f"the same audit from scratch: {t_scratch:.1f} s, {scratch.lps_solved:,} LPs ({t_scratch / max(t_audit, 1e-9):.0f}× slower), "
              "same verdict", flush=True)

    if args.no_baseline:
        return
    t0 = time.perf_counter()
    base = naive_baseline(m)
    t_base = time.perf_counter() - t0
    base_audit = audit(m.table, base, m.primary, m.lpl, m.upl)
    b_lost, b_share, b_weighted = loss(m, base)
    print(f"naive baseline: S2 {b_lost:,} cells, {100 * b_share:.1f} % lost, {100 * b_weighted:.1f} % value-weighted, {t_base:.1f} s; "
          f"protected cells our audit can still narrow below the protection level: {len(base_audit.failures):,} "
          f"of {int(m.primary.sum()):,}")
    print("\ntau-ARGUS OPT/MOD on the same subtables: benchmarks/tauargus.py (needs requirements-bench.txt).")


if __name__ == "__main__":
    main()
