"""A register extract from outside (issue 19): find its two tables, check they read, say who it is.

An extract folder holds households.parquet|csv and persons.parquet|csv in the documented schema
(pipeline/schema.py, published in docs/skema_ekstrak/). This module only opens and identifies
it; validation, quarantine and every later stage are the ones a synthetic register goes through.

Two kinds of fault, two answers: a malformed *extract* (a table missing or given twice, a file
that does not read, a required column absent) stops the build with one line saying what, before
anything is written; a bad *row* is not refused here but quarantined with its reason by validate.py.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from data.manifest import sha256_file
from pipeline.schema import KODE_KECAMATAN_PATTERN, TABLES
from pipeline.validate import _read_sql  # the reader validation uses, so the row counts here are the ones it reads

FORMATS = ("parquet", "csv")
DESCRIPTOR = "ekstrak.json"  # optional; {"sintetis": true} marks a synthetic extract


class ExtractError(ValueError):
    """A malformed extract; the message is one line a data officer can act on."""


@dataclass(frozen=True)
class ExtractFile:
    table: str  # households or persons
    path: Path
    rows: int
    sha256: str
    size: int
    mtime_ns: int  # with size, how the build notices a file replaced after it was hashed

    def identity(self) -> dict:
        return {"nama": self.path.name, "baris": self.rows, "sha256": self.sha256, "byte": self.size}


@dataclass(frozen=True)
class Extract:
    folder: Path
    files: dict[str, ExtractFile]
    years: tuple[int, ...]  # distinct valid `tahun` of the households
    provinces: tuple[str, ...]  # registry provinces named by the households' kode_kecamatan
    synthetic: bool

    @property
    def households(self) -> Path:
        return self.files["households"].path

    @property
    def persons(self) -> Path:
        return self.files["persons"].path

    def check_unchanged(self) -> None:
        """The manifest names the files hashed at the start; refuse if validation read other bytes."""
        for f in self.files.values():
            stat = f.path.stat()
            if (stat.st_size, stat.st_mtime_ns) != (f.size, f.mtime_ns):
                raise ExtractError(f"{f.path.name} berubah selama build; jalankan ulang pada ekstrak yang tidak sedang ditulis")

    def identity(self, provinces: tuple[str, ...]) -> dict:
        """The manifest's `masukan`: which files, not a seed. Each record is one unit (skala 1)."""
        return {"jenis": "ekstrak", "berkas": [f.identity() for f in self.files.values()], "skala": 1.0,
                "tahun": list(self.years), "provinsi": list(provinces)}


def find_tables(folder: Path) -> dict[str, Path]:
    """households.<fmt> and persons.<fmt>: exactly one file per table."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ExtractError(f"{folder}: folder ekstrak tidak ada")
    found = {}
    for table in TABLES:
        present = [folder / f"{table}.{fmt}" for fmt in FORMATS if (folder / f"{table}.{fmt}").is_file()]
        if not present:
            raise ExtractError(f"{folder}: {table}.parquet atau {table}.csv tidak ada")
        if len(present) > 1:
            raise ExtractError(f"{folder}: {table}.parquet dan {table}.csv keduanya ada; sisakan satu")
        found[table] = present[0]
    return found


def _first_line(exc: Exception) -> str:
    """DuckDB's message in one line: its first, and for a broken CSV line what it expected."""
    lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
    if not lines:
        return type(exc).__name__
    return " — ".join([lines[0]] + [ln for ln in lines[1:] if ln.startswith("Expected Number of Columns")])


