"""The release calendar (data/jadwal_rilis.toml): a plan of releases, checked in with the code.

It is a plan, not a record: what was really released is in the releases' manifests (`dibuat`). The
pages show the date of the release they serve from its manifest and the next *planned* date from here.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PATH = Path(__file__).with_name("jadwal_rilis.toml")
STATUSES = ("direncanakan", "terbit", "dibatalkan")


@dataclass(frozen=True)
class Planned:
    tanggal: dt.date
    judul: str
    status: str
    keterangan: str = ""


class ScheduleError(ValueError):
    pass


def parse(text: str) -> list[Planned]:
    """The entries, checked: a date each, in order, a status from STATUSES, a title."""
    out = []
    for n, row in enumerate(tomllib.loads(text).get("rilis", []), 1):
        date, title, status = row.get("tanggal"), str(row.get("judul", "")).strip(), row.get("status")
        if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
            raise ScheduleError(f"entri {n}: tanggal harus YYYY-MM-DD")
        if status not in STATUSES or not title:
            raise ScheduleError(f"entri {n}: status harus salah satu dari {', '.join(STATUSES)} dan judul tidak kosong")
        out.append(Planned(date, title, status, str(row.get("keterangan", "")).strip()))
    if [p.tanggal for p in out] != sorted(p.tanggal for p in out):
        raise ScheduleError("entri harus urut menurut tanggal")
    return out


@lru_cache(maxsize=1)
def schedule() -> tuple[Planned, ...]:
    return tuple(parse(PATH.read_text(encoding="utf-8")))


def next_planned(after: str | dt.date, entries=None) -> Planned | None:
    """The first planned (not yet released, not cancelled) entry after a date (a release's `dibuat`)."""
    day = after if isinstance(after, dt.date) else dt.date.fromisoformat(str(after)[:10])
    return next((p for p in (entries if entries is not None else schedule()) if p.status == "direncanakan" and p.tanggal > day), None)
