"""Usage figures (pemantauan lalu lintas): how often pages are opened, files downloaded and the API
read, per day, by indicator, region level and format. Nothing about who asked: no IP address, no
user agent, no cookie, no query string, only those categories (web/usage_store.py keeps them).

`classify()` is pure: a request and its answer in, a count's key or None out. Every value it
returns is one of the release's catalogue ids, a level, a known format or '-', so no URL can make a
new key. Counts wait in this process's memory and a background thread adds them to the store every
few seconds: a request never waits for the store, and a failing store only costs a warning a minute.
"""
from __future__ import annotations

import atexit
import logging
import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Container, Mapping
from datetime import datetime, timezone

from flask import Flask, request, request_finished

from components.formats import FORMATS
from components.links import API, DOWNLOADS, INDICATORS, REGIONS
from data import queries
from data.catalog import LEVELS
from data.failsoft import REDIS_ERRORS, RateLimitedLog, warn_redis
from web.usage_mirror import mirrored, register_mirror
from web.usage_store import open_store

NONE = "-"  # the address names no indicator, level or format (the page's default view)
BULK_FORMATS = ("csv.gz", "json", "geojson", "txt", "cff")  # a release's whole-table files (web/bulk.py)
DOWNLOAD_FORMATS = frozenset(FORMATS) | frozenset(BULK_FORMATS)
API_FORMATS = {"application/json": "json", "text/csv": "csv", "text/html": "html"}
NOT_PAGES = ("/assets/", "/_dash-", "/_reload-hash", "/_favicon", "/geo/", "/api/", DOWNLOADS + "/")
MAP_CALLBACK = "peta-grafik.figure"  # the map's own callback (a change of its controls), pages/peta.py
FLUSH_EVERY_S = 5.0

log = logging.getLogger("dtsen.usage")
warn_usage = RateLimitedLog(log)


def region_level(code: str) -> str:
    """A region's level from the shape of its code (00, 34, 34.71, 34.71.01); only answered codes are counted."""
    if code == "00":
        return "nasional"
    parts = code.split(".")
    return {1: "provinsi", 2: "kabupaten_kota", 3: "kecamatan"}.get(len(parts), NONE) if all(p.isdigit() for p in parts) else NONE


def file_format(name: str) -> str:
    """The longest known format a file name ends with ('semua.csv.gz' → 'csv.gz', '34.71.meta.json' → 'meta.json')."""
    found = [f for f in DOWNLOAD_FORMATS if name.endswith("." + f)]
    return max(found, key=len) if found else NONE


def classify(method: str, path: str, args: Mapping[str, str], status: int, mimetype: str | None,
             indicators: Container[str], callback: Mapping | None = None) -> tuple[str, str, str, str] | None:
    """(jenis, indikator, tingkat, format) of a request worth counting, else None. Counted: a page
    (GET, 200, HTML), a download under /unduh/, a read of /api/v1, and a change of the map's controls
    (the map's callback, as a view of the map with its indicator). Not counted: anything but 200,
    assets, geometry, Dash's own requests, the search box's suggestions (/api/cari), health checks."""
    if status != 200:
        return None
    if method == "POST" and path == "/_dash-update-component":
        return map_change(callback or {}, indicators)
    if method != "GET":
        return None
    indicator = args.get("indikator") if args.get("indikator") in indicators else NONE
    level = args.get("tingkat") if args.get("tingkat") in LEVELS else NONE
    if path == API or path.startswith(API + "/"):
        return ("api", indicator, level, API_FORMATS.get(mimetype or "", NONE))
    if path.startswith(DOWNLOADS + "/"):
        name = path.rsplit("/", 1)[-1]
        fmt = file_format(name)
        if path.startswith(f"{DOWNLOADS}/wilayah/") and fmt != NONE:
            level = region_level(name[: -len(fmt) - 1])
        elif "-" in name and level == NONE:  # tingkat-kecamatan.xlsx, geo-provinsi.geojson
            stem = name.split(".")[0].split("-", 1)[1]
            level = stem if stem in LEVELS else NONE
        return ("unduhan", indicator, level, fmt)
    if mimetype == "text/html" and not path.startswith(NOT_PAGES):
        if path.startswith(INDICATORS + "/"):
            name = path[len(INDICATORS) + 1:]
            indicator = name if name in indicators else NONE
        elif path.startswith(REGIONS + "/"):
            level = region_level(path[len(REGIONS) + 1:])
        return ("halaman", indicator, level, NONE)
    return None


