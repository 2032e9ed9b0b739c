"""Where the aggregation's SQL runs: DuckDB (embedded, the default) or Apache Spark.

The aggregation (pipeline/aggregate.py) is written once, as SQL in DuckDB's dialect. An
`Engine` runs it: DuckDB as written, Spark after SQLGlot has translated it to Spark SQL.
Nothing else differs, so there is no second copy of any query to keep in step.

An engine answers a query as a small pandas frame (kecamatan-level results, never
microdata), converted the same way from Arrow for both engines. Exact integers wider than
int64 (DuckDB's HUGEINT and DECIMAL(38,0), Spark's DECIMAL(38,0)) arrive as Python ints, so
exact sums stay exact on the way to pandas (see aggregate.py on which sums are exact).
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import sqlglot
from sqlglot import exp

ENGINES = ("duckdb", "spark")


class Engine:
    """What the aggregation asks of an engine."""

    name = ""

    def register_frame(self, name: str, frame: pd.DataFrame) -> None:
        """A small pandas frame (the poverty lines) as a table the SQL can join."""
        raise NotImplementedError

    def execute(self, statement: str) -> None:
        """A statement: `CREATE OR REPLACE TEMP TABLE name AS SELECT …`, materialised before it returns."""
        raise NotImplementedError

    def sql(self, query: str) -> pd.DataFrame:
        """A query's (small) result as pandas."""
        raise NotImplementedError

    def describe(self) -> dict:
        """What the build report records about the engine."""
        return {"mesin": self.name}

    def close(self) -> None:
        pass


class DuckDBEngine(Engine):
    """The connection validation filled (accepted_households, accepted_persons live in it)."""

    name = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con

    def register_frame(self, name, frame):
        self.con.register(name, frame)

    def execute(self, statement):
        # A table of the build's file-backed database lives in its file and the operators reading it
        # spill; a TEMP table lives in memory (issue 19: at 1:20 a GROUP BY over pv as a TEMP table
        # failed with "failed to pin block"; as a table in the file, every query ran).
        name, select = temp_table_statement(statement)
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS {select}")

    def sql(self, query):
        return arrow_to_pandas(self.con.sql(query).to_arrow_table())

    def describe(self):
        return {"mesin": self.name, "versi": duckdb.__version__}


def as_engine(con) -> Engine:
    """An Engine as it is, a bare DuckDB connection wrapped (callers that predate engines pass one)."""
    return con if isinstance(con, Engine) else DuckDBEngine(con)


def arrow_to_pandas(table: pa.Table) -> pd.DataFrame:
    """Arrow to pandas, the same for both engines: whole-number decimals become Python ints (exact),
    everything else takes pyarrow's default."""
    decimals = [f.name for f in table.schema if pa.types.is_decimal(f.type) and f.type.scale == 0]
    df = table.to_pandas()
    for col in decimals:  # Decimal objects (exact) -> int, None stays None
        df[col] = pd.Series([None if v is None else int(v) for v in df[col]], index=df.index, dtype=object)
    return df


def to_spark_sql(sql: str) -> str:
    """DuckDB's dialect to Spark SQL (the one translation; a query SQLGlot cannot read fails here, loudly)."""
    out = sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)
    if len(out) != 1:
        raise ValueError(f"expected one statement, got {len(out)}")
    return out[0]


def temp_table_statement(statement: str) -> tuple[str, str]:
    """(name, select) of a `CREATE [OR REPLACE] TEMP TABLE name AS SELECT …` in DuckDB's dialect.

    Spark has no temporary tables, only temporary views over a (cached) DataFrame, so an engine
    that is not DuckDB takes the statement apart and materialises the SELECT its own way.
    """
    tree = sqlglot.parse_one(statement, read="duckdb")
    if not (isinstance(tree, exp.Create) and tree.kind == "TABLE" and isinstance(tree.expression, exp.Query)):
        raise ValueError(f"only CREATE TEMP TABLE … AS SELECT is supported, not: {statement[:80]}")
    return tree.this.name, tree.expression.sql(dialect="duckdb")


def open_engine(kind: str, con: duckdb.DuckDBPyConnection, work: Path, spark_master: str = "local[2]", log=print) -> Engine:
    """The engine a build aggregates on, over the rows validation accepted.

    Validation always runs in DuckDB (the quarantine is DuckDB SQL). For Spark, the accepted
    households and persons are written as parquet in the secure work folder and Spark reads
    them from there (on a cluster that folder must be on storage every executor reads).
    """
    if kind == "duckdb":
        return DuckDBEngine(con)
    if kind != "spark":
        raise ValueError(f"unknown engine {kind!r}; one of {ENGINES}")
    from pipeline.spark_engine import SparkEngine

    folder = work / "diterima"
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in ("households", "persons"):
        paths[name] = folder / f"{name}.parquet"
        con.execute(f"COPY accepted_{name} TO '{paths[name]}' (FORMAT parquet)")
    engine = SparkEngine.start(spark_master, work, log=log)
    for name, path in paths.items():
        engine.register_parquet(f"accepted_{name}", path)
    return engine
