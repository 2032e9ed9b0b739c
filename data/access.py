"""Read-only access to the current release (DuckDB over the release's parquet).

The app never opens anything but a verified release directory. `ReleaseStore`
resolves `current`, verifies it against its manifest, and keeps serving the
last good release when a new `current` is broken.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import duckdb
import pandas as pd

from data.catalog import Indicator
from data import serving_files
from data.cellindex import CellIndex
from data.contract import AUDIT, BUILD_REPORT, GEO, GEO_FILE, OFFICIAL_SOURCES, RELEASE_ID, TARGETS, read_catalog
from data.manifest import read_manifest, read_release_log, verify_release, withdrawn_releases

log = logging.getLogger("dtsen.release")


class NoReleaseError(RuntimeError):
    pass


class ReleaseNotFound(LookupError):
    """No release with this id in the release folder (a 404)."""


class TamperedFile(RuntimeError):
    """A release file no longer holds the bytes its manifest lists: it is not served (a 503)."""


class ReleaseWithdrawn(LookupError):
    """The release was withdrawn (a 410): `event` holds the reason and the time."""

    def __init__(self, release_id: str, event: dict):
        super().__init__(f"rilis {release_id} ditarik: {event.get('alasan', '')}")
        self.release_id = release_id
        self.event = event


@dataclass(repr=False)
class Release:
    path: Path
    manifest: dict

    def __repr__(self) -> str:
        # Cached queries are keyed by their arguments' repr: a release is known by its id alone.
        return f"Release({self.id!r})"

    @property
    def id(self) -> str:
        return self.manifest["release_id"]

    @property
    def synthetic(self) -> bool:
        return bool(self.manifest.get("sintetis", True))

    @cached_property
    def _listed(self) -> dict[str, dict]:
        return {e["path"]: e for e in self.manifest.get("files", [])}

    def has_file(self, name: str) -> bool:
        return name in self._listed

    def read_bytes(self, name: str) -> bytes:
        """A release file's bytes, checked against the manifest each time it is read from disk.

        A release is verified when it is loaded, but its files are read later (geometry on
        each request, the audit on first use): a file changed in between is refused, not
        served under the year-long cache the release's URLs carry."""
        entry = self._listed.get(name)
        if entry is None:
            raise FileNotFoundError(f"{self.id}/{name}: tidak tercantum di manifest")
        data = (self.path / name).read_bytes()
        if len(data) != entry["bytes"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
            _report_tampered(self.id, name)
            raise TamperedFile(f"{self.id}/{name}")
        return data

    def read_json(self, name: str, default=None):
        return json.loads(self.read_bytes(name)) if self.has_file(name) else default

    @cached_property
    def serving_folder(self) -> Path:
        """The cells laid out on disk for serving, shared by every worker (data/serving_files.py)."""
        return serving_files.ensure(self.path, self.manifest)

    @cached_property
    def _con(self) -> duckdb.DuckDBPyConnection:
        return serving_files.connect(self.serving_folder)

    @cached_property
    def cells(self) -> CellIndex:
        """The cells for the map's lookups: memory-mapped, so every worker shares one copy."""
        arrays, meta = serving_files.load_index_arrays(self.serving_folder)
        return CellIndex(arrays, meta, self.regions)

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        # A cursor per query: DuckDB connections are not shared between threads.
        cur = self._con.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    @cached_property
    def catalog(self) -> dict[str, Indicator]:
        """The catalogue as released (so the app shows what this release was built with)."""
        return read_catalog(self.path)

    @cached_property
    def regions(self) -> pd.DataFrame:
        return self.query("SELECT * FROM regions ORDER BY kode").set_index("kode", drop=False)

    @cached_property
    def names_by_code(self) -> dict[str, tuple[str, str]]:
        """kode → (kode_bps, nama), for readers that label many rows (the API)."""
        r = self.regions
        return {k: (b, n) for k, b, n in zip(r["kode"], r["kode_bps"], r["nama"])}

    def region(self, kode: str) -> dict | None:
        """kode, nama, tingkat and parent code of a region; `00` is Indonesia, the parent of provinces."""
        if kode == "00":
            return {"kode": "00", "nama": "Indonesia", "tingkat": "nasional", "kode_induk": None}
        if kode not in self.regions.index:
            return None
        r = self.regions.loc[kode]
        return {"kode": kode, "nama": r["nama"], "tingkat": r["tingkat"], "kode_induk": r["kode_induk"] if isinstance(r["kode_induk"], str) else "00"}

    def lineage(self, kode: str) -> list[dict]:
        """The region and every region above it, Indonesia first, the region last."""
        chain, info = [], self.region(kode)
        while info is not None:
            chain.append(info)
            info = self.region(info["kode_induk"]) if info["kode_induk"] else None
        return list(reversed(chain))

    def comparison_codes(self, kode: str) -> tuple[str, ...]:
        """What a profile sets a region beside: the region, each region above it (nearest first),
        then Indonesia; a kecamatan is read against its kabupaten, its province and the nation."""
        return tuple(c["kode"] for c in reversed(self.lineage(kode)))

    @cached_property
    def years(self) -> list[int]:
        return [int(y) for y in self.query("SELECT DISTINCT tahun FROM cells ORDER BY tahun")["tahun"]]

    @cached_property
    def report(self) -> dict:
        return self.read_json(BUILD_REPORT, {})

    @cached_property
    def audit(self) -> dict:
        return self.read_json(AUDIT, {})

    @cached_property
    def targets(self) -> pd.DataFrame:
        """RPJMN/SDG target rows shipped with the release (empty for releases built before them)."""
        cols = ["indikator", "kode_sdg", "target_tahun", "target_nilai", "satuan", "dokumen", "sumber"]
        if not self.has_file(TARGETS):
            return pd.DataFrame(columns=cols)
        return pd.read_csv(io.BytesIO(self.read_bytes(TARGETS)), dtype=str, keep_default_na=False)

    @cached_property
    def official_sources(self) -> pd.DataFrame:
        """Per official BPS figure (indicator, region, year): its period and source line (table, URL)."""
        cols = ["indicator_id", "kode_wilayah", "tahun", "periode", "sumber"]
        if not self.has_file(OFFICIAL_SOURCES):
            return pd.DataFrame(columns=cols)
        return pd.read_parquet(io.BytesIO(self.read_bytes(OFFICIAL_SOURCES)))[cols]

    def source_of(self, indicator_id: str) -> pd.DataFrame:
        """The distinct (year, period, source) lines behind one official indicator, by year."""
        src = self.official_sources
        return src[src["indicator_id"] == indicator_id][["tahun", "periode", "sumber"]].drop_duplicates().sort_values("tahun")

    def region_bounds(self, geo_url: str, codes) -> list[tuple[float, float, float, float]]:
        """(west, south, east, north) of each region in `codes` drawn from the geometry at
        `geo_url` (/geo/<release>/<name>): a map framed on these shows every boundary whole."""
        name = geo_url.rsplit(f"/geo/{self.id}/", 1)[-1]
        found = _parsed(self._geo_sha(name), "bounds", lambda: _feature_bounds(self.geo_features(name)))
        return [found[k] for k in codes if k in found]

    def geo_features(self, name: str) -> list[dict]:
        """The GeoJSON features of one geometry file ([] for an unknown name); parsed once per
        process for each distinct file, so releases drawn on the same boundaries share them."""
        if self.geo_path(name) is None:
            return []
        return _parsed(self._geo_sha(name), "features", lambda: json.loads(self.read_bytes(f"{GEO}/{name}"))["features"])

    def _geo_sha(self, name: str) -> str:
        entry = self._listed.get(f"{GEO}/{name}")
        return entry["sha256"] if entry else f"{self.id}/{name}"

    def geo_path(self, name: str) -> Path | None:
        """A geometry file of this release, or None (no path escapes the geo folder). A name that is
        not one a build writes (too long, a null byte, dots) is refused before the disk is asked."""
        if not GEO_FILE.fullmatch(name):
            return None
        geo = (self.path / GEO).resolve()
        target = (geo / name).resolve()
        if geo not in target.parents or not target.is_file():
            return None
        return target


_PARSED: OrderedDict[tuple[str, str], object] = OrderedDict()  # (file sha256, what) → parsed, newest last
_PARSED_KEPT = 24  # a few releases' worth of geometry files at once
_PARSED_LOCK = threading.Lock()


def _parsed(sha: str, what: str, parse):
    """A parsed form of a release file, kept per file content (not per release)."""
    key = (sha, what)
    with _PARSED_LOCK:
        if key in _PARSED:
            _PARSED.move_to_end(key)
            return _PARSED[key]
    value = parse()  # outside the lock: parsing the kecamatan geometry takes a moment
    with _PARSED_LOCK:
        _PARSED[key] = value
        while len(_PARSED) > _PARSED_KEPT:
            _PARSED.popitem(last=False)
    return value


_TAMPER_LOGGED: set[tuple[str, str]] = set()


def _report_tampered(release_id: str, name: str) -> None:
    """One error line per file and process, however many requests ask for it."""
    if (release_id, name) not in _TAMPER_LOGGED:
        _TAMPER_LOGGED.add((release_id, name))
        log.error("berkas rilis %s/%s berubah sejak diverifikasi (sha256 tidak cocok): tidak dilayani", release_id, name)


def _feature_bounds(features: list[dict]) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for f in features:
        geom = f["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        points = [p for polygon in polygons for ring in polygon for p in ring]
        if points:
            lons, lats = [p[0] for p in points], [p[1] for p in points]
            out[f["properties"]["kode"]] = (min(lons), min(lats), max(lons), max(lats))
    return out


def load_release(path: Path) -> Release:
    problems = verify_release(path)
    if problems:
        raise NoReleaseError(f"rilis {path.name} ditolak: " + "; ".join(problems[:3]))
    return Release(path=path.resolve(), manifest=read_manifest(path))


class ReleaseStore:
    """Serves the verified `current` release; re-checks the link every `interval` seconds."""

    def __init__(self, root: Path, interval: float = 5.0):
        self.root = Path(root)
        self.interval = interval
        self._lock = threading.Lock()  # loading a new current
        self._pinned_lock = threading.Lock()  # loading a past release (never waits on the above)
        self._release: Release | None = None
        self._seen_target: str | None = None
        self._checked = 0.0
        self._layout_checked = time.monotonic()
        self._refresh(initial=True)

    def _current_target(self) -> str | None:
        link = self.root / "current"
        # A dangling link is a target too: loading it fails and says so (once), instead of silence.
        return str(link.resolve()) if link.exists() or link.is_symlink() else None

    def _refresh(self, initial: bool = False) -> None:
        target = self._current_target()
        self._checked = time.monotonic()
        if target == self._seen_target and self._release is not None:
            return
        self._seen_target = target
        if target is not None:
            try:
                release = load_release(Path(target))
                release.cells  # built before the switch, so no visitor waits for it (about a second)
                self._release = release
                log.info("melayani rilis %s", self._release.id)
                return
            except NoReleaseError as exc:
                log.error("%s; rilis terakhir yang baik tetap dilayani", exc)
        if self._release is None and initial:
            self._release = self._last_good()
        if self._release is None:
            raise NoReleaseError(f"tidak ada rilis yang lolos verifikasi di {self.root}")

    LAYOUT_CHECK_S = 300.0  # how often a worker re-checks the files its numbers are read from

    def _recheck_layout(self) -> None:
        """The serving layout's files against their sums; when one changed, the release is loaded
        again (its layout rewritten from the verified release) and the change is logged."""
        self._layout_checked = time.monotonic()
        rel = self._release
        if rel is None or "serving_folder" not in rel.__dict__:
            return
        found = serving_files.problems(rel.serving_folder)
        if found:
            log.error("rilis %s: tata letak layanan berubah (%s); dimuat ulang", rel.id, "; ".join(found[:3]))
            fresh = load_release(rel.path)
            fresh.cells  # rewrites the layout (serving_files.ensure) before it is served
            self._release = fresh

    def _last_good(self) -> Release | None:
        """The newest release folder that verifies (when `current` is missing or broken at start)."""
        candidates = sorted((p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.stat().st_mtime, reverse=True) if self.root.is_dir() else []
        for path in candidates:
            try:
                rel = load_release(path)
                log.warning("memakai rilis terakhir yang baik: %s", rel.id)
                return rel
            except NoReleaseError:
                continue
        return None

    def get(self) -> Release:
        """The current release."""
        if time.monotonic() - self._layout_checked > self.LAYOUT_CHECK_S and self._lock.acquire(blocking=False):
            try:
                self._recheck_layout()
            finally:
                self._lock.release()
        # One request notices a changed `current` and loads it (verifying, laying out: seconds on
        # the demo); the others keep being served the release they had meanwhile, never wait.
        if time.monotonic() - self._checked > self.interval and self._lock.acquire(blocking=self._release is None):
            try:
                self._refresh()
            finally:
                self._lock.release()
        assert self._release is not None
        return self._release

    # --- every release, not only the current one (citations open the same numbers forever) ---

    PINNED_IN_MEMORY = 3  # past releases kept loaded at once (each holds its cell index, ~1 s to build)

    def withdrawn(self) -> dict[str, dict]:
        return withdrawn_releases(self.root)

    def log(self) -> list[dict]:
        """The release log's events, oldest first (publish, withdraw)."""
        return read_release_log(self.root)

    def by_id(self, release_id: str) -> Release:
        """A release by its id: the current one, or a past one loaded on first use (verified first,
        the least recently used dropped beyond PINNED_IN_MEMORY). Raises ReleaseWithdrawn / ReleaseNotFound."""
        gone = self.withdrawn()
        if release_id in gone:
            raise ReleaseWithdrawn(release_id, gone[release_id])
        current = self.get()
        if release_id == current.id:
            return current
        with self._pinned_lock:
            pinned = self.__dict__.setdefault("_pinned", OrderedDict())
            if release_id in pinned:
                pinned.move_to_end(release_id)
                return pinned[release_id]
            folder = self.root / release_id
            # The name first (no disk for junk); `current` and any other link is a pointer that
            # moves, not a release: a pinned URL must name a release folder itself.
            if not RELEASE_ID.fullmatch(release_id) or folder.is_symlink() or not (folder / "manifest.json").is_file():
                raise ReleaseNotFound(release_id)
            try:
                rel = load_release(folder)
            except NoReleaseError as exc:
                log.error("%s", exc)
                raise ReleaseNotFound(release_id) from exc
            pinned[release_id] = rel
            while len(pinned) > self.PINNED_IN_MEMORY:
                pinned.popitem(last=False)
            return rel

    def listing(self) -> list[dict]:
        """Every release folder's manifest (newest first), with whether it is current or withdrawn.
        Manifests only: listing never hashes the data files."""
        gone = self.withdrawn()
        current = self.get().id
        out = []
        for folder in (p for p in self.root.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")):
            try:
                manifest = read_manifest(folder)
            except (OSError, ValueError):
                continue
            rid = manifest.get("release_id", folder.name)
            audit_path = folder / AUDIT
            audit = json.loads(audit_path.read_text(encoding="utf-8")) if audit_path.is_file() else {}
            out.append({"id": rid, "manifest": manifest, "audit": audit, "current": rid == current, "withdrawn": gone.get(rid)})
        return sorted(out, key=lambda r: (r["manifest"].get("dibuat", ""), r["id"]), reverse=True)
