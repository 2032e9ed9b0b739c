"""Serving a release: the cells laid out once and shared by every worker, files checked against
the manifest whenever they are read from disk, and a past release's files still answering after
a switch (issue 18)."""
from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from data import queries, serving_files
from data.access import ReleaseStore, load_release
from data.manifest import verify_release
from pipeline.release import switch_current
from tests.helpers import current_release


@pytest.fixture()
def copy_of_release(tmp_path):
    src = current_release()
    dst = tmp_path / "releases" / src.name
    shutil.copytree(src, dst)
    switch_current(dst.parent, src.name)
    return dst


@pytest.fixture()
def client_on(monkeypatch):
    """The portal's test client reading the release folder `root` (the store swapped for the test)."""
    import app as portal

    def make(root):
        monkeypatch.setattr(queries, "_store", ReleaseStore(root, interval=0))
        return portal.server.test_client()
    return make


def test_workers_share_one_layout_written_outside_the_release(copy_of_release):
    first, second = load_release(copy_of_release), load_release(copy_of_release)  # as two workers would
    folder = first.serving_folder
    written = (folder / serving_files.DONE).stat().st_mtime_ns
    assert second.serving_folder == folder and (folder / serving_files.DONE).stat().st_mtime_ns == written
    assert isinstance(first.cells.nilai, np.memmap)  # pages of the OS cache, not a copy per worker
    assert folder.parent.parent == copy_of_release.parent  # beside the releases, not inside one
    assert verify_release(copy_of_release) == []  # the release folder itself is untouched
    ind, tingkat, tahun, dimensi, kategori = next(iter(first.cells.groups))
    got = first.cells.map_values(ind, tahun, tingkat, dimensi, kategori, None)
    sql = first.query("SELECT count(*) AS n FROM cells WHERE indicator_id=? AND tingkat=? AND tahun=? AND dimensi=? AND kategori=?",
                      [ind, tingkat, tahun, dimensi, kategori])
    assert len(got) == int(sql["n"][0]) > 0


def test_a_changed_input_never_reads_an_old_layout(copy_of_release):
    manifest = load_release(copy_of_release).manifest
    other = json.loads(json.dumps(manifest))
    for entry in other["files"]:
        if entry["path"] == "indicators.parquet":
            entry["sha256"] = "0" * 64
    assert serving_files.folder_for(copy_of_release, other) != serving_files.folder_for(copy_of_release, manifest)


def test_a_changed_file_is_refused_and_logged_once(copy_of_release, client_on, caplog):
    client = client_on(copy_of_release.parent)
    rid = load_release(copy_of_release).id
    url = f"/geo/{rid}/provinsi.geojson"
    assert client.get(url).status_code == 200
    path = copy_of_release / "geo" / "provinsi.geojson"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, same size: what a stat check would miss
    path.write_bytes(bytes(data))
    with caplog.at_level(logging.ERROR, logger="dtsen.release"):
        for _ in range(3):
            resp = client.get(url)
            assert resp.status_code == 503 and b"integritas" in resp.data
            assert "immutable" not in resp.headers.get("Cache-Control", "")
        assert client.get(f"/unduh/rilis/{rid}/geo-provinsi.geojson").status_code == 503
    lines = [r for r in caplog.records if "provinsi.geojson" in r.getMessage()]
    assert len(lines) == 1 and "sha256" in lines[0].getMessage()
    assert client.get(f"/geo/{rid}/kabupaten_kota.geojson").status_code == 200  # the untouched files still serve


def test_a_past_release_keeps_its_files_after_a_switch(copy_of_release, client_on):
    root = copy_of_release.parent
    old = load_release(copy_of_release).id
    newer = root / "rilis-baru"
    shutil.copytree(copy_of_release, newer)
    manifest = json.loads((newer / "manifest.json").read_text())
    (newer / "manifest.json").write_text(json.dumps({**manifest, "release_id": "rilis-baru"}))
    client = client_on(root)
    before = client.get(f"/geo/{old}/provinsi.geojson")
    switch_current(root, "rilis-baru")
    assert queries.store().get().id == "rilis-baru"
    for name in ("provinsi.geojson", "kabupaten_kota.geojson"):
        after = client.get(f"/geo/{old}/{name}")
        assert after.status_code == 200, name
    assert client.get(f"/geo/{old}/provinsi.geojson").data == before.data
    assert client.get("/geo/rilis-baru/provinsi.geojson").status_code == 200


def current_id(body: bytes) -> str | None:
    """The release /api/v1/rilis calls current."""
    return next((r["id"] for r in json.loads(body)["data"] if r["berlaku"]), None)


