"""Command line: `python -m pipeline build …` and `python -m pipeline verify DIR`."""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace

import numpy as np
from pathlib import Path

from data.contract import CATALOG, INDICATORS
from data.manifest import verify_release
from pipeline.settings import PRESETS, REPO_ROOT, reference_dir, release_dir


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline", description="Build and verify DTSEN open-tier releases.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="generate (or read) microdata, validate, aggregate, protect and write a release")
    b.add_argument("--preset", choices=sorted(PRESETS), default="demo")
    b.add_argument("--scale", type=float, help="synthetic persons per real person (overrides the preset)")
    b.add_argument("--seed", type=int, help="random seed (overrides the preset)")
    b.add_argument("--provinces", help="comma-separated province codes (overrides the preset)")
    b.add_argument("--corrupt", type=float, default=None, metavar="RATE", help="inject this share of faulty rows")
    b.add_argument("--protection", choices=["primer", "komplementer"], default=None,
                   help="primary rules only, or complementary suppression with the LP audit (default: the preset's)")
    b.add_argument("--out", type=Path, default=None, help="release folder (default DTSEN_RELEASE_DIR or data/releases)")
    b.add_argument("--work", type=Path, default=None, help="secure-zone work folder for input and quarantine (default build/work)")
    b.add_argument("--publisher", default="", help="who publishes this release (recorded in the manifest and the release log)")
    b.add_argument("--input", type=Path, metavar="DIR",
                   help="build from an extract instead of generating: DIR holds households.parquet|csv and persons.parquet|csv "
                        "(schema: docs/skema_ekstrak/); disclosure parameters still come from --preset")
    kind = b.add_mutually_exclusive_group()
    kind.add_argument("--data-nyata", dest="declared", action="store_const", const="nyata",
                      help="with --input: the extract is real register data (the only way to publish a release as real)")
    kind.add_argument("--sintetis", dest="declared", action="store_const", const="sintetis",
                      help="with --input: the extract is synthetic (the release says DATA SINTETIS)")
    b.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb",
                   help="where the aggregation runs: embedded DuckDB, or Apache Spark (validation is always DuckDB)")
    b.add_argument("--spark-master", default="local[2]", metavar="URL", help="Spark master with --engine spark (default local[2])")
    ex = sub.add_parser("write-example", help="write the small synthetic example extract (CSV and ekstrak.json) into DIR")
    ex.add_argument("dir", type=Path)
    sub.add_parser("write-schema", help="regenerate docs/skema_ekstrak/ (the published extract schema) from pipeline/schema.py")
    w = sub.add_parser("withdraw", help="withdraw a release: it answers 410 with the reason; if current, current moves back")
    w.add_argument("release_id")
    w.add_argument("--reason", required=True, help="why, in words a reader understands (shown on every page of the release)")
    w.add_argument("--out", type=Path, default=None, help="release folder (default DTSEN_RELEASE_DIR or data/releases)")
    w.add_argument("--publisher", default="", help="who withdraws it (recorded in the release log)")
    v = sub.add_parser("verify", help="check every file of a release against its manifest")
    v.add_argument("release", type=Path)
    ar = sub.add_parser("audit-release", help="the reader's audit alone, from a release folder's published rows (exit 1 when a cell is exposed)")
    ar.add_argument("release", type=Path)
    a = sub.add_parser("audit-jj", help="run the attacker's audit on a table in tau-ARGUS JJ format (statuses u/m = suppressed)")
    a.add_argument("jj", type=Path)
    pj = sub.add_parser("protect-jj", help="complementary suppression of a JJ table; writes the result as JJ")
    pj.add_argument("jj", type=Path)
    pj.add_argument("out", type=Path)
    pj.add_argument("--k", type=int, default=10)
    args = ap.parse_args(argv)

    if args.cmd in ("audit-jj", "protect-jj"):
        return jj_command(args)

    if args.cmd == "audit-release":
        return audit_release_command(args.release)

    if args.cmd == "withdraw":
        from pipeline.release import withdraw

        out = (args.out or release_dir()).resolve()
        try:
            successor = withdraw(out, args.release_id, args.reason, args.publisher)
        except (ValueError, FileNotFoundError, RuntimeError) as exc:
            print(f"[withdraw] GAGAL: {exc}", file=sys.stderr)
            return 1
        print(f"[withdraw] rilis {args.release_id} ditarik" + (f"; current -> {successor}" if successor else ""), file=sys.stderr)
        return 0

    if args.cmd == "verify":
        problems = verify_release(args.release)
        for p in problems:
            print(f"GAGAL: {p}", file=sys.stderr)
        print("OK" if not problems else f"{len(problems)} masalah", file=sys.stderr)
        return 0 if not problems else 1

    if args.cmd == "write-schema":
        from pipeline.schema_doc import write

        for path in write():
            print(path, file=sys.stderr)
        return 0

    if args.cmd == "write-example":
        from pipeline.example_extract import write_example

        for path in write_example(args.dir, reference_dir()):
            print(path, file=sys.stderr)
        return 0

    from pipeline.build import BuildOptions, build

    extract = None
    if args.input is None and args.declared:
        ap.error("--data-nyata and --sintetis describe an extract: use them with --input")
    if args.input is not None:
        given = [flag for flag, value in (("--scale", args.scale), ("--seed", args.seed), ("--corrupt", args.corrupt)) if value is not None]
        if given:
            ap.error(f"{', '.join(given)} describe the synthetic generator; an extract (--input) is read as it is")
        from pipeline.extract import ExtractError, open_for_build

        try:
            extract = open_for_build(args.input, reference_dir(), args.declared)
        except (ExtractError, OSError) as exc:  # one clear line, before anything is written
            print(f"[build] GAGAL: {exc}", file=sys.stderr)
            return 1

    preset = PRESETS[args.preset]
    out = (args.out or release_dir()).resolve()
    opt = BuildOptions(
        preset=preset.name,
        scale=args.scale or preset.scale,
        seed=args.seed if args.seed is not None else preset.seed,
        provinces=tuple(args.provinces.split(",")) if args.provinces else preset.provinces,
        years=preset.years,
        corrupt_rate=args.corrupt if args.corrupt is not None else preset.corrupt_rate,
        k=preset.disclosure.k,
        k_stat=preset.disclosure.k_stat,
        p=preset.disclosure.p,
        out_dir=out,
        # Microdata and quarantine stay in the secure zone, never beside the public releases.
        work_dir=(args.work or REPO_ROOT / "build" / "work").resolve(),
        reference_dir=reference_dir(),
        protection=args.protection or preset.protection,
        publisher=args.publisher,
        engine=args.engine,
        spark_master=args.spark_master,
    )
    if extract is not None:  # the whole register: one record is one unit (scale 1), its own years and provinces, no seed
        opt = replace(opt, extract=extract, scale=1.0, seed=0, corrupt_rate=0.0, years=extract.years,
                      provinces=opt.provinces if args.provinces else extract.provinces)
    try:
        build(opt)
    except Exception as exc:  # one clear line; `current` has not moved
        print(f"[build] GAGAL: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


def audit_release_command(folder: Path) -> int:
    """What a reader with only the downloads can compute: exact values, small groups, existence."""
    import json

    import pandas as pd

    from pipeline.disclosure.reader import reader_audit

    folder = Path(folder)
    try:
        rows = pd.read_parquet(folder / INDICATORS)
        catalog = json.loads((folder / CATALOG).read_text(encoding="utf-8"))
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        params = manifest.get("pengungkapan", {})
    except (OSError, ValueError) as exc:
        print(f"GAGAL: {folder} bukan folder rilis yang terbaca ({exc})", file=sys.stderr)
        return 2
    scale = manifest.get("masukan", {}).get("skala") or 1.0  # a real extract publishes record counts
    result = reader_audit(rows, catalog, 1.0 / scale, int(params.get("k", 10)), float(params.get("p", 0.15)),
                          log=lambda m: print(m, file=sys.stderr))
    for f in result.failures:
        print(f"TERBUKA [{f['jenis']}] {f['sel']}: {f['detail']}")
    for f in result.to_check[:50]:
        print(f"PERIKSA [{f['jenis']}] {f['sel']}: {f['detail']} (terbuka hanya bila hitungan ini 1..5: nilai sebenarnya diperlukan)")
    if result.to_check:
        print(f"{len(result.to_check):,} temuan perlu diperiksa dengan nilai sebenarnya (build memeriksanya sendiri)", file=sys.stderr)
    print(f"{result.protected:,} sel terlindung diserang; {len(result.failures)} terbuka; "
          f"{result.derived_exactly:,} sel tak terbit terhitung tepat ({result.derived_s2:,} di antaranya S2)", file=sys.stderr)
    return 0 if result.passed else 1


def jj_command(args) -> int:
    """Tables other tools write (tau-ARGUS, sdcTable), protected or audited; a table that
    cannot be read or protected gets one plain line and exit 1, never a traceback."""
    from pipeline.disclosure.complementary import CannotProtect, protect
    from pipeline.disclosure.intervals import intervals
    from pipeline.disclosure.jj import read_jj, write_jj

    try:
        prob = read_jj(args.jj)
    except (OSError, ValueError, IndexError) as exc:
        print(f"GAGAL: {args.jj} bukan berkas JJ yang terbaca: {exc}", file=sys.stderr)
        return 1
    lpl, upl = prob.levels_with_spl()
    if args.cmd == "protect-jj":
        try:
            sup, res, rounds = protect(prob.table, prob.primary, lpl, upl, args.k, force=prob.suppressed & ~prob.primary,
                                       frozen=prob.frozen)
        except CannotProtect as exc:
            cells = ", ".join(str(c) for c in exc.cells[:10])
            print(f"GAGAL: tabel ini tidak bisa dilindungi dengan sel yang boleh ditekan: sel {cells} tetap dapat dipersempit. "
                  "Periksa sel berstatus z (tidak boleh ditekan) dan batas a-priori di sekitarnya.", file=sys.stderr)
            return 1
        write_jj(args.out, prob.table, prob.primary, sup, prob.lpl, prob.upl, frozen=prob.frozen, spl=prob.spl)
        print(f"{int(prob.primary.sum())} primer, {int((sup & ~prob.primary).sum())} sekunder, {rounds} putaran; audit lolos", file=sys.stderr)
        return 0
    # audit: the true interval of every primary (one min and one max LP each), against LPL, UPL and SPL
    t = prob.table
    cells = np.flatnonzero(prob.primary & prob.suppressed)
    lo, hi = intervals(t, prob.suppressed, cells)
    v = t.value[cells]
    need_lo = np.maximum(t.lower[cells], v - prob.lpl[cells])
    bad = (lo > need_lo + 1e-6) | (hi < v + prob.upl[cells] - 1e-6) | (hi - lo < prob.spl[cells] - 1e-6)
    for c, a, b, fail in zip(cells, lo, hi, bad):
        print(f"{'GAGAL' if fail else 'aman '} sel {c}: nilai {t.value[c]:g}, rentang [{a:g}, {b:g}]", file=sys.stderr)
    exposed = np.flatnonzero(prob.primary & ~prob.suppressed)
    for c in exposed:
        print(f"GAGAL sel {c}: primer tetapi tidak ditekan", file=sys.stderr)
    n_bad = int(bad.sum()) + len(exposed)
    print(f"{int(prob.primary.sum())} sel primer; {n_bad} bisa dipersempit; {2 * len(cells)} LP", file=sys.stderr)
    return 0 if n_bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
