"""Spark as the second engine (issue 19): the same SQL gives the same numbers, cell by cell.

One local Spark session serves the whole module (a session costs 10-20 s to start and its
first queries more, while the JVM warms up); the builds below borrow it. Java comes from
Debian's packages (scripts/setup.sh installs openjdk-17-jre-headless).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from data.catalog import load_catalog
from pipeline import aggregate as agg
from pipeline.calibration import province_targets
from pipeline.engine import Engine, open_engine, temp_table_statement, to_spark_sql
from pipeline.generate import generate
from pipeline.protect import primary_status
from pipeline.reference import read_statistik, read_wilayah
from pipeline.settings import DisclosureParams, reference_dir
from pipeline.validate import validate

pytestmark = pytest.mark.skipif(shutil.which("java") is None,
                                reason="no java on PATH: scripts/setup.sh installs Debian's openjdk-17-jre-headless")

KEY = ["indicator_id", "kode_wilayah", "tahun", "dimensi", "kategori"]


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from pipeline.spark_engine import SparkEngine

    engine = SparkEngine.start("local[2]", tmp_path_factory.mktemp("spark"), log=lambda m: None)
    yield engine
    engine.close()  # stops the session: this module started it


class Recording(Engine):
    """An engine that keeps every query it answered, with the answer."""

    def __init__(self, inner: Engine):
        self.inner, self.name, self.answers = inner, inner.name, []

    def register_frame(self, name, frame):
        self.inner.register_frame(name, frame)

    def execute(self, statement):
        self.inner.execute(statement)

    def sql(self, query):
        out = self.inner.sql(query)
        self.answers.append((query, out))
        return out


def small_register(tmp):
    """Two kabupaten of Gorontalo at 1:100, one year, consumption in multiples of Rp 300, so that
    households share amounts (blocks of equal consumption with several members) and a band of
    Rp 1,000 holds several amounts (both windows of aggregate._ranked have work to do)."""
    ref = reference_dir()
    w = read_wilayah(ref, ("75",))
    w = w[(w.tingkat != "kecamatan") | w.kode.str.startswith(("75.01", "75.71"))]
    w = w[(w.tingkat != "kabupaten_kota") | w.kode.isin(["75.01", "75.71"])]
    targets = province_targets(read_statistik(ref), ["75"], (2025,))
    reg = generate(w, targets, 0.01, 5, (2025,))
    hh = reg.households.assign(konsumsi_per_kapita=(reg.households["konsumsi_per_kapita"] / 300).round() * 300)
    amounts = hh["konsumsi_per_kapita"]
    assert amounts.duplicated().sum() > 100 and (amounts.drop_duplicates() // agg.BAND_RUPIAH).value_counts().max() >= 3
    hh.to_parquet(tmp / "households.parquet", index=False)
    reg.persons.to_parquet(tmp / "persons.parquet", index=False)
    garis = pd.DataFrame([{"kode_provinsi": "75", "tahun": 2025, "garis": targets[("75", 2025)].poverty_line}])
    return w[w.tingkat == "kecamatan"].kode.tolist(), garis


def both_engines(tmp, register):
    """Aggregate one register on DuckDB and on Spark: every query's answer and the cells from each,
    and (for the check by hand) every person's consumption in whole rupiah, sorted."""
    kec, garis = register(tmp)
    con = duckdb.connect()
    reports = validate(con, tmp / "households.parquet", tmp / "persons.parquet", kec, tmp)
    assert all(r.quarantined == 0 for r in reports.values())
    out = {}
    for kind in ("duckdb", "spark"):
        engine = Recording(open_engine(kind, con, tmp / kind, log=lambda m: None))
        agg.prepare_views(engine, garis)
        cells = agg.aggregate(engine, load_catalog(), log=lambda m: None)
        out[kind] = (engine.answers, cells)
        engine.inner.close()
    con.close()
    hh = pd.read_parquet(tmp / "households.parquet")
    persons = pd.read_parquet(tmp / "persons.parquet").merge(hh, on=["tahun", "id_rt"])
    assert (persons["konsumsi_per_kapita"] % 1 == 0).all()
    out["consumption"] = sorted(int(x) for x in persons["konsumsi_per_kapita"])
    return out


@pytest.fixture(scope="module")
def answers(spark, tmp_path_factory):
    return both_engines(tmp_path_factory.mktemp("small"), small_register)