def test_a_switch_under_load_fails_no_request(copy_of_release):
    """gunicorn with two workers, four clients reading pages, maps, downloads and the old release's
    geometry, and `current` switched to a new release half way: every request answers 200."""
    root = copy_of_release.parent
    old = load_release(copy_of_release).id
    newer = root / "rilis-baru"
    shutil.copytree(copy_of_release, newer)
    manifest = json.loads((newer / "manifest.json").read_text())
    (newer / "manifest.json").write_text(json.dumps({**manifest, "release_id": "rilis-baru"}))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    repo = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2",
                             "--timeout", "60", "app:server"], cwd=repo, env={**os.environ, "DTSEN_RELEASE_DIR": str(root)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def get(path):
        try:
            with urllib.request.urlopen(base + path, timeout=60) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()
        except OSError as exc:
            return 0, str(exc).encode()

    try:
        for _ in range(120):
            if get("/tentang")[0] == 200:
                break
            time.sleep(0.5)
        paths = ["/", "/peta?tingkat=kabupaten_kota", "/wilayah/" + load_release(copy_of_release).regions.index[0],
                 "/unduh/peta.csv?indikator=persen_penduduk_miskin", f"/geo/{old}/provinsi.geojson", "/api/v1/rilis"]
        failures, served, stop = [], [0], threading.Event()

        def client(i):
            while not stop.is_set():
                path = paths[served[0] % len(paths)]
                status, body = get(path)
                served[0] += 1
                if status != 200:
                    failures.append((path, status, body[:200]))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        time.sleep(3)
        before = served[0]
        switch_current(root, "rilis-baru")
        deadline = time.monotonic() + 60
        while current_id(get("/api/v1/rilis")[1]) != "rilis-baru":  # every worker notices within seconds
            assert time.monotonic() < deadline, "the new release was never served"
            time.sleep(0.5)
        time.sleep(3)
        stop.set()
        for t in threads:
            t.join()
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
    assert served[0] > before > 0
    assert failures == []


def test_a_dangling_current_is_said_once_and_the_last_good_release_serves(copy_of_release, caplog):
    root = copy_of_release.parent
    store = ReleaseStore(root, interval=0)
    good = store.get().id
    (root / "current").unlink()
    (root / "current").symlink_to("tidak-ada")
    with caplog.at_level(logging.ERROR, logger="dtsen.release"):
        assert [store.get().id for _ in range(3)] == [good] * 3
    said = [r.getMessage() for r in caplog.records if "tidak-ada" in r.getMessage()]
    assert len(said) == 1 and "tetap dilayani" in said[0]


def test_a_changed_layout_file_is_never_served(copy_of_release, caplog):
    """The numbers pages show are read from the serving layout: a byte changed there (on disk, in a
    file every worker maps) is found when the layout is opened and by the store's periodic check."""
    store = ReleaseStore(copy_of_release.parent, interval=0)
    rel = store.get()
    values = np.load(rel.serving_folder / "index" / "nilai.npy", mmap_mode="r+")
    first = next(i for i, v in enumerate(values) if v == v)  # a published value (not NaN)
    true_value = float(values[first])
    values[first] = 99.99
    values.flush()
    assert rel.cells.nilai[first] == 99.99  # every worker maps this file: the change is live
    with caplog.at_level(logging.ERROR, logger="dtsen.release"):
        store._layout_checked = -1e9  # the periodic check is due
        fresh = store.get()
    assert fresh is not rel and fresh.cells.nilai[first] == true_value
    assert any("tata letak layanan berubah" in r.getMessage() for r in caplog.records)
    assert serving_files.problems(fresh.serving_folder) == []
    # A process opening a changed layout rewrites it too.
    np.load(fresh.serving_folder / "index" / "nilai.npy", mmap_mode="r+")[first] = 42.0
    assert serving_files.problems(fresh.serving_folder)
    assert serving_files.problems(load_release(copy_of_release).serving_folder) == []


def test_current_is_a_pointer_not_a_release(copy_of_release, client_on):
    client = client_on(copy_of_release.parent)
    assert client.get("/geo/current/provinsi.geojson").status_code == 404
    assert client.get("/unduh/rilis/current/manifest.json").status_code == 404
    assert client.get("/peta?rilis=current").status_code == 404


def test_health_says_degraded_while_a_refused_current_is_not_served(copy_of_release, client_on):
    client = client_on(copy_of_release.parent)
    ok = client.get("/healthz").get_json()
    assert ok["status"] == "ok" and ok["current_served"] is True
    (copy_of_release.parent / "current").unlink()
    (copy_of_release.parent / "current").symlink_to("tidak-ada")
    body = client.get("/healthz")
    assert body.status_code == 200 and body.get_json()["status"] == "degraded"
    assert body.get_json()["release_id"] == ok["release_id"]  # the last good release still serves
