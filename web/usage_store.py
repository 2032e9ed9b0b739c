"""Where the usage counts are kept and how they read back (web/usage.py decides what is counted).

A count is (hari, jenis, indikator, tingkat, format) → jumlah: a day (UTC) and four categories,
nothing about who asked. Kept in the shared Redis when the workers share one
(DTSEN_CACHE_TYPE=RedisCache: a hash per day, HINCRBY), else in SQLite (DTSEN_USAGE_DB, WAL
mode, so several gunicorn workers add to one file).
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path

import pandas as pd

from data.cache import shared_redis_url
from data.failsoft import redis_client

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "penggunaan.sqlite3"  # git-ignored
KEY = ("hari", "jenis", "indikator", "tingkat", "format")
COLUMNS = [*KEY, "jumlah"]
KINDS = ("halaman", "unduhan", "api")

Counts = Mapping[tuple[str, str, str, str, str], int]


class SqliteCounts:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=5.0)  # another worker's write holds the file for a few ms
        con.execute("PRAGMA synchronous=NORMAL")  # WAL stays consistent; a power cut may lose the last seconds of counts
        if not self._ready:
            con.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer; kept in the file
            con.execute("CREATE TABLE IF NOT EXISTS penggunaan (hari TEXT, jenis TEXT, indikator TEXT, tingkat TEXT, format TEXT, "
                        "jumlah INTEGER NOT NULL, PRIMARY KEY (hari, jenis, indikator, tingkat, format))")
            self._ready = True
        return con

    def add(self, counts: Counts) -> None:
        with closing(self._connect()) as con, con:  # one transaction per batch
            con.executemany("INSERT INTO penggunaan VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hari, jenis, indikator, tingkat, format) "
                            "DO UPDATE SET jumlah = jumlah + excluded.jumlah", [(*key, n) for key, n in counts.items()])

    def rows(self) -> list[tuple]:
        if not self.path.exists():
            return []
        with closing(self._connect()) as con:
            return con.execute(f"SELECT {', '.join(COLUMNS)} FROM penggunaan").fetchall()


class RedisCounts:
    """A hash per day (dtsen:penggunaan:<hari>, field 'jenis|indikator|tingkat|format') and the set of days."""

    PREFIX = "dtsen:penggunaan:"
    DAYS = PREFIX + "hari"
    SEP = "|"  # never in a counted value: they are catalogue ids, level names, formats or '-'

    def __init__(self, client):
        self.client = client

    def add(self, counts: Counts) -> None:
        pipe = self.client.pipeline(transaction=True)  # all of a batch or none of it
        for (day, *rest), n in counts.items():
            pipe.hincrby(self.PREFIX + day, self.SEP.join(rest), n)
        pipe.sadd(self.DAYS, *{key[0] for key in counts})
        pipe.execute()

    def rows(self) -> list[tuple]:
        days = sorted(d.decode() for d in self.client.smembers(self.DAYS))
        pipe = self.client.pipeline(transaction=False)
        for day in days:
            pipe.hgetall(self.PREFIX + day)
        return [(day, *field.decode().split(self.SEP), int(n)) for day, fields in zip(days, pipe.execute()) for field, n in fields.items()]


def open_store() -> SqliteCounts | RedisCounts:
    url = shared_redis_url()
    if url:
        return RedisCounts(redis_client(url))
    return SqliteCounts(Path(os.environ.get("DTSEN_USAGE_DB") or DEFAULT_DB))


def as_frame(rows: list[tuple]) -> pd.DataFrame:
    """The rows as the download writes them: oldest day first, then the categories."""
    df = pd.DataFrame(rows, columns=COLUMNS).astype({c: str for c in KEY} | {"jumlah": "int64"})
    return df.sort_values(list(KEY), ignore_index=True)


def daily_totals(df: pd.DataFrame, days: int = 31) -> pd.DataFrame:
    """The last `days` days with a count, newest first: hari, halaman, unduhan, api, jumlah."""
    table = df.pivot_table(index="hari", columns="jenis", values="jumlah", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=list(KINDS), fill_value=0)
    table["jumlah"] = table.sum(axis=1)
    return table.sort_index(ascending=False).head(days).reset_index()


def top_indicators(df: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The `n` indicators counted most often (every kind together): indikator, halaman, unduhan, api, jumlah."""
    named = df[df["indikator"] != "-"]
    table = named.pivot_table(index="indikator", columns="jenis", values="jumlah", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=list(KINDS), fill_value=0)
    table["jumlah"] = table.sum(axis=1)
    return table.sort_values(["jumlah", "halaman"], ascending=False, kind="stable").head(n).reset_index()
