"""Issue 14: a revision of the same years from a corrected input builds beside the first
release, and the pair is safe together (the reader's audit reads both)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(out: Path, work: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "build", "--preset", "test", "--out", str(out), "--work", str(work), *extra],
                          cwd=ROOT, capture_output=True, text=True)


def test_a_corrected_extract_of_the_same_years_builds_and_is_audited_with_the_first(tmp_path):
    out, work = tmp_path / "releases", tmp_path / "work"
    first = build(out, work, "--corrupt", "0.002")  # an extract with faulty rows (quarantined)…
    assert first.returncode == 0, first.stderr[-2000:]
    first_id = (out / "current").resolve().name
    second = build(out, work)  # …and the corrected one, same years
    assert second.returncode == 0, second.stderr[-2000:]
    second_id = (out / "current").resolve().name
    assert first_id != second_id and (out / first_id / "indicators.parquet").exists()
    audit = json.loads((out / second_id / "audit.json").read_text(encoding="utf-8"))
    assert audit["buku_besar"]["sel_sudah_terbit_sebelumnya"] > 0
    reader = audit["audit_pembaca"]
    assert reader["lolos"] and reader["rilis_lain_yang_dibaca"] == [first_id]
