"""National ranks and quantiles over values held one part (province) at a time.

The welfare desil and the bansos quotas are national: a household is ranked among
all households of the country that year. The generator holds one province at a time,
so each province's values are sorted and kept on disk, and a rank or a quantile is
read from those files (memory-mapped: the page cache holds them, not the heap).

Both equal the in-memory computation over the provinces concatenated in part order
(a stable sort, numpy's linear quantile); tests/test_national.py checks that.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np


class SortedParts:
    """One sorted array per part, with its running total of weights, in a folder."""

    def __init__(self, folder: Path, name: str):
        self.folder = Path(folder)
        self.name = name
        self.parts: list[str] = []  # in the order they were added: the order of the concatenation
        self._open: dict[Path, np.ndarray] = {}  # memory maps, opened once
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, part: str, what: str) -> Path:
        return self.folder / f"{self.name}-{part}-{what}.npy"

    def add(self, part: str, values: np.ndarray, weights: np.ndarray | None = None) -> None:
        if part in self.parts:
            raise ValueError(f"{self.name}: part {part} added twice")
        order = np.argsort(values, kind="stable")
        np.save(self._path(part, "values"), np.ascontiguousarray(values[order]))
        if weights is not None:  # with a leading 0: cumw[i] is the weight of the i smallest
            np.save(self._path(part, "cumw"), np.concatenate([[0], np.cumsum(np.asarray(weights, dtype=np.int64)[order])]))
        self.parts.append(part)

    def _load(self, path: Path) -> np.ndarray:
        if path not in self._open:
            self._open[path] = np.load(path, mmap_mode="r")
        return self._open[path]

    def values(self, part: str) -> np.ndarray:
        return self._load(self._path(part, "values"))

    def cumw(self, part: str) -> np.ndarray:
        return self._load(self._path(part, "cumw"))

    def total_weight(self) -> int:
        return int(sum(int(self.cumw(p)[-1]) for p in self.parts))

    def size(self) -> int:
        return sum(len(self.values(p)) for p in self.parts)

    def rank(self, part: str, values: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Each element's running weight share in the national order, in [0, 1].

        The national order is a stable sort of the parts concatenated in the order they were
        added: a tie with an earlier part's element ranks after it, with a later one before it.
        """
        order = np.argsort(values, kind="stable")
        needles = values[order]
        cum = np.cumsum(np.asarray(weights, dtype=np.int64)[order])  # within this part
        after = False
        for other in self.parts:
            if other == part:
                after = True
                continue
            sorted_other, cumw_other = self.values(other), self.cumw(other)
            # Elements of the other part that come before each needle: <= if it is earlier, < if later.
            cum += cumw_other[np.searchsorted(sorted_other, needles, side="left" if after else "right")]
        out = np.empty(len(values))
        out[order] = cum / self.total_weight()
        return out

    def quantile(self, q: float) -> float:
        """numpy.quantile(concatenation, q) (linear interpolation), from the sorted parts on disk."""
        arrays = [self.values(p) for p in self.parts]
        n = sum(len(a) for a in arrays)
        if n == 0:
            return float("inf")  # nobody eligible: no one qualifies (as in generate.household_year)
        h = (n - 1) * q
        lo = int(np.floor(h))
        a = _kth(arrays, lo)
        if lo + 1 >= n:
            return float(a)
        b = _kth(arrays, lo + 1)
        t = h - lo
        return float(a + (b - a) * t) if t < 0.5 else float(b - (b - a) * (1 - t))  # numpy's _lerp


def _kth(arrays: list[np.ndarray], k: int) -> float:
    """The k-th smallest (0-based) element of the union of sorted arrays, without joining them.

    The answer v is the one element with #(< v) <= k < #(<= v); in the array that holds it,
    it is the first element whose #(<=) exceeds k, found by bisection on that array's index.
    """
    def count(v, side):
        return sum(int(np.searchsorted(b, v, side=side)) for b in arrays)

    for a in arrays:
        lo, hi = 0, len(a)
        while lo < hi:
            mid = (lo + hi) // 2
            if count(a[mid], "right") > k:
                hi = mid
            else:
                lo = mid + 1
        if lo < len(a) and count(a[lo], "left") <= k:
            return float(a[lo])
    raise IndexError(f"k={k} is past the end of {sum(len(a) for a in arrays)} values")
