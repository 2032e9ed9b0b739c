"""Validation on entry: every row is accepted or quarantined with its first failing reason.

accepted + quarantined = read, per table, always (checked here and in tests).
The quarantine files stay in the secure zone's work folder; only counts leave.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline.schema import KODE_KECAMATAN_PATTERN, TABLES, Column


@dataclass
class TableReport:
    read: int
    accepted: int
    quarantined: int
    reasons: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"read": self.read, "accepted": self.accepted, "quarantined": self.quarantined, "reasons": self.reasons}


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def column_checks(c: Column) -> list[tuple[str, str]]:
    """(SQL condition that is true when the row FAILS, reason) for one column, in order."""
    raw, typed = f'"{c.name}"', f'TRY_CAST("{c.name}" AS {c.sql_type})'
    checks = []
    if not c.nullable:
        checks.append((f"{raw} IS NULL", f"kosong:{c.name}"))
    checks.append((f"{raw} IS NOT NULL AND {typed} IS NULL", f"tipe_salah:{c.name}"))
    if c.allowed:
        checks.append((f"{typed} NOT IN ({', '.join(_q(a) for a in c.allowed)})", f"nilai_tidak_dikenal:{c.name}"))
    if c.min is not None:
        checks.append((f"{typed} < {c.min}", f"di_luar_rentang:{c.name}"))
    if c.max is not None:
        checks.append((f"{typed} > {c.max}", f"di_luar_rentang:{c.name}"))
    return checks


def _reason_sql(checks: list[tuple[str, str]]) -> str:
    whens = " ".join(f"WHEN {cond} THEN {_q(reason)}" for cond, reason in checks)
    return f"CASE {whens} ELSE NULL END"


def _read_sql(path: Path) -> str:
    if path.suffix == ".csv":
        # The published dialect (docs/skema_ekstrak/): comma, double quotes, a header row, every value
        # text. Not sniffed: on a small file with one broken line DuckDB's sniffer settles on a single
        # '|'-separated column, and the broken line would read as "every required column missing".
        columns = ", ".join(f"{_q(n)}: 'VARCHAR'" for n in _csv_header(path))
        return (f"read_csv({_q(str(path))}, auto_detect=false, header=true, delim=',', quote='\"', escape='\"', "
                f"columns={{{columns}}})")
    return f"read_parquet({_q(str(path))})"


def _csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:  # utf-8-sig: a spreadsheet's byte-order mark is not a name
        return next(csv.reader(f), [])


def validate_table(con: duckdb.DuckDBPyConnection, name: str, src: Path, out_dir: Path, extra_checks: list[tuple[str, str]]) -> TableReport:
    columns, key = TABLES[name]
    con.execute(f"CREATE OR REPLACE TEMP TABLE raw_{name} AS SELECT *, row_number() OVER () AS _baris FROM {_read_sql(src)}")
    present = {r[0] for r in con.execute(f"DESCRIBE raw_{name}").fetchall()}
    missing = [c.name for c in columns if c.name not in present]
    if missing:
        raise ValueError(f"{src.name}: kolom wajib tidak ada: {', '.join(missing)}")

    checks = [chk for c in columns for chk in column_checks(c)] + extra_checks
    key_cols = ", ".join(f'TRY_CAST("{k}" AS BIGINT)' for k in key)
    typed_cols = ", ".join(f'TRY_CAST("{c.name}" AS {c.sql_type}) AS "{c.name}"' for c in columns)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE checked_{name} AS
        WITH first_fail AS (SELECT *, {_reason_sql(checks)} AS alasan FROM raw_{name}),
        -- A duplicate key: the first valid row is kept, later copies are quarantined.
        ranked AS (
          SELECT *, CASE WHEN alasan IS NULL
                 THEN row_number() OVER (PARTITION BY alasan IS NULL, {key_cols} ORDER BY _baris) END AS _urut
          FROM first_fail)
        SELECT *, COALESCE(alasan, CASE WHEN _urut > 1 THEN 'id_ganda' END) AS alasan_akhir FROM ranked
        """
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    con.execute(f"CREATE OR REPLACE TEMP TABLE accepted_{name} AS SELECT {typed_cols} FROM checked_{name} WHERE alasan_akhir IS NULL")
    raw_cols = ", ".join(f'CAST("{c}" AS VARCHAR) AS "{c}"' for c in sorted(present - {"_baris"}))
    con.execute(
        f"COPY (SELECT _baris, alasan_akhir AS alasan, {raw_cols} FROM checked_{name} WHERE alasan_akhir IS NOT NULL ORDER BY _baris) "
        f"TO {_q(str(out_dir / f'karantina_{name}.parquet'))} (FORMAT parquet)"
    )
    read = con.execute(f"SELECT count(*) FROM raw_{name}").fetchone()[0]
    accepted = con.execute(f"SELECT count(*) FROM accepted_{name}").fetchone()[0]
    reasons = dict(con.execute(f"SELECT alasan_akhir, count(*) FROM checked_{name} WHERE alasan_akhir IS NOT NULL GROUP BY 1 ORDER BY 2 DESC").fetchall())
    quarantined = sum(reasons.values())
    if accepted + quarantined != read:  # the invariant the whole quarantine design rests on
        raise AssertionError(f"{name}: accepted {accepted} + quarantined {quarantined} != read {read}")
    return TableReport(read, accepted, quarantined, reasons)


def validate(con: duckdb.DuckDBPyConnection, households: Path, persons: Path, kode_kecamatan: list[str], out_dir: Path) -> dict[str, TableReport]:
    """Validate both tables; afterwards the temp tables accepted_households / accepted_persons exist."""
    con.execute("CREATE OR REPLACE TEMP TABLE registry_kecamatan (kode VARCHAR PRIMARY KEY)")
    con.executemany("INSERT INTO registry_kecamatan VALUES (?)", [(k,) for k in kode_kecamatan])
    hh_checks = [
        (f"NOT regexp_full_match(CAST(kode_kecamatan AS VARCHAR), {_q(KODE_KECAMATAN_PATTERN)})", "kode_salah_format"),
        ("CAST(kode_kecamatan AS VARCHAR) NOT IN (SELECT kode FROM registry_kecamatan)", "kode_tidak_dikenal"),
    ]
    reports = {"households": validate_table(con, "households", households, out_dir, hh_checks)}
    # A person must belong to an accepted household of the same year.
    p_checks = [
        (
            "(TRY_CAST(tahun AS SMALLINT), TRY_CAST(id_rt AS BIGINT)) IN (SELECT (TRY_CAST(tahun AS SMALLINT), TRY_CAST(id_rt AS BIGINT)) FROM checked_households WHERE alasan_akhir IS NOT NULL)",
            "rumah_tangga_dikarantina",
        ),
        (
            "(TRY_CAST(tahun AS SMALLINT), TRY_CAST(id_rt AS BIGINT)) NOT IN (SELECT (tahun, id_rt) FROM accepted_households)",
            "tanpa_rumah_tangga",
        ),
    ]
    reports["persons"] = validate_table(con, "persons", persons, out_dir, p_checks)
    return reports
