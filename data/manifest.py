"""The release contract's integrity check, used by `pipeline verify` and by the app at start.

A release directory holds manifest.json listing every other file with its
sha256 and size. A release verifies when every listed file exists with that
hash and no unlisted data file is present.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

MANIFEST = "manifest.json"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(release: Path) -> dict:
    return json.loads((release / MANIFEST).read_text(encoding="utf-8"))


def verify_release(release: Path) -> list[str]:
    """Problems found (empty list = the release verifies)."""
    release = Path(release)
    if not (release / MANIFEST).is_file():
        return [f"{release}: manifest.json tidak ada"]
    try:
        manifest = read_manifest(release)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return [f"{release}: manifest.json rusak ({exc})"]
    problems = []
    listed = set()
    for entry in manifest.get("files", []):
        path = release / entry["path"]
        listed.add(entry["path"])
        if not path.is_file():
            problems.append(f"{entry['path']}: tidak ada")
        elif path.stat().st_size != entry["bytes"]:
            problems.append(f"{entry['path']}: ukuran {path.stat().st_size} ≠ {entry['bytes']}")
        elif sha256_file(path) != entry["sha256"]:
            problems.append(f"{entry['path']}: sha256 tidak cocok")
    for path in release.rglob("*"):
        rel = path.relative_to(release).as_posix()
        if path.is_file() and rel != MANIFEST and rel not in listed:
            problems.append(f"{rel}: berkas tidak tercantum di manifest")
    if not manifest.get("files"):
        problems.append("manifest tidak mencantumkan berkas")
    return problems


# The release log: one JSON object per line, appended, never rewritten (publish, withdraw), kept
# beside the release folders. The pipeline writes it; the portal reads it to list releases and to
# answer 410 for a withdrawn one.
RELEASE_LOG = "rilis.log.jsonl"
EVENT_PUBLISH, EVENT_WITHDRAW = "terbit", "tarik"


def read_release_log(root: Path) -> list[dict]:
    path = Path(root) / RELEASE_LOG
    if not path.is_file():
        return []
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line:
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:  # a torn last line must not take the portal down
                continue
    return events


def withdrawn_releases(root: Path) -> dict[str, dict]:
    """release id → its withdrawal event (reason, time), for every release withdrawn."""
    return {e["rilis"]: e for e in read_release_log(root) if e.get("peristiwa") == EVENT_WITHDRAW}
