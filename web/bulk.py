"""Bulk downloads of a release, /unduh/rilis/<id>/<file> (a view's ZIP is a download format: components/formats.py).

The release's own files (parquet, GeoJSON, catalogue, audit, manifest) are served as they
are, so each one checks against the manifest's sha256. Derived files (the whole table as
gzipped CSV, one XLSX per level, regions with both codes, the data dictionary) are made on
first request and kept in a cache folder beside the releases (never inside a release, whose
folder must match its manifest); README and CITATION.cff, which name the site's address, are
made for each request. A protected value is empty.
"""
from __future__ import annotations

import gzip
import json
import logging
import os
import threading
import time
from pathlib import Path

import pandas as pd
from flask import Flask, Response, abort

from components.export import attachment, citation, xlsx_bytes
from components.formats import FORMATS
from components.links import bulk_url, release_url
from data import queries
from data.contract import AUDIT, CATALOG, GEO, INDICATORS
from data.manifest import MANIFEST
from data.catalog import LEVELS
from web.public_url import site_root
from components.i18n import DEFAULT, use_language
from web.sources import row_sources

log = logging.getLogger("dtsen.bulk")

XLSX_ROW_LIMIT = 1_048_575  # one row for the header
RELEASE_FILES = {  # served as they are (each listed in the manifest with its sha256)
    "semua.parquet": INDICATORS, "katalog.json": CATALOG, "audit.json": AUDIT, "manifest.json": MANIFEST,
    "geo-provinsi.geojson": f"{GEO}/provinsi.geojson", "geo-kabupaten_kota.geojson": f"{GEO}/kabupaten_kota.geojson",
}
DERIVED = ("semua.csv.gz", "wilayah.csv", "kamus_data.csv", "README.txt", "CITATION.cff") + tuple(f"tingkat-{lv}.xlsx" for lv in LEVELS)
# These name the site's public address (configuration, web/public_url.py): made for each request (a few
# hundred bytes), never kept, so a changed address, or a copy kept before it was configured, is never served.
ADDRESSED = ("README.txt", "CITATION.cff")
DICTIONARY = [
    ("indicator_id", "id indikator (lihat katalog.json)"), ("kode_wilayah", "kode wilayah Kemendagri bertitik (32.05)"),
    ("tingkat", "nasional, provinsi, kabupaten_kota, kecamatan"), ("tahun", "tahun data"), ("dimensi", "rincian: total, jenis_kelamin, perkotaan_perdesaan, desil, kelompok_umur"),
    ("kategori", "kategori rincian"), ("nilai", "nilai indikator; kosong bila dilindungi (S1/S2) atau tidak berlaku (NA), tidak pernah 0"),
    ("pembilang", "pembilang (orang atau rumah tangga); kosong bila dilindungi"), ("penyebut", "penyebut; kosong bila dilindungi"),
    ("status", "ok = terbit; S1 = dilindungi, terlalu sedikit unit di sel atau di antara yang dihitung/tidak dihitung; S2 = dilindungi agar sel kecil lain tidak bisa dihitung; NA = tidak berlaku"),
    ("alasan", "aturan primer yang melindungi sel S1"), ("periode", "periode angka resmi BPS (mis. 2024-03); kosong untuk angka register"),
    ("sumber", "asal angka: tabel, tautan dan periode BPS untuk angka resmi; selain itu register DTSEN (ditandai DATA SINTETIS pada rilis demo)"),
]
# The derived files' layout: when it changes (v2: the `sumber` column), copies made before are
# dropped once, so none is served (the marker file `.layout` in the cache folder names the layout).
CACHE_LAYOUT = "v2"


def _cache_dir(rel) -> Path:
    root = Path(queries.store().root) / ".unduhan" / rel.id
    root.mkdir(parents=True, exist_ok=True)
    marker = root / ".layout"
    if not marker.is_file() or marker.read_text(encoding="utf-8") != CACHE_LAYOUT:
        for name in DERIVED:
            (root / name).unlink(missing_ok=True)
        marker.write_text(CACHE_LAYOUT, encoding="utf-8")
    return root


def _public_table(rel) -> pd.DataFrame:
    df = rel.query("SELECT * FROM cells ORDER BY indicator_id, tingkat, tahun, dimensi, kategori, kode_wilayah")
    hidden = df["status"] != "ok"
    for col in ("nilai", "pembilang", "penyebut"):
        df[col] = df[col].astype(object).where(~hidden, None)
    df["sumber"] = row_sources(rel, df)  # an official BPS figure's table and period travel with it
    return df


