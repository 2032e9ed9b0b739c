"""Pemekaran (data/pemekaran.toml): which regions sit in a province formed by splitting an older one,
and which province lost regions to new ones. Pure lookups over a small checked-in file."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PATH = Path(__file__).with_name("pemekaran.toml")


@dataclass(frozen=True)
class Split:
    kode: str  # the new province
    nama: str
    asal: str  # the province it was split from
    nama_asal: str
    tahun: int
    dasar_hukum: str


class PemekaranError(ValueError):
    pass


def parse(text: str) -> tuple[Split, ...]:
    out = []
    for n, row in enumerate(tomllib.loads(text).get("pemekaran", []), 1):
        try:
            split = Split(str(row["kode"]), str(row["nama"]), str(row["asal"]), str(row["nama_asal"]), int(row["tahun"]),
                          str(row["dasar_hukum"]))
        except (KeyError, ValueError) as exc:
            raise PemekaranError(f"entri {n}: {exc}") from None
        if not (split.kode.isdigit() and len(split.kode) == 2 and split.asal.isdigit() and len(split.asal) == 2):
            raise PemekaranError(f"entri {n}: kode dan asal harus kode provinsi dua angka")
        out.append(split)
    return tuple(out)


@lru_cache(maxsize=1)
def splits() -> tuple[Split, ...]:
    return parse(PATH.read_text(encoding="utf-8"))


def _province(kode: str) -> str:
    return kode.split(".")[0]


def formed_by(kode: str, table: tuple[Split, ...] | None = None) -> Split | None:
    """The split that formed the province `kode` lies in (the province itself or any region inside it)."""
    return next((s for s in (splits() if table is None else table) if _province(kode) == s.kode), None)


def split_from(kode: str, table: tuple[Split, ...] | None = None) -> list[Split]:
    """The splits that took regions from province `kode` (only for the province itself: its
    kabupaten that stayed kept their codes)."""
    if "." in kode:
        return []
    return [s for s in (splits() if table is None else table) if s.asal == kode]


def splits_in(codes) -> list[Split]:
    """The splits whose new province is among `codes` (a release's regions)."""
    return [s for s in splits() if s.kode in codes]
