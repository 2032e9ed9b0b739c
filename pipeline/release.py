"""Writing a release: files, manifest, verification, and the atomic switch of `current`."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq

from data.manifest import MANIFEST, sha256_file, verify_release

LICENCE = "CC BY 4.0 (data sintetis demo); kode wilayah Kepmendagri 2025; batas wilayah MIT © 2024 Cahya DSN"


def file_entry(root: Path, path: Path) -> dict:
    entry = {"path": path.relative_to(root).as_posix(), "sha256": sha256_file(path), "bytes": path.stat().st_size}
    if path.suffix == ".parquet":
        entry["rows"] = pq.ParquetFile(path).metadata.num_rows
    elif path.suffix == ".geojson":
        entry["rows"] = len(json.loads(path.read_text(encoding="utf-8"))["features"])
    return entry


def write_manifest(root: Path, meta: dict) -> dict:
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST)
    manifest = {**meta, "files": [file_entry(root, p) for p in files]}
    (root / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return manifest


def publish(staging: Path, out_dir: Path, release_id: str) -> Path:
    """Move a finished, verified staging folder into place and point `current` at it."""
    problems = verify_release(staging)
    if problems:
        raise RuntimeError("rilis tidak lolos verifikasi: " + "; ".join(problems[:5]))
    final = out_dir / release_id
    if final.exists():
        raise FileExistsError(f"rilis {release_id} sudah ada; rilis tidak boleh ditimpa")
    os.replace(staging, final)
    switch_current(out_dir, release_id)
    return final


def switch_current(out_dir: Path, release_id: str) -> None:
    """Atomic: a new symlink is renamed over the old one, so readers never see it missing."""
    tmp = out_dir / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(release_id, target_is_directory=True)
    os.replace(tmp, out_dir / "current")


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
