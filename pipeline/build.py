"""One release build, stage by stage: load, generate, validate, aggregate, protect, write.

Each stage is a call to a pure-ish module; this file only wires them, times
them and records the figures for the build report.
"""
from __future__ import annotations

from data.contract import (AUDIT, BUILD_REPORT, CATALOG, GEO, INDICATORS, NOTES, OFFICIAL_SOURCES, PUBLIC_COLUMNS, REGIONS, TARGETS,
                           read_catalog)
from data.manifest import MANIFEST

import ctypes
import json
import resource
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from data.catalog import load_catalog
from pipeline import aggregate as agg
from pipeline.calibration import province_targets
from pipeline.corrupt import corrupt
from pipeline.engine import open_engine
from pipeline.disclosure.ledger import previously_published, record
from pipeline.disclosure.run import METHOD
from pipeline.extract import Extract
from pipeline.generate import generate_chunks
from pipeline.geometry import build_web_geometry
from pipeline.official import official_rows
from pipeline.protect import primary_status, publishable
from pipeline.reference import read_statistik, read_targets, read_wilayah, write_targets
from pipeline.release import LICENCE, LICENCE_REGISTER, discard, publish, write_manifest
from pipeline.settings import duckdb_memory_limit
from pipeline.validate import validate



class RssSampler:
    """Peak resident memory during one stage (sampled every 20 ms in a thread), this process's
    and its children's: Spark's JVM is a child, and holds the data while Spark aggregates."""

    def __init__(self):
        self.peak = 0
        self._stop = threading.Event()

    def _sample(self):
        children, listed = [], 0.0
        while not self._stop.is_set():
            if time.monotonic() - listed > 1.0:  # listing processes costs more than reading their memory
                children, listed = _children(), time.monotonic()
            self.peak = max(self.peak, _rss() + sum(_child_rss(c) for c in children))
            self._stop.wait(0.02)

    def __enter__(self):
        self.peak = _rss()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())


def _cpu_seconds() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def _children() -> list:
    import psutil

    return psutil.Process().children(recursive=True)


def _child_rss(proc) -> int:
    import psutil

    try:
        return proc.memory_info().rss
    except psutil.Error:  # it ended between the listing and now
        return 0


@dataclass
class StageTimer:
    stages: list = field(default_factory=list)

    def run(self, name: str, fn, *args, **kwargs):
        print(f"[build] {name} …", file=sys.stderr, flush=True)
        sampler = RssSampler()
        t0, cpu0 = time.perf_counter(), _cpu_seconds()
        with sampler:
            result = fn(*args, **kwargs)
        secs = time.perf_counter() - t0
        peak_mib = sampler.peak / 2**20
        # CPU seconds of every thread (DuckDB's too): on a machine shared with other work they
        # vary less than the wall clock, so scaling is read from both.
        self.stages.append({"stage": name, "detik": round(secs, 2), "detik_cpu": round(_cpu_seconds() - cpu0, 2),
                            "puncak_memori_mib": round(peak_mib, 1)})
        print(f"[build] {name}: {secs:.1f} s, peak memory {peak_mib:.0f} MiB", file=sys.stderr, flush=True)
        return result


@dataclass
class BuildOptions:
    preset: str
    scale: float
    seed: int
    provinces: tuple[str, ...] | None
    years: tuple[int, ...]
    corrupt_rate: float
    k: int
    k_stat: int
    p: float
    out_dir: Path
    work_dir: Path
    reference_dir: Path
    protection: str = "primer"  # "primer" or "komplementer"
    publisher: str = ""  # who publishes (the manifest's audit trail)
    extract: Extract | None = None  # read this extract instead of generating (pipeline/extract.py); scale is then 1
    engine: str = "duckdb"  # where the aggregation runs: "duckdb" or "spark" (pipeline/engine.py)
    spark_master: str = "local[2]"


