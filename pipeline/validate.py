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


def _raw_relation(con: duckdb.DuckDBPyConnection, name: str, src: Path) -> None:
    """raw_<name>: the source rows as they are, with _baris, their 1-based row in the file.

    A parquet extract is read in place (a view; its row number is the file's own), so the
    register is never copied before it is checked. A CSV has no row number of its own: it is
    read once into a table, numbered in reading order.
    """
    if src.suffix == ".csv":
        con.execute(f"CREATE OR REPLACE TABLE raw_{name} AS SELECT *, row_number() OVER () AS _baris FROM {_read_sql(src)}")
    else:
        con.execute(f"CREATE OR REPLACE VIEW raw_{name} AS SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS _baris "
                    f"FROM read_parquet({_q(str(src))}, file_row_number = true)")


def _csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:  # utf-8-sig: a spreadsheet's byte-order mark is not a name
        return next(csv.reader(f), [])


def validate_table(con: duckdb.DuckDBPyConnection, name: str, src: Path, out_dir: Path, extra_checks: list[tuple[str, str]]) -> TableReport:
    """Afterwards: fail_<name> (_baris, alasan) holds every quarantined row, accepted_<name> is a view
    of the others, typed, and karantina_<name>.parquet holds the quarantined rows as they came.

    Nothing the size of the register is materialised here: the checks are one pass over the
    source, duplicates one GROUP BY over its key, and both keep only the rows that fail. So the
    work grows with the rows and the memory with the rows that fail (DuckDB spills the rest).
    """
    columns, key = TABLES[name]
    _raw_relation(con, name, src)
    present = {r[0] for r in con.execute(f"DESCRIBE raw_{name}").fetchall()}
    missing = [c.name for c in columns if c.name not in present]
    if missing:
        raise ValueError(f"{src.name}: kolom wajib tidak ada: {', '.join(missing)}")

    checks = [chk for c in columns for chk in column_checks(c)] + extra_checks
    keys = [f'TRY_CAST("{k}" AS BIGINT)' for k in key]
    key_as = ", ".join(f"{k} AS _k{i}" for i, k in enumerate(keys))
    key_names = ", ".join(f"_k{i}" for i in range(len(keys)))
    typed_cols = ", ".join(f'TRY_CAST("{c.name}" AS {c.sql_type}) AS "{c.name}"' for c in columns)
    # A key seen more than once anywhere: the only rows that can be duplicates (usually none).
    con.execute(f"CREATE OR REPLACE TABLE dupkey_{name} AS SELECT {key_as} FROM raw_{name} GROUP BY ALL HAVING count(*) > 1")
    con.execute(
        f"""
        CREATE OR REPLACE TABLE fail_{name} AS
        WITH checked AS (
          SELECT _baris, {key_as}, {_reason_sql(checks)} AS alasan,
                 ({', '.join(keys)}) IN (SELECT ({key_names}) FROM dupkey_{name}) AS _kunci_ganda
          FROM raw_{name}),
        suspect AS (SELECT * FROM checked WHERE alasan IS NOT NULL OR _kunci_ganda),
        -- A duplicate key: the first valid row is kept, later valid copies are quarantined.
        ranked AS (
          SELECT *, CASE WHEN alasan IS NULL THEN row_number() OVER (PARTITION BY alasan IS NULL, {key_names} ORDER BY _baris) END AS _urut
          FROM suspect)
        SELECT _baris, COALESCE(alasan, 'id_ganda') AS alasan FROM ranked WHERE alasan IS NOT NULL OR _urut > 1
        """
    )
    con.execute(f"CREATE OR REPLACE VIEW accepted_{name} AS SELECT {typed_cols} FROM raw_{name} r "
                f"WHERE NOT EXISTS (SELECT 1 FROM fail_{name} f WHERE f._baris = r._baris)")
    out_dir.mkdir(parents=True, exist_ok=True)
    raw_cols = ", ".join(f'CAST(r."{c}" AS VARCHAR) AS "{c}"' for c in sorted(present - {"_baris"}))
    con.execute(
        f"COPY (SELECT f._baris, f.alasan, {raw_cols} FROM fail_{name} f JOIN raw_{name} r USING (_baris) ORDER BY f._baris) "
        f"TO {_q(str(out_dir / f'karantina_{name}.parquet'))} (FORMAT parquet)"
    )
    read = con.execute(f"SELECT count(*) FROM raw_{name}").fetchone()[0]
    accepted = con.execute(f"SELECT count(*) FROM accepted_{name}").fetchone()[0]
    reasons = dict(con.execute(f"SELECT alasan, count(*) FROM fail_{name} GROUP BY 1 ORDER BY 2 DESC, 1").fetchall())
    quarantined = sum(reasons.values())
    if accepted + quarantined != read:  # the invariant the whole quarantine design rests on
        raise AssertionError(f"{name}: accepted {accepted} + quarantined {quarantined} != read {read}")
    return TableReport(read, accepted, quarantined, reasons)


def validate(con: duckdb.DuckDBPyConnection, households: Path, persons: Path, kode_kecamatan: list[str], out_dir: Path) -> dict[str, TableReport]:
    """Validate both tables; afterwards the views accepted_households / accepted_persons exist."""
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
            "(TRY_CAST(tahun AS SMALLINT), TRY_CAST(id_rt AS BIGINT)) IN (SELECT (TRY_CAST(h.tahun AS SMALLINT), TRY_CAST(h.id_rt AS BIGINT)) "
            "FROM fail_households f JOIN raw_households h USING (_baris))",
            "rumah_tangga_dikarantina",
        ),
        (
            "(TRY_CAST(tahun AS SMALLINT), TRY_CAST(id_rt AS BIGINT)) NOT IN (SELECT (tahun, id_rt) FROM accepted_households)",
            "tanpa_rumah_tangga",
        ),
    ]
    reports["persons"] = validate_table(con, "persons", persons, out_dir, p_checks)
    return reports