def readme(rel) -> str:
    m = rel.manifest
    warning = "PERINGATAN: DATA SINTETIS, bukan statistik resmi.\n\n" if rel.synthetic else ""
    return (f"{warning}Portal Data DTSEN Terbuka — rilis {rel.id} ({m.get('dibuat', '')})\n\n"
            "Berkas:\n  semua.csv.gz / semua.parquet  seluruh tabel rilis (sel dilindungi kosong, tidak pernah 0)\n"
            "  tingkat-<tingkat>.xlsx          tabel yang sama per tingkat wilayah (untuk Excel)\n"
            "  wilayah.csv                     wilayah dengan kode Kemendagri dan BPS\n  kamus_data.csv                  arti tiap kolom\n"
            "  katalog.json                    definisi, rumus, satuan dan aturan tiap indikator\n"
            "  geo-*.geojson                   batas wilayah untuk web\n  audit.json                      hasil kedua audit pengungkapan\n"
            "  manifest.json                   sha256 tiap berkas rilis\n\n"
            f"Lisensi: {m.get('lisensi', '')}\nKutip: {citation(rel.id, 'seluruh tabel', site_root() + release_url(rel.id), m.get('dibuat', ''))}\n")


def citation_cff(rel) -> str:
    m = rel.manifest
    return (f'cff-version: 1.2.0\nmessage: "Kutip data ini seperti di bawah."\ntitle: "Portal Data DTSEN Terbuka, rilis {rel.id}'
            f'{" (DATA SINTETIS)" if rel.synthetic else ""}"\ntype: dataset\nauthors:\n  - name: "Kementerian PPN/Bappenas"\n'
            f'version: "{rel.id}"\ndate-released: "{m.get("dibuat", "")[:10]}"\nlicense-url: "https://creativecommons.org/licenses/by/4.0/"\n'
            f'url: "{site_root()}{release_url(rel.id)}"\n')


def make_derived(rel, name: str) -> bytes:
    """A derived file of the release, always in the release's own language (Bahasa Indonesia): it is
    kept on disk and served to every reader, whatever language the request that made it asked for."""
    with use_language(DEFAULT):
        return _make_derived(rel, name)


def _make_derived(rel, name: str) -> bytes:
    if name == "semua.csv.gz":
        return gzip.compress(_public_table(rel).to_csv(index=False).encode("utf-8"), compresslevel=6)
    if name == "wilayah.csv":
        return rel.regions[["kode", "kode_bps", "nama", "tingkat", "kode_induk", "ibu_kota", "lat", "lng"]].to_csv(index=False).encode("utf-8")
    if name == "kamus_data.csv":
        return pd.DataFrame(DICTIONARY, columns=["kolom", "arti"]).to_csv(index=False).encode("utf-8")
    if name == "README.txt":
        return readme(rel).encode("utf-8")
    if name == "CITATION.cff":
        return citation_cff(rel).encode("utf-8")
    level = name[len("tingkat-"):-len(".xlsx")]
    df = _public_table(rel)
    df = df[df["tingkat"] == level].head(XLSX_ROW_LIMIT)
    cols = ["indicator_id", "tahun", "kode_wilayah", "dimensi", "kategori", "nilai", "status", "pembilang", "penyebut", "periode", "sumber"]
    meta = [("rilis", rel.id), ("tingkat", level)] + ([("PERINGATAN", "DATA SINTETIS, bukan statistik resmi")] if rel.synthetic else [])
    return xlsx_bytes(df[cols].astype(object).where(df[cols].notna(), None), meta)


# The table formats' mimetypes are the download registry's; the rest are the release's own kinds of file.
MIMES = {**{f".{ext}": FORMATS[ext].mimetype for ext in ("csv", "xlsx", "parquet")}, ".gz": "application/gzip",
         ".txt": "text/plain", ".cff": "text/plain", ".json": "application/json", ".geojson": "application/geo+json"}


