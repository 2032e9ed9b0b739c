"""The release contract: manifest verification, tamper refusal, atomic `current`, CLI exit codes."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from data.access import NoReleaseError, ReleaseStore
from data.manifest import verify_release
from pipeline.release import switch_current
from tests.helpers import current_release

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def copy_of_release(tmp_path):
    src = current_release()
    dst = tmp_path / "releases" / src.name
    shutil.copytree(src, dst)
    switch_current(dst.parent, src.name)
    return dst


def cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True)


def test_the_built_release_verifies():
    rel = current_release()
    assert verify_release(rel) == []
    manifest = json.loads((rel / "manifest.json").read_text())
    paths = {f["path"] for f in manifest["files"]}
    assert {"indicators.parquet", "regions.parquet", "katalog.json", "laporan_build.json", "audit.json", "geo/provinsi.geojson", "geo/kabupaten_kota.geojson"} <= paths
    assert manifest["masukan"]["seed"] and manifest["masukan"]["skala"] and manifest["sintetis"] is True
    assert manifest["pengungkapan"]["k"] == 10 and manifest["pengungkapan"]["perlindungan"] == "komplementer"
    audit = json.loads((rel / "audit.json").read_text())
    a = audit["audit"]
    assert a["lolos"] is True and audit["sel_S2"] > 0 and a["lp_diselesaikan"] + a["sertifikat_sah"] > 0
    # The published rows hide exactly what the protection suppressed: every table it found still holds.
    assert a["sertifikat_sah"] == a["sertifikat_diperiksa"] > 0
    assert all(len(f["sha256"]) == 64 and f["bytes"] > 0 for f in manifest["files"])
    report = json.loads((rel / "laporan_build.json").read_text())
    assert report["baris_rilis"] == json.loads((rel / "manifest.json").read_text())["files"][[f["path"] for f in manifest["files"]].index("indicators.parquet")]["rows"]
    assert report["byte_rilis_tanpa_laporan"] > 0 and report["validasi"]["persons"]["read"] > 0
    assert {"p0_target", "p0_sintetis", "gini_target", "tpt_sintetis"} <= set(report["kalibrasi"][0])
    rows = {f["path"]: f.get("rows") for f in manifest["files"]}
    assert rows["indicators.parquet"] > 1000


def test_cli_verify_passes_and_fails(copy_of_release):
    assert cli("verify", str(copy_of_release)).returncode == 0
    with (copy_of_release / "indicators.parquet").open("r+b") as f:
        f.seek(100)
        f.write(b"\x00\x01\x02")
    res = cli("verify", str(copy_of_release))
    assert res.returncode == 1 and "sha256" in res.stderr


def test_extra_file_is_refused(copy_of_release):
    (copy_of_release / "bocoran.csv").write_text("id_rt,konsumsi\n1,5\n")
    assert any("bocoran.csv" in p for p in verify_release(copy_of_release))


def test_store_refuses_a_broken_current_and_keeps_serving(copy_of_release):
    root = copy_of_release.parent
    store = ReleaseStore(root, interval=0)
    good = store.get().id
    broken = root / "rusak"
    shutil.copytree(copy_of_release, broken)
    (broken / "manifest.json").write_text(json.dumps({**json.loads((broken / "manifest.json").read_text()), "release_id": "rusak"}))
    (broken / "regions.parquet").write_bytes(b"not parquet")
    switch_current(root, "rusak")
    assert store.get().id == good  # the last good release keeps serving
    # A fresh start with a broken `current` falls back to the newest release that verifies.
    assert ReleaseStore(root).get().id == good


def test_no_release_at_all_is_a_clear_error(tmp_path):
    with pytest.raises(NoReleaseError, match="tidak ada rilis"):
        ReleaseStore(tmp_path)


def test_failed_build_does_not_move_current(tmp_path, copy_of_release):
    root = copy_of_release.parent
    before = (root / "current").resolve()
    env_ref = tmp_path / "no-such-reference"
    res = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--preset", "test", "--out", str(root), "--work", str(tmp_path / "w")],
        cwd=ROOT, capture_output=True, text=True, env={**__import__("os").environ, "DTSEN_REFERENCE_DIR": str(env_ref)},
    )
    assert res.returncode != 0 and "GAGAL" in res.stderr
    assert (root / "current").resolve() == before
    assert not any(p.name.startswith(".staging") for p in root.iterdir())


def test_switch_is_atomic_rename(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    switch_current(tmp_path, "a")
    switch_current(tmp_path, "b")
    assert (tmp_path / "current").resolve() == (tmp_path / "b").resolve()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".current")] == []


def test_protected_build_leaves_a_ledger_entry():
    import pandas as pd

    from pipeline.disclosure.ledger import ledger_path

    rel = current_release()
    entry = ledger_path(rel.parent) / f"{rel.name}.parquet"
    assert entry.is_file()
    known = pd.read_parquet(entry)
    assert len(known) > 0 and {"key", "tahun", "kode_wilayah", "value"} <= set(known.columns)
