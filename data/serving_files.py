"""A release's cells laid out once on disk for serving, read in place by every worker.

Loading `indicators.parquet` into each gunicorn worker cost 550–790 MB per worker (a DuckDB
in-memory table, the sort that built it, the map index and the allocator's leftovers), and
that multiplied by workers and by past releases kept loaded. Instead the cells are written
once per release, by a separate process, into a folder beside the release:

    <release root>/.layan/<release id>-<sha12>-v<N>/
        cells.duckdb       the cells sorted the way pages ask, and the region registry
        index/*.npy        the map index's columns (numbers and small integer codes)
        index/meta.json    its vocabularies and group sizes
        SELESAI            written last: the folder is complete, with each file's sha256

Each worker opens `cells.duckdb` read-only (DuckDB reads the blocks a query needs, within a
small memory limit) and memory-maps the `.npy` files, so the index's pages sit once in the
operating system's page cache, shared by every worker and every process.

The folder is named by the sha256 of the verified `indicators.parquet`, so a changed input
can never be served from an old layout; the builder checks that hash again before it reads.
The layout's own files are checked against the sums in SELESAI when a process opens them
and every few minutes while it serves (ReleaseStore): a changed file is rewritten, not read.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from data.contract import INDICATORS, REGIONS

log = logging.getLogger("dtsen.release")

LAYOUT_VERSION = 2  # bump when the files below change shape: old folders are then ignored
SERVING_ROOT = ".layan"
DONE = "SELESAI"
DB = "cells.duckdb"
INDEX = "index"
ARRAYS = ("kode_pos", "nilai", "pembilang", "penyebut", "status", "alasan", "periode")
CODED = ("status", "alasan", "periode")  # strings kept as int32 codes into a vocabulary
WORKER_MEMORY_LIMIT = "256MB"  # per connection: a worker's DuckDB buffer, not a copy of the table


class ServingFilesError(RuntimeError):
    """The serving layout could not be written (the release is then not served)."""


def folder_for(release_path: Path, manifest: dict) -> Path:
    sha = _manifest_sha(manifest, INDICATORS)
    return Path(release_path).parent / SERVING_ROOT / f"{manifest['release_id']}-{sha[:12]}-v{LAYOUT_VERSION}"


def ensure(release_path: Path, manifest: dict) -> Path:
    """The release's serving folder, written first if no process has written it yet.

    Writing runs in a child process (a worker would otherwise keep the few hundred MB the
    sort and the conversion leave behind in its heap); one process writes while the
    others wait on a file lock, then every one of them reads the same files."""
    folder = folder_for(release_path, manifest)
    if (folder / DONE).is_file() and not problems(folder):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f"{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = problems(folder) if (folder / DONE).is_file() else []
        if found:  # served numbers come from these files: a changed one is never read, it is rewritten
            log.error("tata letak layanan %s berubah (%s): ditulis ulang dari rilis yang terverifikasi", folder.name, "; ".join(found[:3]))
            shutil.rmtree(folder, ignore_errors=True)
        if not (folder / DONE).is_file():
            done = subprocess.run([sys.executable, "-m", "data.serving_files", str(release_path), str(folder)],
                                  capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
            if done.returncode != 0 or not (folder / DONE).is_file():
                raise ServingFilesError(f"tata letak layanan {folder.name} gagal ditulis: {done.stderr.strip()[-400:]}")
            log.info("tata letak layanan ditulis: %s", folder.name)
    return folder


def problems(folder: Path) -> list[str]:
    """What differs from the checksums written with the layout (empty: every file as written).
    Checked when a process first opens the layout and again every few minutes while it serves."""
    try:
        sums = json.loads((folder / DONE).read_text(encoding="utf-8"))["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return [f"{DONE} tidak terbaca"]
    found = [name for name, sha in sums.items() if not (folder / name).is_file() or _sha256(folder / name) != sha]
    return [f"{name}: sha256 tidak cocok" for name in found]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def connect(folder: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(folder / DB), read_only=True,
                         config={"threads": 2, "memory_limit": WORKER_MEMORY_LIMIT})
    return con


def load_index_arrays(folder: Path) -> tuple[dict[str, np.ndarray], dict]:
    """The index's columns memory-mapped read-only, and its metadata."""
    index = folder / INDEX
    arrays = {name: np.load(index / f"{name}.npy", mmap_mode="r") for name in ARRAYS}
    meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    return arrays, meta


