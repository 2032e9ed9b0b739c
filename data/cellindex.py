"""A release's cells in memory, sorted the way maps ask for them, so one map's values are a slice.

A map switch asks for one (indicator, level, year, breakdown, category), every region of
it, or those inside one parent. DuckDB answers that in 5–10 ms of planning and
conversion; here it is a dictionary lookup and two bisections (well under a millisecond).
Strings are kept as small integer codes into sorted vocabularies, so the 1.2 million cells
of the demo release take about 40 MB.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

GroupKey = tuple[str, str, int, str, str]  # indicator_id, tingkat, tahun, dimensi, kategori

def _codes(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (−1 for null) and the vocabulary they index."""
    encoded = pc.dictionary_encode(column).combine_chunks()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    codes = np.where(pc.is_null(encoded.indices).to_numpy(zero_copy_only=False), -1, codes).astype(np.int32)
    vocab = np.asarray(encoded.dictionary.to_pylist() + [None], dtype=object)  # code −1 reads the trailing None
    return codes, vocab


class CellIndex:
    """Cells sorted by (indicator, level, year, breakdown, category, region code).

    `cells` (columns pos, nilai, pembilang, penyebut, status, alasan, periode) must come in
    that order, with `pos` the region code's index in `kodes`, every code sorted bytewise,
    so the regions inside a parent are one contiguous run of each group. `group_counts`
    gives each group's size in the same order; `regions` gives names and BPS codes."""

    def __init__(self, cells: pa.Table, kodes: list[str], group_counts: Iterable[tuple[GroupKey, int]], regions: pd.DataFrame):
        self.kodes = np.asarray(kodes, dtype=object)
        self.kode_pos = cells["pos"].to_numpy()
        names = regions.set_index("kode")["nama"].to_dict()
        bps = regions.set_index("kode")["kode_bps"].to_dict()
        self.nama = np.asarray([names.get(k) for k in self.kodes], dtype=object)
        self.kode_bps = np.asarray([bps.get(k) for k in self.kodes], dtype=object)
        self.nilai = cells["nilai"].to_numpy()
        self.pembilang = cells["pembilang"].to_numpy()
        self.penyebut = cells["penyebut"].to_numpy()
        self.status, self.status_vocab = _codes(cells["status"])
        self.alasan, self.alasan_vocab = _codes(cells["alasan"])
        self.periode, self.periode_vocab = _codes(cells["periode"])
        self.groups: dict[GroupKey, tuple[int, int]] = {}
        start = 0
        for key, n in group_counts:
            self.groups[(key[0], key[1], int(key[2]), key[3], key[4])] = (start, start + n)
            start += n
        if start != cells.num_rows:
            raise ValueError(f"group counts cover {start} of {cells.num_rows} cells")

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
