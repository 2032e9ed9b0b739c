"""The release contract in one place: what a release folder holds and what its table means.

Imported by both zones: the pipeline writes these files and columns, the portal reads them.
(The manifest, its sha256 check and the release log are in data/manifest.py; the catalogue's
schema in data/catalog.py.)
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from data.catalog import Indicator

INDICATORS = "indicators.parquet"  # the public table: one row per cell, protected values null
REGIONS = "regions.parquet"  # the region registry with both codes
CATALOG = "katalog.json"  # the catalogue the release was built with
AUDIT = "audit.json"  # both audits' figures (absent for primary-only releases)
BUILD_REPORT = "laporan_build.json"  # validation, stages, row counts
TARGETS = "target.csv"  # the RPJMN/SDG target rows the catalogue points at
OFFICIAL_SOURCES = "sumber_resmi.parquet"  # each official BPS figure's table, link and period
NOTES = "catatan_rilis.json"  # what changed since the previous release
GEO = "geo"  # web geometry: provinsi.geojson, kabupaten_kota.geojson, kecamatan/<prov>.geojson
GEO_FILE = re.compile(r"[a-z_]{1,32}(?:/[0-9]{2})?\.geojson")  # the shape of every name in GEO
RELEASE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")  # a release folder's name (preset-stamp)

PUBLIC_COLUMNS = ["indicator_id", "kode_wilayah", "tingkat", "tahun", "dimensi", "kategori", "nilai", "pembilang", "penyebut", "status", "alasan", "periode"]
STATUS_PUBLISHED, STATUS_PRIMARY, STATUS_SECONDARY, STATUS_NOT_APPLICABLE = "ok", "S1", "S2", "NA"
STATUSES = [STATUS_PUBLISHED, STATUS_PRIMARY, STATUS_SECONDARY, STATUS_NOT_APPLICABLE]
PROTECTED = (STATUS_PRIMARY, STATUS_SECONDARY)


def read_catalog(release: Path) -> dict[str, Indicator]:
    """The catalogue a release was built with (older releases lack newer optional fields)."""
    raw = json.loads((Path(release) / CATALOG).read_text(encoding="utf-8"))
    return {i: Indicator(**{**e, "dimensi": tuple(e["dimensi"])}) for i, e in raw.items()}