def code_version() -> str:
    """The git commit the release was built from ('' outside a checkout), '+' when the tree has changes."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return head + ("+" if head and dirty else "")


def reference_checksums(reference_dir: Path) -> dict[str, str]:
    """sha256 of each reference table the build read (the boundaries are checked by their own files)."""
    from data.manifest import sha256_file

    return {f"reference/{p.name}": sha256_file(p) for p in sorted((Path(reference_dir) / "reference").glob("*.csv"))}


def input_identity(opt: BuildOptions) -> dict:
    """The manifest's `masukan`: the generator's seed and scale, or the extract's files (no seed)."""
    if opt.extract is not None:
        return opt.extract.identity(opt.provinces)
    return {"jenis": "generator_sintetis", "preset": opt.preset, "seed": opt.seed, "skala": opt.scale,
            "provinsi": list(opt.provinces) if opt.provinces else "semua", "tahun": list(opt.years), "laju_kerusakan": opt.corrupt_rate}


def new_release_id(out_dir: Path, preset: str) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    rid, n = f"{preset}-{stamp}", 1
    while (out_dir / rid).exists():
        n += 1
        rid = f"{preset}-{stamp}-{n}"
    return rid


def calibration_report(cells: pd.DataFrame, targets: dict) -> list[dict]:
    """Achieved vs published figures per province and year (synthetic total cells)."""
    prov = cells[(cells.tingkat == "provinsi") & (cells.dimensi == "total")].set_index(["indicator_id", "kode_wilayah", "tahun"])["nilai"]
    rows = []
    for (kode, tahun), t in sorted(targets.items()):
        got = {k: prov.get((k, kode, tahun)) for k in ("persen_penduduk_miskin", "gini", "tpt")}
        rows.append(
            {
                "kode_provinsi": kode, "tahun": tahun,
                "p0_target": t.p0_total, "p0_sintetis": _r(got["persen_penduduk_miskin"], 2),
                "gini_target": t.gini, "gini_sintetis": _r(got["gini"], 3),
                "tpt_target": t.tpt, "tpt_sintetis": _r(got["tpt"], 2),
                "memakai_nilai_nasional": list(t.fallbacks),
            }
        )
    return rows


def _r(v, d):
    return None if v is None or pd.isna(v) else round(float(v), d)


def write_register(wilayah: pd.DataFrame, targets: dict, opt: BuildOptions, work: Path) -> tuple[dict, int]:
    """Generate the register province by province and year by year straight into parquet
    (optionally damaged): each chunk is appended as row groups and forgotten."""
    writers: dict[str, pq.ParquetWriter] = {}
    injected: dict[str, int] = {}
    n_persons = 0
    try:
        for i, (hh, ps) in enumerate(generate_chunks(wilayah, targets, opt.scale, opt.seed, opt.years, spill_dir=work)):
            if opt.corrupt_rate > 0:
                hh, ps, counts = corrupt(hh, ps, opt.corrupt_rate, opt.seed + i)
                injected = {k: injected.get(k, 0) + v for k, v in counts.items()}
            n_persons += len(ps)
            for name, df in (("households", hh), ("persons", ps)):
                table = as_text(pa.Table.from_pandas(df, preserve_index=False))
                if name not in writers:
                    writers[name] = pq.ParquetWriter(work / f"{name}.parquet", table.schema)
                writers[name].write_table(table.cast(writers[name].schema))
    finally:
        for w in writers.values():
            w.close()
        release_memory()
    return injected, n_persons


def release_memory() -> None:
    """Hand the generator's freed memory back to the system before DuckDB takes its share:
    glibc and Arrow keep freed pages for reuse, and the build's budget is its resident size."""
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def register_database(work: Path) -> duckdb.DuckDBPyConnection:
    """The secure zone's DuckDB: a file in the work folder, capped in memory, spilling to disk.

    Its tables live in the file and its operators spill to temp_directory, so the register's
    size shows in the work folder, not in memory (DTSEN_DUCKDB_MEMORY, default 4GB: with the
    Python process that is within an 8 GiB budget at 1:10)."""
    con = duckdb.connect(str(work / "register.duckdb"))
    con.execute("SET threads TO 2")
    con.execute(f"SET memory_limit = '{duckdb_memory_limit()}'")
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"SET temp_directory = '{work / 'duckdb_tmp'}'")
    return con


def as_text(table: pa.Table) -> pa.Table:
    """Category columns (the generator's text, held as codes) written as the text they stand for,
    so every chunk has the schema of the first, whatever its categories, and an extract's reader
    sees plain text columns."""
    fields = [pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type) else f for f in table.schema]
    return table.cast(pa.schema(fields))


