"""Bulk downloads of a release and the ZIP of a view (issue 16): each file checks against the
manifest or against the release's own table, and no protected value leaves in any of them."""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import zipfile

import pandas as pd
import pytest

from tests.helpers import current_release


@pytest.fixture(scope="module")
def client():
    import app as portal

    return portal.server.test_client()


def test_every_bulk_file_downloads_and_checks_against_the_release(client):
    rel = current_release()
    manifest = json.loads((rel / "manifest.json").read_text(encoding="utf-8"))
    sha = {f["path"]: f["sha256"] for f in manifest["files"]}
    index = client.get(f"/unduh/rilis/{rel.name}").get_json()["berkas"]
    from web.bulk import RELEASE_FILES

    table = pd.read_parquet(rel / "indicators.parquet")
    for name, url in index.items():
        r = client.get(url)
        assert r.status_code == 200, name
        if name in RELEASE_FILES and RELEASE_FILES[name] in sha:
            assert hashlib.sha256(r.data).hexdigest() == sha[RELEASE_FILES[name]], name  # byte for byte the released file
        elif name == "manifest.json":
            assert json.loads(r.data)["release_id"] == rel.name
        elif name == "semua.csv.gz":
            whole = pd.read_csv(io.BytesIO(gzip.decompress(r.data)), dtype={"kode_wilayah": str}, keep_default_na=False, na_values=[""])
            assert len(whole) == len(table)
            assert whole.loc[whole.status.isin(["S1", "S2"]), ["nilai", "pembilang", "penyebut"]].isna().all().all()
        elif name.startswith("tingkat-"):
            level = name[len("tingkat-"):-len(".xlsx")]
            sheet = pd.read_excel(io.BytesIO(r.data))
            assert len(sheet) == (table.tingkat == level).sum(), name
            assert sheet.loc[sheet.status.isin(["S1", "S2"]), "nilai"].isna().all(), name
        elif name == "wilayah.csv":
            regions = pd.read_csv(io.BytesIO(r.data), dtype=str)
            assert {"kode", "kode_bps"} <= set(regions.columns) and (regions.kode.str.replace(".", "", regex=False) == regions.kode_bps).all()
        elif name in ("README.txt", "CITATION.cff"):
            text = r.data.decode()
            assert rel.name in text and "SINTETIS" in text
    assert client.get(f"/unduh/rilis/{rel.name}/tidak-ada.csv").status_code == 404
    assert client.get("/unduh/rilis/tidak-ada/semua.csv.gz").status_code == 404


def test_the_zip_of_a_view_holds_its_csv_metadata_and_readme(client):
    r = client.get("/unduh/peta.zip?indikator=persen_penduduk_miskin&tingkat=kecamatan&induk=34&tahun=semua")
    assert r.status_code == 200 and r.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.data)) as z:
        names = z.namelist()
        data = pd.read_csv(z.open(next(n for n in names if n.endswith("data.csv"))), dtype={"kode_wilayah": str})
        meta = json.loads(z.read(next(n for n in names if n.endswith("metadata.json"))))
        assert any(n.endswith("README.txt") for n in names)
    csv = pd.read_csv(io.StringIO(client.get("/unduh/peta.csv?indikator=persen_penduduk_miskin&tingkat=kecamatan&induk=34&tahun=semua")
                                  .get_data(as_text=True)), dtype={"kode_wilayah": str})
    pd.testing.assert_frame_equal(data, csv)
    assert meta["rilis"] == current_release().name and meta["PERINGATAN"].startswith("DATA SINTETIS")


def test_a_bulk_file_slower_than_a_request_is_built_aside_and_served_when_ready(client, monkeypatch):
    """Outside check (issue 16): the demo's kecamatan XLSX was built inside the request, gunicorn's
    30 s timeout killed the worker, nothing was cached and every retry failed with 500. Now the
    build runs beside the requests: a request that cannot wait gets 503 with Retry-After, a later
    one the file."""
    import threading

    import web.bulk as bulk
    from data.queries import store
    from tests.helpers import current_release

    rel = store().by_id(current_release().name)
    name = "tingkat-provinsi.xlsx"
    (bulk._cache_dir(rel) / name).unlink(missing_ok=True)
    release_build = threading.Event()
    real = bulk.make_derived

    def slow(rel_, name_):
        release_build.wait(10)  # as slow as the test wants
        return real(rel_, name_)

    monkeypatch.setattr(bulk, "make_derived", slow)
    monkeypatch.setattr(bulk, "BUILD_WAIT_S", 0.2)
    url = f"/unduh/rilis/{rel.id}/{name}"
    busy = client.get(url)
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "60"
    release_build.set()
    for _ in range(100):
        if (bulk._cache_dir(rel) / name).is_file():
            break
        threading.Event().wait(0.1)
    ready = client.get(url)
    assert ready.status_code == 200 and ready.data[:2] == b"PK"


def test_readme_and_citation_name_the_configured_address_never_the_host_or_an_old_copy(client, monkeypatch, tmp_path):
    """Issue 18: README.txt and CITATION.cff named the site by the request's Host header and were kept
    on disk, so the first asker's Host reached every later reader. They name DTSEN_PUBLIC_URL, and a
    copy kept before (here one naming evil.example) is never served."""
    import web.bulk as bulk
    from data.queries import store

    rel = store().by_id(current_release().name)
    monkeypatch.setenv("DTSEN_PUBLIC_URL", "https://data.contoh.go.id/portal")
    monkeypatch.setattr(bulk, "_cache_dir", lambda _rel: tmp_path)  # not the shared test release's cache
    for name in bulk.ADDRESSED:
        (bulk._cache_dir(rel) / name).write_text("url: http://evil.example/\n")
        r = client.get(f"/unduh/rilis/{rel.id}/{name}", headers={"Host": "evil.example"})
        assert r.status_code == 200 and f"https://data.contoh.go.id/portal/rilis/{rel.id}".encode() in r.data, name
        assert b"evil.example" not in r.data, name