def plain(df: pd.DataFrame) -> list[tuple]:
    """Rows as Python values in a fixed order: an int is an int whatever type the engine gave it."""
    def value(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        return int(v) if isinstance(v, (int, np.integer)) else v
    rows = [tuple(value(v) for v in row) for row in df.itertuples(index=False)]
    return sorted(rows, key=lambda r: tuple(str(v) for v in r))


def test_every_aggregation_query_gives_duckdbs_answer_on_spark(answers):
    duck, spark = answers["duckdb"][0], answers["spark"][0]
    assert [q for q, _ in duck] == [q for q, _ in spark]  # the same SQL text: there is one copy
    assert len(duck) >= 8 and sum("hh_konsumsi" in q for q, _ in duck) == 2  # additive per unit and breakdown; Gini per breakdown
    for (query, a), (_, b) in zip(duck, spark):
        assert list(a.columns) == list(b.columns), query[:80]
        assert len(a) > 0 and len(a) == len(b), query[:80]
        assert plain(a) == plain(b), f"answers differ for {query[:200]}"


def test_cells_and_primary_rules_are_identical(answers):
    params = DisclosureParams()
    tables = []
    for kind in ("duckdb", "spark"):
        cells = primary_status(agg.compute_values(answers[kind][1], weight=100.0), params)
        tables.append(cells.sort_values(KEY + ["tingkat"]).reset_index(drop=True))
    assert (tables[0]["status"] == "ok").any()
    pd.testing.assert_frame_equal(tables[0], tables[1], check_exact=True)


def test_gini_and_bottom_40_equal_a_count_over_persons(answers):
    """Person by person in Python integers (no households, no blocks of equal consumption, no
    window, no SQL): the same floats, to the last bit, on both engines."""
    xs = answers["consumption"]
    n, total = len(xs), sum(xs)
    gini = sum((2 * r - n - 1) * x for r, x in enumerate(xs, start=1)) / (n * total)
    b40 = 100 * sum(xs[: (2 * n) // 5]) / total
    assert 0 < gini < 1 and 0 < b40 < 40
    for kind in ("duckdb", "spark"):
        cells = answers[kind][1].set_index(["indicator_id", "tingkat", "kode_wilayah", "dimensi", "kategori"])
        for ind, expected in (("gini", gini), ("porsi_konsumsi_40_terbawah", b40)):
            got = cells.loc[(ind, "nasional", "00", "total", "total")]
            assert got["n_unit"] == n, kind
            assert got["jumlah"] / got["n_unit"] == (expected * n) / n, (kind, ind)  # jumlah holds value × n


def test_temp_tables_are_taken_apart_for_spark():
    name, select = temp_table_statement("CREATE OR REPLACE TEMP TABLE hv AS SELECT h.* FROM accepted_households h")
    assert name == "hv" and select.upper().startswith("SELECT")
    with pytest.raises(ValueError):
        temp_table_statement("DROP TABLE hv")
    assert "STRING" in to_spark_sql("SELECT CAST(desil AS VARCHAR) FROM hv")


def build(engine: str, tmp) -> Path:
    from pipeline.__main__ import main

    out = tmp / engine
    args = ["build", "--preset", "test", "--protection", "primer", "--engine", engine, "--out", str(out), "--work", str(tmp / f"work-{engine}")]
    assert main(args) == 0
    return out / "current"


def test_the_test_preset_builds_the_same_release_on_both_engines(spark, tmp_path):
    """The interface of issue 19: `build --engine spark` gives the same indicators.parquet rows as
    `--engine duckdb` (same preset, same seed; the complementary stage is engine-independent)."""
    releases = {kind: build(kind, tmp_path) for kind in ("duckdb", "spark")}
    tables = [pd.read_parquet(r / "indicators.parquet").sort_values(KEY).reset_index(drop=True) for r in releases.values()]
    assert len(tables[0]) > 20_000
    pd.testing.assert_frame_equal(tables[0], tables[1], check_exact=True)  # NaN equals NaN here
    report = json.loads((releases["spark"] / "laporan_build.json").read_text())
    assert report["mesin"]["mesin"] == "spark" and report["mesin"]["spark_master"].startswith("local")
    assert json.loads((releases["duckdb"] / "manifest.json").read_text())["mesin_agregasi"]["mesin"] == "duckdb"
