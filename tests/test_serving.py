"""Serving a release: the cells laid out once and shared by every worker, files checked against
the manifest whenever they are read from disk, and a past release's files still answering after
a switch (issue 18)."""
from __future__ import annotations

import json
import logging
import shutil

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
