"""A release's cells in memory, sorted the way maps ask for them, so one map's values are a slice.

A map switch asks for one (indicator, level, year, breakdown, category), every region of
it, or those inside one parent. DuckDB answers that in 5–10 ms of planning and
conversion; here it is a dictionary lookup and two bisections (well under a millisecond).
Strings are kept as small integer codes into vocabularies, so the 1.2 million cells of the
demo release take about 40 MB, memory-mapped once for every worker (data/serving_files.py).
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

GroupKey = tuple[str, str, int, str, str]  # indicator_id, tingkat, tahun, dimensi, kategori


class CellIndex:
    """Cells sorted by (indicator, level, year, breakdown, category, region code).

    `arrays` holds the columns in that order (data/serving_files.py writes them and the
    workers memory-map them): `kode_pos` is the region code's index in `meta["kodes"]`
    (every code sorted bytewise, so the regions inside a parent are one contiguous run of
    each group), `nilai`, `pembilang`, `penyebut`, and `status`, `alasan`, `periode` as
    integer codes into `meta["<name>_vocab"]` (−1 for null). `meta["groups"]` gives each
    group's key and size in the same order; `regions` gives names and BPS codes."""

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict, regions: pd.DataFrame):
        self.kodes = np.asarray(meta["kodes"], dtype=object)
        self.kode_pos = arrays["kode_pos"]
        names = regions.set_index("kode")["nama"].to_dict()
        bps = regions.set_index("kode")["kode_bps"].to_dict()
        self.nama = np.asarray([names.get(k) for k in self.kodes], dtype=object)
        self.kode_bps = np.asarray([bps.get(k) for k in self.kodes], dtype=object)
        self.nilai, self.pembilang, self.penyebut = arrays["nilai"], arrays["pembilang"], arrays["penyebut"]
        # A trailing None: code −1 reads it.
        self.status, self.status_vocab = arrays["status"], np.asarray(meta["status_vocab"] + [None], dtype=object)
        self.alasan, self.alasan_vocab = arrays["alasan"], np.asarray(meta["alasan_vocab"] + [None], dtype=object)
        self.periode, self.periode_vocab = arrays["periode"], np.asarray(meta["periode_vocab"] + [None], dtype=object)
        self.groups: dict[GroupKey, tuple[int, int]] = {}
        start = 0
        for ind, tingkat, tahun, dimensi, kategori, n in meta["groups"]:
            self.groups[(ind, tingkat, int(tahun), dimensi, kategori)] = (start, start + n)
            start += n
        if start != len(self.kode_pos):
            raise ValueError(f"group counts cover {start} of {len(self.kode_pos)} cells")

    def _span(self, key: GroupKey, induk: str | None) -> tuple[int, int]:
        a, b = self.groups.get(key, (0, 0))
        if induk and b > a:
            # Codes inside a parent share its prefix "32.01.", so they sit between two ranks.
            lo = np.searchsorted(self.kodes, induk + ".", side="left")
            hi = np.searchsorted(self.kodes, induk + ".\x7f", side="left")
            run = self.kode_pos[a:b]
            a, b = a + int(np.searchsorted(run, lo, side="left")), a + int(np.searchsorted(run, hi, side="left"))
        return a, b

    def map_values(self, indicator_id: str, tahun: int, tingkat: str, dimensi: str, kategori: str, induk: str | None) -> pd.DataFrame:
        """The same rows and columns as the SQL in `queries.map_values`, ordered by region code;
        regions missing from the registry are left out, as the SQL's join leaves them out."""
        a, b = self._span((indicator_id, tingkat, int(tahun), dimensi, kategori), induk)
        pos = self.kode_pos[a:b]
        nama = self.nama[pos]
        known = np.fromiter((n is not None for n in nama), dtype=bool, count=len(nama))
        rows = np.arange(a, b)[known]
        pos = pos[known]
        return pd.DataFrame({
            "kode_wilayah": pd.Series(self.kodes[pos], dtype=object),
            "nama": pd.Series(nama[known], dtype=object),
            "kode_bps": pd.Series(self.kode_bps[pos], dtype=object),
            "nilai": self.nilai[rows],
            "status": pd.Series(self.status_vocab[self.status[rows]], dtype=object),
            "alasan": pd.Series(self.alasan_vocab[self.alasan[rows]], dtype=object),
            "pembilang": self.pembilang[rows],
            "penyebut": self.penyebut[rows],
            "periode": pd.Series(self.periode_vocab[self.periode[rows]], dtype=object),
        })

    def series(self, indicator_id: str, kode: str, tingkat: str, years: Iterable[int], dimensi: str, kategori: str) -> pd.DataFrame:
        """One region's value in every year it is published (columns tahun, nilai, status, alasan)."""
        target = np.searchsorted(self.kodes, kode)
        if target >= len(self.kodes) or self.kodes[target] != kode:
            return pd.DataFrame({"tahun": [], "nilai": [], "status": [], "alasan": []})
        out = {"tahun": [], "nilai": [], "status": [], "alasan": []}
        for tahun in years:
            a, b = self.groups.get((indicator_id, tingkat, int(tahun), dimensi, kategori), (0, 0))
            i = a + int(np.searchsorted(self.kode_pos[a:b], target))
            if i < b and self.kode_pos[i] == target:
                out["tahun"].append(int(tahun))
                out["nilai"].append(self.nilai[i])
                out["status"].append(self.status_vocab[self.status[i]])
                out["alasan"].append(self.alasan_vocab[self.alasan[i]])
        return pd.DataFrame({"tahun": pd.Series(out["tahun"], dtype="int64"), "nilai": pd.Series(out["nilai"], dtype=float),
                             "status": pd.Series(out["status"], dtype=object), "alasan": pd.Series(out["alasan"], dtype=object)})
