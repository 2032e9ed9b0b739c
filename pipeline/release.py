"""Writing a release: files, manifest, verification, and the atomic switch of `current`."""
from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pyarrow.parquet as pq

from data.manifest import (EVENT_PUBLISH, EVENT_WITHDRAW, MANIFEST, RELEASE_LOG, read_manifest, sha256_file, verify_release,
                           withdrawn_releases)

LICENCE = "CC BY 4.0 (data sintetis demo); kode wilayah Kepmendagri 2025; batas wilayah MIT © 2024 Cahya DSN"
LICENCE_REGISTER = "CC BY 4.0; kode wilayah Kepmendagri 2025; batas wilayah MIT © 2024 Cahya DSN"  # a release of a real extract


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
    manifest = read_manifest(final)
    append_log(out_dir, {"peristiwa": EVENT_PUBLISH, "rilis": release_id, "penerbit": manifest.get("penerbit", ""),
                         "kode_versi": manifest.get("kode_versi", "")})
    return final


def switch_current(out_dir: Path, release_id: str) -> None:
    """Atomic: a new symlink is renamed over the old one, so readers never see it missing."""
    tmp = out_dir / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(release_id, target_is_directory=True)
    os.replace(tmp, out_dir / "current")


def append_log(out_dir: Path, event: dict) -> None:
    """One line appended to the release log (flushed and synced: the log is the audit trail)."""
    event = {"waktu": datetime.now(timezone.utc).isoformat(timespec="seconds"), **event}
    with (Path(out_dir) / RELEASE_LOG).open("a", encoding="utf-8") as f:
        f.write(json.dumps(event, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def release_folders(out_dir: Path) -> list[Path]:
    """Every release folder (with a manifest), oldest first by its creation time."""
    folders = [p for p in Path(out_dir).iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".") and (p / MANIFEST).is_file()]
    return sorted(folders, key=lambda p: (read_manifest(p).get("dibuat", ""), p.name))


def withdraw(out_dir: Path, release_id: str, reason: str, publisher: str = "") -> str | None:
    """Withdraw a release: logged, and if it is current, `current` moves back atomically to the newest
    earlier release that verifies and is not withdrawn. Returns the new current id (None if unchanged).
    The files stay (the portal answers 410 with the reason); nothing is deleted."""
    out_dir = Path(out_dir)
    if not reason.strip():
        raise ValueError("alasan penarikan wajib diisi")
    if not (out_dir / release_id / MANIFEST).is_file():
        raise FileNotFoundError(f"rilis {release_id} tidak ada di {out_dir}")
    gone = withdrawn_releases(out_dir)
    if release_id in gone:
        raise ValueError(f"rilis {release_id} sudah ditarik pada {gone[release_id].get('waktu')}")
    current = out_dir / "current"
    is_current = current.is_symlink() and os.readlink(current) == release_id
    successor = None
    if is_current:
        for folder in reversed(release_folders(out_dir)):
            if folder.name != release_id and folder.name not in gone and not verify_release(folder):
                successor = folder.name
                break
        if successor is None:
            raise RuntimeError(f"rilis {release_id} adalah satu-satunya rilis yang baik; terbitkan penggantinya dulu")
    append_log(out_dir, {"peristiwa": EVENT_WITHDRAW, "rilis": release_id, "alasan": reason.strip(), "penerbit": publisher,
                         "current_baru": successor})
    if successor:
        switch_current(out_dir, successor)
    return successor


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