def register_bulk(server: Flask) -> None:
    @server.route("/unduh/rilis/<release_id>/")
    @server.route("/unduh/rilis/<release_id>")
    def bulk_index(release_id: str):
        rel = _release(release_id)
        files = sorted(RELEASE_FILES) + list(DERIVED)
        return Response(json.dumps({"rilis": rel.id, "berkas": {f: bulk_url(rel.id, f) for f in files}}, ensure_ascii=False, indent=1),
                        mimetype="application/json", headers={"Access-Control-Allow-Origin": "*"})

    @server.route("/unduh/rilis/<release_id>/<name>")
    def bulk_file(release_id: str, name: str):
        rel = _release(release_id)
        suffix = "." + name.rsplit(".", 1)[-1]
        headers = {"Content-Disposition": attachment(f"dtsen_{rel.id}_{name}"), "Access-Control-Allow-Origin": "*"}
        if name in RELEASE_FILES:
            listed = RELEASE_FILES[name]
            if listed == MANIFEST:  # the root of trust: what every other file is checked against
                body = (rel.path / MANIFEST).read_bytes()
            elif rel.has_file(listed):
                body = rel.read_bytes(listed)  # checked against the manifest (a changed file: 503)
            else:
                abort(404)
            return Response(body, mimetype=MIMES.get(suffix, "application/octet-stream"), headers=headers)
        if name not in DERIVED:
            return Response(f"Tidak ada berkas '{name}' untuk rilis {rel.id}; daftar: {bulk_url(rel.id)}\n", status=404, mimetype="text/plain")
        if name in ADDRESSED:
            return Response(make_derived(rel, name), mimetype=MIMES[suffix], headers=headers)
        cached = _cache_dir(rel) / name
        if not cached.is_file():
            # The biggest (kecamatan XLSX, 874k rows on the demo) takes longer than a worker may
            # hold a request: build it beside the requests, and say when to come back.
            done = build_in_background(rel, name)
            done.wait(timeout=BUILD_WAIT_S)
            if not cached.is_file():
                return Response(f"Berkas '{name}' sedang disiapkan; coba lagi dalam satu menit.\n", status=503, mimetype="text/plain",
                                headers={"Retry-After": "60"})
        return Response(cached.read_bytes(), mimetype=MIMES.get(suffix, "application/octet-stream"), headers=headers)


BUILD_WAIT_S = 20.0  # a request waits this long for a file being built, then gets 503 + Retry-After
STALE_BUILD_S = 900.0  # a build marker older than this belongs to a process that died
_builds: dict[tuple[str, str], threading.Event] = {}
_builds_lock = threading.Lock()


def build_in_background(rel, name: str) -> threading.Event:
    """Start writing a derived file unless this process, or another worker (a marker file beside
    the cache says so), is already at it; the event is set when this process's build ends."""
    key = (rel.id, name)
    with _builds_lock:
        if key in _builds:
            return _builds[key]
        done = _builds[key] = threading.Event()
    cached = _cache_dir(rel) / name
    marker = cached.with_suffix(cached.suffix + ".building")
    try:
        if marker.exists() and time.time() - marker.stat().st_mtime > STALE_BUILD_S:
            marker.unlink(missing_ok=True)
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        os.close(fd)
    except FileExistsError:  # another worker builds it: this one only waits for the file
        with _builds_lock:
            _builds.pop(key, None)
        return _wait_for_file(cached)

    def work():
        try:
            tmp = cached.with_suffix(cached.suffix + ".tmp")
            tmp.write_bytes(make_derived(rel, name))
            tmp.replace(cached)  # atomic: a half-written file is never served
        except Exception:  # logged once; the next request tries again
            log.exception("bulk file %s of %s could not be built", name, rel.id)
        finally:
            marker.unlink(missing_ok=True)
            with _builds_lock:
                _builds.pop(key, None)
            done.set()

    threading.Thread(target=work, name=f"bulk-{name}", daemon=True).start()
    return done


def _wait_for_file(path: Path) -> threading.Event:
    event = threading.Event()

    def watch():
        deadline = time.time() + BUILD_WAIT_S
        while time.time() < deadline and not path.is_file():
            time.sleep(0.5)
        event.set()

    threading.Thread(target=watch, daemon=True).start()
    return event


def _release(release_id: str):
    try:
        return queries.store().by_id(release_id)
    except LookupError as exc:
        from data.access import ReleaseWithdrawn

        if isinstance(exc, ReleaseWithdrawn):
            abort(Response(f"Rilis {release_id} ditarik: {exc.event.get('alasan', '')}\n", status=410, mimetype="text/plain"))
        abort(Response(f"Tidak ada rilis '{release_id}'. Daftar: {release_url()}\n", status=404, mimetype="text/plain"))