def publish_needless_s2(rows: pd.DataFrame, needless: pd.DataFrame | None) -> tuple[pd.DataFrame, int]:
    """S2 rows whose numbers a reader computes exactly from the published ones protect nothing:
    publish them (issue 14, finding 3). The reader's knowledge is unchanged by it."""
    if needless is None or needless.empty:
        return rows, 0
    key = ["indicator_id", "tahun", "kode_wilayah", "dimensi", "kategori"]
    hit = pd.MultiIndex.from_frame(rows[key].assign(tahun=rows["tahun"].astype(int))).isin(
        pd.MultiIndex.from_frame(needless[key].assign(tahun=needless["tahun"].astype(int))))
    hit &= (rows["status"] == "S2").to_numpy()
    rows = rows.copy()
    rows.loc[hit, "status"] = "ok"
    return rows, int(hit.sum())


def notes_against_previous(public: pd.DataFrame, catalog: dict, out_dir: Path) -> dict:
    """The release notes: this table against the release that is current now (before the switch)."""
    from pipeline.release_notes import release_notes

    current = out_dir / "current"
    if not current.exists():
        return release_notes(public, catalog, None, None, None)
    prev = current.resolve()
    previous = pd.read_parquet(prev / INDICATORS)
    prev_catalog = read_catalog(prev)
    return release_notes(public, catalog, previous, prev_catalog, prev.name)


def served_releases(out_dir: Path) -> dict[str, Path]:
    """Every release folder beside the new one (each is served, and a reader may hold them all)."""
    return {p.name: p for p in sorted(out_dir.iterdir()) if p.is_dir() and not p.name.startswith(".") and not p.is_symlink()
            and (p / MANIFEST).exists() and (p / INDICATORS).exists()}


def protect_and_audit(cells: pd.DataFrame, params, catalog: dict, scale: float, out_dir: Path, log, ledger_out,
                      max_attempts: int = 4) -> tuple[pd.DataFrame, dict]:
    """Complementary suppression with the model's audit, then the reader's audit of the rows as
    they will be served (with every earlier release served beside them). When the reader finds an
    identity the model lacked and uses it, the model learns it and the protection runs again; the
    release is refused when nothing is left to learn and a cell is still exposed."""
    from pipeline.disclosure.model_identities import count, in_model_keys, merge
    from pipeline.disclosure.reader import reader_audit
    from pipeline.disclosure.run import UnsafeRelease, apply_complementary, status_figures

    earlier = served_releases(out_dir)
    earlier_rows = [pd.read_parquet(p / INDICATORS) for p in earlier.values()]
    decimals = {i: ind.desimal for i, ind in catalog.items()}
    catalog_dicts = {i: asdict(c) for i, c in catalog.items()}
    learned, start = None, None
    for attempt in range(1, max_attempts + 1):
        out, report = apply_complementary(cells, params, log, known=lambda qcells: previously_published(out_dir, qcells),
                                          ledger_out=ledger_out, extra_identities=learned, start=start)
        start = report.pop("_suppressed")
        result = reader_audit(publishable(out, decimals), catalog_dicts, 1.0 / scale, params.k, params.p, truth=cells,
                              log=lambda m: log(f"[reader] {m}"), earlier=earlier_rows, hints=report.pop("_hints", None))
        if result.passed:
            out, given_back = publish_needless_s2(out, result.needless_s2)
            if given_back:
                log(f"[reader] {given_back:,} baris S2 yang nilainya sudah terhitung tepat oleh pembaca diterbitkan")
                report.update(status_figures(out))
            report["audit_pembaca"] = {**result.as_dict(), "rilis_lain_yang_dibaca": sorted(earlier),
                                       "baris_S2_diterbitkan_karena_terhitung": given_back,
                                       "identitas_dipelajari_model": count(learned), "percobaan": attempt}
            return out, report
        found = in_model_keys(result.view, result.found)
        new = merge(learned, found)
        named = "; ".join(f"{f['sel']} ({f['jenis']}: {f['detail']})" for f in result.failures[:8])
        if count(new) == count(learned):
            raise UnsafeRelease(f"audit pembaca gagal: {len(result.failures)} sel terlindung dapat dihitung atau dipersempit "
                                f"dari baris yang terbit: {named}")
        kinds = result.as_dict()["gagal_per_jenis"]
        fresh = {k: [x for x in new[k] if x not in (learned or {}).get(k, [])] for k in new}
        log(f"[reader] {len(result.failures)} sel terbuka ({kinds}, mis. {named[:300]}); model belajar "
            f"{count(new) - count(learned)} identitas ({fresh}), perlindungan diulang (percobaan {attempt + 1})")
        learned = new
    raise UnsafeRelease(f"audit pembaca masih gagal setelah {max_attempts} percobaan: {named}")