def map_change(body: Mapping, indicators: Container[str]) -> tuple[str, str, str, str] | None:
    """The map's callback fires when a reader changes its controls (not on load): a view of the map.
    Dash's page router is not counted: its call when Dash starts on a served page looks the same as a
    move through a link inside the site, and the served page was counted already."""
    if not isinstance(body, Mapping) or MAP_CALLBACK not in str(body.get("output", "")):
        return None
    values = {i.get("id"): i.get("value") for i in body.get("inputs") or [] if isinstance(i, Mapping)}
    indicator, level = values.get("peta-indikator"), values.get("peta-tingkat")
    if not isinstance(indicator, str) or indicator not in indicators:
        return None
    return ("halaman", indicator, level if isinstance(level, str) and level in LEVELS else NONE, NONE)


def today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


class Tally:
    """Counts in this process's memory; a background thread adds them to `store` every `every` seconds.
    A batch the store refuses stays here and goes with the next (its keys are few: no URL makes new ones)."""

    def __init__(self, store, every: float = FLUSH_EVERY_S):
        self.store, self.every = store, every
        self._lock = threading.Lock()
        self._pending: Counter = Counter()
        self._flusher_pid: int | None = None

    def add(self, key: tuple[str, str, str, str]) -> None:
        with self._lock:
            self._pending[(today(), *key)] += 1
            if self._flusher_pid != os.getpid():  # first count in this (possibly forked) worker
                self._flusher_pid = os.getpid()
                threading.Thread(target=self._flush_forever, name="dtsen-usage", daemon=True).start()
                atexit.register(self.flush)  # a worker stopped gracefully keeps its last seconds

    def flush(self) -> bool:
        """Add what is pending to the store; True when the store took it (or nothing was pending)."""
        with self._lock:
            batch, self._pending = self._pending, Counter()
        if not batch:
            return True
        try:
            self.store.add(batch)
            return True
        except Exception as exc:  # noqa: BLE001 - counting must never break serving
            (warn_redis if isinstance(exc, REDIS_ERRORS) else warn_usage)(
                "usage counts not stored yet (%s: %s); kept in memory and tried again", type(exc).__name__, exc)
            with self._lock:
                self._pending.update(batch)
            return False

    def _flush_forever(self) -> None:
        while True:
            time.sleep(self.every)
            self.flush()

    def rows(self) -> list[tuple] | None:
        """Every stored count (COLUMNS of web/usage_store.py), or None while the store cannot be read."""
        try:
            return self.store.rows()
        except (*REDIS_ERRORS, sqlite3.Error) as exc:
            warn_usage("usage figures unreadable (%s: %s)", type(exc).__name__, exc)
            return None


def tally(server: Flask) -> Tally:
    return server.extensions["dtsen_usage"]


def register_usage(server: Flask) -> Tally:
    """Count every finished request (request_finished: after every after_request hook, so with the
    status the reader got) into the store web/usage_store.open_store() picks."""
    server.extensions["dtsen_usage"] = Tally(open_store())
    request_finished.connect(_count, server, weak=False)
    register_mirror(server, lambda path, args: _add(server, classify("GET", path, args, 200, "text/html", queries.release().catalog)))
    return tally(server)


def _add(server: Flask, key) -> None:
    if key:
        tally(server).add(key)


def _count(server: Flask, response, **_) -> None:
    try:
        if response.status_code != 200 or mirrored(request.headers):  # nginx's copy counts it (web/usage_mirror.py)
            return
        body = request.get_json(silent=True) if request.method == "POST" else None  # Dash parsed it already: cached
        key = classify(request.method, request.path, request.args, response.status_code, response.mimetype,
                       queries.release().catalog, body)
        if key:
            tally(server).add(key)
    except Exception as exc:  # noqa: BLE001 - counting must never break serving
        warn_usage("a request was not counted (%s: %s)", type(exc).__name__, exc)
