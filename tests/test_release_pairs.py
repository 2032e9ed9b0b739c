"""Issue 14: a revision of the same years from a corrected input builds beside the first
release, and the pair is safe together (the reader's audit reads both)."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent


def build(out: Path, work: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "build", "--preset", "test", "--out", str(out), "--work", str(work), *extra],
                          cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """Two releases of the same years in one folder: a faulty extract, then the corrected one."""
    tmp = tmp_path_factory.mktemp("pair")
    out, work = tmp / "releases", tmp / "work"
    first = build(out, work, "--corrupt", "0.002", "--publisher", "uji")  # an extract with faulty rows (quarantined)…
    assert first.returncode == 0, first.stderr[-2000:]
    first_id = (out / "current").resolve().name
    second = build(out, work)  # …and the corrected one, same years
    assert second.returncode == 0, second.stderr[-2000:]
    return out, first_id, (out / "current").resolve().name


def ask(out: Path, urls: list[str]) -> list[tuple[int, str]]:
    """The portal over HTTP on that folder, in a fresh process (one Dash app per process)."""
    script = ("import json, sys, app; c = app.server.test_client(); "
              "print(json.dumps([(r.status_code, r.get_data(as_text=True)) for r in (c.get(u) for u in json.loads(sys.argv[1]))]))")
    run = subprocess.run([sys.executable, "-c", script, json.dumps(urls)], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "DTSEN_RELEASE_DIR": str(out)})
    assert run.returncode == 0, run.stderr[-2000:]
    return [tuple(x) for x in json.loads(run.stdout.strip().splitlines()[-1])]


def test_a_corrected_extract_of_the_same_years_builds_and_is_audited_with_the_first(pair):
    out, first_id, second_id = pair
    assert first_id != second_id and (out / first_id / "indicators.parquet").exists()
    audit = json.loads((out / second_id / "audit.json").read_text(encoding="utf-8"))
    assert audit["buku_besar"]["sel_sudah_terbit_sebelumnya"] > 0
    reader = audit["audit_pembaca"]
    assert reader["lolos"] and reader["rilis_lain_yang_dibaca"] == [first_id]


def test_every_release_stays_reachable_and_a_citation_opens_the_same_numbers(pair):
    """Issue 16: a past release is listed, and pages and downloads with ?rilis=<id> serve its numbers,
    while the default serves the newest; the citation pins the release."""
    out, first_id, second_id = pair
    view = "indikator=persen_penduduk_miskin&tahun=2025&tingkat=kecamatan&induk=34"
    (s_list, listing), (s_old, old_csv), (s_new, new_csv), (s_page, page), (s_meta, meta) = ask(out, [
        "/rilis", f"/unduh/peta.csv?{view}&rilis={first_id}", f"/unduh/peta.csv?{view}", f"/peta?{view}&rilis={first_id}",
        f"/unduh/peta.meta.json?{view}&rilis={first_id}"])
    assert s_list == 200 and first_id in listing and second_id in listing
    assert s_old == s_new == s_page == s_meta == 200
    cells = {rid: pd.read_parquet(out / rid / "indicators.parquet") for rid in (first_id, second_id)}
    for rid, body in ((first_id, old_csv), (second_id, new_csv)):
        got = pd.read_csv(io.StringIO(body), dtype={"kode_wilayah": str}).set_index("kode_wilayah")
        c = cells[rid]
        want = c[(c.indicator_id == "persen_penduduk_miskin") & (c.tahun == 2025) & (c.tingkat == "kecamatan") & (c.dimensi == "total")
                 & c.kode_wilayah.str.startswith("34.")].set_index("kode_wilayah")
        assert list(got["status"].replace({"tidak_berlaku": "NA"})) == list(want.loc[got.index, "status"]), rid
    assert f"Anda melihat rilis {first_id}" in page  # a pinned page says it is not the newest
    notes = json.loads((out / second_id / "catatan_rilis.json").read_text(encoding="utf-8"))
    assert notes["rilis_sebelumnya"] == first_id and notes["status_berubah"] > 0 and notes["perubahan_status"]
    (s_rel, release_page), = ask(out, [f"/rilis/{second_id}"])
    assert s_rel == 200 and f"Dibandingkan dengan rilis {first_id}" in release_page
    assert f"rilis={first_id}" in json.loads(meta)["kutipan"] and first_id in json.loads(meta)["kutipan_apa"]


def test_a_withdrawn_release_answers_410_with_its_reason_and_current_moves_back(pair, tmp_path):
    import shutil

    out, first_id, second_id = pair
    copy = tmp_path / "releases"
    shutil.copytree(out, copy, symlinks=True)
    bad = subprocess.run([sys.executable, "-m", "pipeline", "withdraw", "tidak-ada", "--reason", "x", "--out", str(copy)],
                         cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 1 and "tidak ada" in bad.stderr and "Traceback" not in bad.stderr
    run = subprocess.run([sys.executable, "-m", "pipeline", "withdraw", second_id, "--reason", "kesalahan kode wilayah", "--out", str(copy),
                          "--publisher", "uji"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (copy / "current").resolve().name == first_id  # current moved back atomically
    events = [json.loads(line) for line in (copy / "rilis.log.jsonl").read_text().splitlines()]
    assert [e["peristiwa"] for e in events][-1] == "tarik" and events[-1]["alasan"] == "kesalahan kode wilayah"
    (s_csv, csv_body), (s_api, api_body), (s_page, page), (s_home, home), (s_list, listing) = ask(copy, [
        f"/unduh/peta.csv?indikator=tpt&rilis={second_id}", f"/api/cari?q=sleman&rilis={second_id}", f"/rilis/{second_id}", "/", "/rilis"])
    assert s_csv == 410 and "kesalahan kode wilayah" in csv_body
    assert s_api == 410 and "kesalahan kode wilayah" in json.loads(api_body)["galat"]
    assert s_page == 410 and "kesalahan kode wilayah" in page
    assert s_home == 200 and "ditarik" in home and "kesalahan kode wilayah" in home  # announced on every page
    assert s_list == 200 and "kesalahan kode wilayah" in listing
    manifest = json.loads((copy / first_id / "manifest.json").read_text())
    assert manifest["penerbit"] == "uji" and manifest["referensi_sha256"] and "kode_versi" in manifest
