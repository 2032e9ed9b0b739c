"""Apache Spark as the aggregation engine (`python -m pipeline build --engine spark`).

The SQL is aggregate.py's, in DuckDB's dialect, translated by SQLGlot (pipeline/engine.py).
Spark starts offline: no packages fetched at run time (`spark.jars.packages` is never set),
the UI off, scratch space and the SQL warehouse under the build's secure work folder. In
local mode the driver listens on the loopback address only.

Settings a deployment may change (environment, read once at start):
  DTSEN_SPARK_DRIVER_MEMORY   driver JVM heap (default 2g; in local mode the executors live in it)
  DTSEN_SPARK_SHUFFLE_PARTITIONS  partitions after a shuffle (default 4, two per local core: results
                              are per kecamatan, small; a cluster over a full register wants 2-3 per
                              executor core)

Results come back through Arrow (`toArrow`), converted by pyarrow exactly as DuckDB's are;
PySpark's own pandas conversion is not used (it warns that it does not yet support pandas 3,
which this project pins, so that warning is silenced here).
"""
from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.engine import Engine, arrow_to_pandas, temp_table_statement, to_spark_sql


def spark_conf(master: str, work: Path) -> dict[str, str]:
    """Every Spark setting the build uses, in one place (the tests start their session from it too)."""
    scratch = work / "spark"
    conf = {
        "spark.master": master,
        "spark.app.name": "dtsen-agregasi",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.memory": os.environ.get("DTSEN_SPARK_DRIVER_MEMORY", "2g"),
        "spark.sql.shuffle.partitions": os.environ.get("DTSEN_SPARK_SHUFFLE_PARTITIONS", "4"),
        "spark.local.dir": str(scratch / "tmp"),  # shuffle and cache spill stay in the secure zone
        "spark.sql.warehouse.dir": str(scratch / "warehouse"),  # else Spark makes spark-warehouse/ in the cwd
        "spark.driver.extraJavaOptions": f"-Djava.io.tmpdir={scratch / 'tmp'}",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.ansi.enabled": "true",  # an overflow fails the build instead of becoming NULL
        "spark.sql.execution.arrow.pyspark.enabled": "true",
    }
    if master.startswith("local"):  # nothing but this machine needs to reach the driver
        conf["spark.driver.host"] = "127.0.0.1"
        conf["spark.driver.bindAddress"] = "127.0.0.1"
    return conf


def start_session(master: str, work: Path):
    """A SparkSession from spark_conf (a session already running in this process is reused by Spark)."""
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    from pyspark.sql import SparkSession

    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # no lookup of the machine's own name
    (work / "spark" / "tmp").mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder
    for key, value in spark_conf(master, work).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def public_master(master: str) -> str:
    """The master as a release may name it: a cluster's address stays out of the published report."""
    return master if master.startswith("local") or master in ("yarn", "k8s") else master.split("://")[0] + "://…"


class SparkEngine(Engine):
    name = "spark"

    def __init__(self, session, work: Path | None = None, owns_session: bool = True):
        self.session = session
        self.work = work
        self.owns_session = owns_session
        self._cached = []

    @classmethod
    def start(cls, master: str, work: Path, log=print) -> "SparkEngine":
        """A new session, or the one this process already runs (a driver program, or a test module's
        shared session): that one is borrowed with its own settings, and left running at close()."""
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()
        engine = cls(active, work, owns_session=False) if active is not None else cls(start_session(master, work), work)
        sc = engine.session.sparkContext
        log(f"Spark {engine.session.version} ({sc.master}{'' if engine.owns_session else ', sesi yang sudah berjalan'}), "
            f"Java {sc._jvm.java.lang.System.getProperty('java.version')}")
        return engine

    def register_parquet(self, name: str, path: Path) -> None:
        self.session.read.parquet(str(path)).createOrReplaceTempView(name)

    def register_frame(self, name, frame: pd.DataFrame):
        self.session.createDataFrame(pa.Table.from_pandas(frame, preserve_index=False)).createOrReplaceTempView(name)

    def execute(self, statement):
        # A temp table is a cached DataFrame under a temp view; count() fills the cache now, so the
        # join is paid (and timed) where the statement stands, as it is on DuckDB.
        name, select = temp_table_statement(statement)
        df = self.session.sql(to_spark_sql(select)).persist()  # MEMORY_AND_DISK: spills to spark.local.dir
        df.count()
        df.createOrReplaceTempView(name)
        self._cached.append(df)

    def sql(self, query):
        return arrow_to_pandas(self.session.sql(to_spark_sql(query)).toArrow())

    def describe(self):
        sc = self.session.sparkContext
        # What the cached temp tables (hv, pv, hh_konsumsi) took: the figure a cluster's memory is sized from.
        cached = list(sc._jsc.sc().getRDDStorageInfo())
        return {"mesin": self.name, "versi": self.session.version, "spark_master": public_master(sc.master),
                "partisi_shuffle": int(self.session.conf.get("spark.sql.shuffle.partitions")),
                "memori_driver": self.session.conf.get("spark.driver.memory", "1g"),
                "tembolok_mib": {"memori": round(sum(r.memSize() for r in cached) / 2**20, 1),
                                 "disk": round(sum(r.diskSize() for r in cached) / 2**20, 1)}}

    def close(self):
        for df in self._cached:
            df.unpersist()
        self._cached.clear()
        if self.owns_session:
            self.session.stop()
            if self.work is not None:  # scratch (shuffle files, spilled cache) holds microdata: remove it
                shutil.rmtree(self.work / "spark", ignore_errors=True)