def build(opt: BuildOptions) -> Path:
    from pipeline.settings import DisclosureParams

    timer = StageTimer()
    params = DisclosureParams(k=opt.k, k_stat=opt.k_stat, p=opt.p)
    ref = opt.reference_dir
    opt.out_dir.mkdir(parents=True, exist_ok=True)
    if opt.extract is not None and opt.scale != 1.0:  # each record of a real extract is one person or household
        raise ValueError(f"an extract is the whole register: scale must be 1, not {opt.scale}")
    release_id = new_release_id(opt.out_dir, "ekstrak" if opt.extract else opt.preset)
    work = opt.work_dir / release_id
    work.mkdir(parents=True, exist_ok=True)
    staging = opt.out_dir / f".staging-{release_id}"
    try:
        # Load inputs
        catalog = load_catalog()
        wilayah = read_wilayah(ref, opt.provinces)
        stat = read_statistik(ref)
        provinces = sorted(wilayah.loc[wilayah.tingkat == "provinsi", "kode"])
        targets = province_targets(stat, provinces, opt.years)

        # Process: the secure zone
        if opt.extract is None:
            injected, n_persons = timer.run("generate", write_register, wilayah, targets, opt, work)
            households, persons = work / "households.parquet", work / "persons.parquet"
        else:  # an extract is read where it lies, through the same validation and every stage after it
            injected, n_persons = {}, None
            households, persons = opt.extract.households, opt.extract.persons

        con = register_database(work)
        kec_codes = wilayah.loc[wilayah.tingkat == "kecamatan", "kode"].tolist()
        val = timer.run("validate", validate, con, households, persons, kec_codes, work)
        if opt.extract is not None:
            opt.extract.check_unchanged()
        garis = pd.DataFrame([{"kode_provinsi": k, "tahun": y, "garis": t.poverty_line} for (k, y), t in targets.items()])
        # Validation stays in DuckDB; the aggregation runs on the chosen engine (Spark reads the accepted rows as parquet).
        engine = timer.run("engine", open_engine, opt.engine, con, work, opt.spark_master, log=lambda m: print(f"[engine] {m}", file=sys.stderr))
        try:
            timer.run("views", agg.prepare_views, engine, garis)
            cells = timer.run("aggregate", agg.aggregate, engine, catalog, log=lambda m: print(f"[aggregate] {m}", file=sys.stderr))
            engine_info = engine.describe()
        finally:
            engine.close()
        con.close()  # the microdata are done with: free DuckDB's buffers before the disclosure stage needs the memory
        weight = 1.0 / opt.scale
        cells = agg.compute_values(cells, weight)
        cells = timer.run("protect", primary_status, cells, params)
        audit_rep = None
        if opt.protection == "komplementer":
            ledger_cells = {}
            started = time.perf_counter()  # each line says when, so a slow step shows in the log
            cells, audit_rep = timer.run(
                "complementary", protect_and_audit, cells, params, catalog, opt.scale, opt.out_dir,
                lambda m: print(f"[disclosure {time.perf_counter() - started:6.0f} s] {m}", file=sys.stderr, flush=True),
                ledger_out=lambda qcells, visible: ledger_cells.update(cells=qcells, visible=visible),
            )
        decimals = {i: ind.desimal for i, ind in catalog.items()}
        public = publishable(cells, decimals)
        public["periode"] = None
        official = official_rows(stat, catalog, provinces, opt.years)
        public = pd.concat([public[PUBLIC_COLUMNS], official[[c for c in PUBLIC_COLUMNS if c in official]]], ignore_index=True)
        public = public.sort_values(["indicator_id", "tingkat", "tahun", "dimensi", "kode_wilayah", "kategori"]).reset_index(drop=True)
        key = ["indicator_id", "kode_wilayah", "tahun", "dimensi", "kategori"]
        if public.duplicated(key).any():  # the key is asserted once, where the table is built
            raise AssertionError("kunci sel ganda: " + str(public[public.duplicated(key)].head(3).to_dict("records")))

        # Save outputs: the public zone
        staging.mkdir(parents=True)
        public["tahun"] = public["tahun"].astype("int16")
        public.to_parquet(staging / INDICATORS, index=False, row_group_size=50_000)
        regions = wilayah.assign(kode_bps=wilayah["kode"].str.replace(".", "", regex=False))
        regions[["kode", "kode_bps", "tingkat", "kode_induk", "nama", "ibu_kota", "lat", "lng", "luas_km2", "penduduk"]].to_parquet(staging / REGIONS, index=False)
        sources = official[["indicator_id", "kode_wilayah", "tahun", "periode", "sumber"]] if len(official) else pd.DataFrame()
        sources.to_parquet(staging / OFFICIAL_SOURCES, index=False)
        (staging / CATALOG).write_text(json.dumps({i: asdict(c) for i, c in catalog.items()}, ensure_ascii=False, indent=1), encoding="utf-8")
        write_targets(read_targets(ref), catalog, staging / TARGETS)
        (staging / NOTES).write_text(json.dumps(notes_against_previous(public, catalog, opt.out_dir), indent=1, ensure_ascii=False,
                                                               default=str), encoding="utf-8")
        timer.run("geometry", build_web_geometry, ref, staging / GEO, provinces)

        if audit_rep is not None:
            (staging / AUDIT).write_text(json.dumps({k: v for k, v in audit_rep.items() if not k.startswith("_")}, indent=1, ensure_ascii=False), encoding="utf-8")
        suppressed = cells[cells.status == "S1"]
        report = {
            "release_id": release_id,
            "validasi": {name: r.as_dict() for name, r in val.items()},
            "kesalahan_disuntikkan": injected,
            "kalibrasi": calibration_report(cells, targets) if opt.extract is None else [],  # the generator's targets
            "sel": {
                "total": int(len(cells)),
                "ok": int((cells.status == "ok").sum()),
                "S1": int(len(suppressed)),
                "S2": int((cells.status == "S2").sum()),
                "NA": int((cells.status == "NA").sum()),
                "S1_per_aturan": suppressed["alasan_rinci"].value_counts().to_dict(),
                "S1_per_tingkat": suppressed["tingkat"].value_counts().to_dict(),
                "resmi_bps": int(len(official)),
            },
            "baris_rilis": int(len(public)),
            "byte_rilis_tanpa_laporan": int(sum(p.stat().st_size for p in staging.rglob("*") if p.is_file())),
            "byte_per_berkas": {p.relative_to(staging).as_posix(): p.stat().st_size for p in sorted(staging.rglob("*")) if p.is_file() and p.parent.name != "kecamatan"},
            "tahap": timer.stages,
            "mesin": engine_info,
            "orang_dibaca": int(n_persons if n_persons is not None else val["persons"].read),
        }
        (staging / BUILD_REPORT).write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
        synthetic = opt.extract.synthetic if opt.extract is not None else True  # drives the DATA SINTETIS banner
        meta = {
            "release_id": release_id,
            "dibuat": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "sintetis": synthetic,
            "masukan": input_identity(opt),
            "pengungkapan": {**params.as_dict(), "perlindungan": opt.protection,
                             "catatan": METHOD if opt.protection == "komplementer" else
                             "Hanya aturan primer (ambang k dan k_stat). Penekanan komplementer dan audit LP belum diterapkan pada rilis ini."},
            "lisensi": LICENCE if synthetic else LICENCE_REGISTER,
            "penerbit": opt.publisher,
            "kode_versi": code_version(),
            "mesin_agregasi": engine_info,
            "referensi_sha256": reference_checksums(opt.reference_dir),
        }
        write_manifest(staging, meta)
        final = publish(staging, opt.out_dir, release_id)
        if audit_rep is not None:  # only once the release is public does it enter the ledger
            record(opt.out_dir, release_id, ledger_cells["cells"], ledger_cells["visible"])
        sizes = sum(p.stat().st_size for p in final.rglob("*") if p.is_file())
        print(f"[build] release {release_id}: {len(public):,} rows, {sizes / 1e6:.1f} MB, current -> {release_id}", file=sys.stderr)
        return final
    except BaseException:
        discard(staging)
        raise