def inspect_file(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> ExtractFile:
    """Read the whole file once (a CSV line that does not split into the header's columns fails
    here, with its line number), check the required columns, count rows, hash the bytes."""
    columns, _ = TABLES[table]
    try:
        present = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {_read_sql(path)}").fetchall()}
        missing = [c.name for c in columns if c.name not in present]
        if missing:
            raise ExtractError(f"{path.name}: kolom wajib tidak ada: {', '.join(missing)}")
        rows = con.execute(f"SELECT count(*) FROM {_read_sql(path)}").fetchone()[0]
    except (duckdb.Error, UnicodeDecodeError) as exc:  # not parquet, not UTF-8, a line that does not split
        raise ExtractError(f"{path.name}: tidak terbaca sebagai {path.suffix[1:]}: {_first_line(exc)}") from exc
    stat = path.stat()
    return ExtractFile(table, path, int(rows), sha256_file(path), stat.st_size, stat.st_mtime_ns)


def years_and_provinces(con: duckdb.DuckDBPyConnection, households: Path, known_provinces: set[str]) -> tuple[dict[int, int], tuple[str, ...]]:
    """Households per valid year, and the registry's provinces the kecamatan codes name. Values
    that are not valid are left for validation to quarantine, so one bad row cannot add a year."""
    tahun = next(c for c in TABLES["households"][0] if c.name == "tahun")
    years = dict(con.execute(
        f"SELECT TRY_CAST(tahun AS SMALLINT) AS t, count(*) FROM {_read_sql(households)} "
        f"WHERE t BETWEEN {tahun.min} AND {tahun.max} GROUP BY t ORDER BY t").fetchall())
    prefixes = {r[0] for r in con.execute(
        f"SELECT DISTINCT left(CAST(kode_kecamatan AS VARCHAR), 2) FROM {_read_sql(households)} "
        f"WHERE regexp_full_match(CAST(kode_kecamatan AS VARCHAR), '{KODE_KECAMATAN_PATTERN}')").fetchall()}
    return {int(k): int(v) for k, v in years.items()}, tuple(sorted(prefixes & known_provinces))


def declared_synthetic(folder: Path, flag: str | None) -> bool:
    """Synthetic or real. Anything may make a release synthetic (the descriptor or --sintetis);
    only the publisher's --data-nyata makes it real, so synthetic numbers are never shown as
    real by default, and real ones are never published without someone saying so."""
    path = Path(folder) / DESCRIPTOR
    said = None
    if path.is_file():
        try:
            said = json.loads(path.read_text(encoding="utf-8")).get("sintetis")
        except (ValueError, AttributeError) as exc:
            raise ExtractError(f"{DESCRIPTOR}: bukan objek JSON yang terbaca ({_first_line(exc)})") from exc
        if not isinstance(said, bool):
            raise ExtractError(f"{DESCRIPTOR}: kunci 'sintetis' harus true atau false")
    if said is True and flag == "nyata":
        raise ExtractError(f"{DESCRIPTOR} menyatakan ekstrak ini sintetis; --data-nyata ditolak")
    if flag == "sintetis" or said is True:
        return True
    if flag == "nyata":
        return False
    raise ExtractError(("ekstrak.json menyatakan data nyata" if said is False else "ekstrak tanpa ekstrak.json")
                       + ": nyatakan jenis datanya dengan --data-nyata (register sungguhan) atau --sintetis")


def open_extract(folder: Path, known_provinces: set[str], reference_years: set[int], flag: str | None = None) -> Extract:
    """Everything the build needs to know about an extract before it starts, or one clear refusal."""
    folder = Path(folder).resolve()
    paths = find_tables(folder)
    synthetic = declared_synthetic(folder, flag)
    con = duckdb.connect()
    try:
        files = {table: inspect_file(con, table, path) for table, path in paths.items()}
        years, provinces = years_and_provinces(con, files["households"].path, known_provinces)
    finally:
        con.close()
    if not years:
        raise ExtractError(f"{files['households'].path.name}: tidak ada baris dengan tahun yang sah")
    if not provinces:
        raise ExtractError(f"{files['households'].path.name}: tidak ada kode_kecamatan yang provinsinya dikenal registri wilayah")
    lacking = {y: n for y, n in years.items() if y not in reference_years}
    if lacking:  # the poverty line of a province and year comes from the BPS reference data, never guessed
        said = ", ".join(f"{y} ({n:,} rumah tangga)".replace(",", ".") for y, n in lacking.items())
        raise ExtractError(f"tahun tanpa garis kemiskinan di data rujukan: {said}; yang ada: {', '.join(map(str, sorted(reference_years)))}")
    return Extract(folder, files, tuple(years), provinces, synthetic)


def open_for_build(folder: Path, reference_dir: Path, flag: str | None) -> Extract:
    """open_extract against the reference data the build reads: the region registry's provinces
    and the years that have a poverty line (calibration.PERIOD_FOR_YEAR)."""
    from pipeline.calibration import PERIOD_FOR_YEAR
    from pipeline.reference import read_wilayah

    known = set(read_wilayah(reference_dir)["kode_provinsi"])
    return open_extract(folder, known, set(PERIOD_FOR_YEAR["garis_kemiskinan"]), flag)