# --- writing (in the child process) ---

def write(release_path: Path, folder: Path) -> None:
    """Write the layout into a temporary folder, then rename it into place (readers never see half)."""
    release_path = Path(release_path)
    manifest = json.loads((release_path / "manifest.json").read_text(encoding="utf-8"))
    tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / INDEX).mkdir(parents=True)
    sources = {}
    for name in (INDICATORS, REGIONS):  # hashed again here: what is read is what was verified
        data = (release_path / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != _manifest_sha(manifest, name):
            raise ServingFilesError(f"{name}: sha256 tidak cocok dengan manifest")
        sources[name] = tmp / name
        sources[name].write_bytes(data)
    con = duckdb.connect(str(tmp / DB))
    con.execute("SET threads TO 2")
    # Stored in the order pages ask for it, so DuckDB's per-block min/max skip most of the table.
    con.execute(f"CREATE TABLE cells AS SELECT * FROM read_parquet('{sources[INDICATORS]}') "
                "ORDER BY indicator_id, tingkat, tahun, dimensi, kategori, kode_wilayah")
    con.execute(f"CREATE TABLE regions AS SELECT * FROM read_parquet('{sources[REGIONS]}')")
    _write_index(con, tmp / INDEX)
    con.close()
    for path in sources.values():
        path.unlink()
    sums = {p.relative_to(tmp).as_posix(): _sha256(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
    (tmp / DONE).write_text(json.dumps({"release_id": manifest["release_id"], "sha256": sums}, indent=1), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)


def _write_index(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    kodes = [k for (k,) in con.execute("SELECT DISTINCT kode_wilayah FROM cells ORDER BY kode_wilayah").fetchall()]
    table = con.sql(
        "SELECT k.pos, c.nilai, c.pembilang, c.penyebut, c.status, c.alasan, c.periode FROM cells c JOIN "
        "(SELECT kode_wilayah, (row_number() OVER (ORDER BY kode_wilayah) - 1)::INTEGER AS pos "
        " FROM (SELECT DISTINCT kode_wilayah FROM cells)) k USING (kode_wilayah) "
        "ORDER BY c.indicator_id, c.tingkat, c.tahun, c.dimensi, c.kategori, c.kode_wilayah").to_arrow_table()
    groups = con.execute("SELECT indicator_id, tingkat, tahun, dimensi, kategori, count(*) FROM cells "
                         "GROUP BY ALL ORDER BY indicator_id, tingkat, tahun, dimensi, kategori").fetchall()
    meta = {"kodes": kodes, "groups": [[g[0], g[1], int(g[2]), g[3], g[4], int(g[5])] for g in groups]}
    np.save(out / "kode_pos.npy", table["pos"].to_numpy().astype(np.int32))
    for name in ("nilai", "pembilang", "penyebut"):
        np.save(out / f"{name}.npy", table[name].to_numpy(zero_copy_only=False).astype(np.float64))
    for name in CODED:
        codes, vocab = _codes(table[name])
        np.save(out / f"{name}.npy", codes)
        meta[f"{name}_vocab"] = vocab
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def _codes(column: pa.ChunkedArray) -> tuple[np.ndarray, list]:
    """Integer codes (−1 for null) and the vocabulary they index."""
    encoded = pc.dictionary_encode(column).combine_chunks()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    codes = np.where(pc.is_null(encoded.indices).to_numpy(zero_copy_only=False), -1, codes).astype(np.int32)
    return codes, encoded.dictionary.to_pylist()


def _manifest_sha(manifest: dict, name: str) -> str:
    for entry in manifest.get("files", []):
        if entry["path"] == name:
            return entry["sha256"]
    raise ServingFilesError(f"{name} tidak tercantum di manifest")


if __name__ == "__main__":  # python -m data.serving_files <release folder> <serving folder>
    write(Path(sys.argv[1]), Path(sys.argv[2]))
