"""National ranks and quantiles read from sorted parts on disk equal the in-memory computation
over the parts concatenated (the generator's desil and bansos cuts rest on it)."""
from __future__ import annotations

import numpy as np
import pytest

from pipeline.national import SortedParts


def parts_of(rng, sizes, ties=False):
    """Values split into parts; with ties, few distinct values, so equal values meet across parts."""
    out = []
    for n in sizes:
        v = rng.integers(0, 6, n).astype(float) if ties else rng.lognormal(0, 1, n)
        out.append((v, rng.integers(1, 9, n)))
    return out


@pytest.mark.parametrize("ties", [False, True])
def test_rank_equals_a_stable_sort_of_the_concatenation(tmp_path, ties):
    rng = np.random.default_rng(1)
    parts = parts_of(rng, [50, 1, 0, 300, 17], ties)
    sp = SortedParts(tmp_path, "x")
    for i, (v, w) in enumerate(parts):
        sp.add(str(i), v, w)
    # The generator's old in-memory rank: running weight share in a stable sort of everything.
    v_all = np.concatenate([v for v, _ in parts])
    w_all = np.concatenate([w for _, w in parts])
    order = np.argsort(v_all, kind="stable")
    expected = np.empty(len(v_all))
    expected[order] = np.cumsum(w_all[order]) / w_all.sum()
    got = np.concatenate([sp.rank(str(i), v, w) for i, (v, w) in enumerate(parts)])
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("q", [0.0, 0.07, 0.5, 0.55, 0.86, 1.0])
def test_quantile_equals_numpy_on_the_concatenation(tmp_path, ties, q):
    rng = np.random.default_rng(2)
    parts = [v for v, _ in parts_of(rng, [40, 0, 3, 250, 1], ties)]
    sp = SortedParts(tmp_path, "s")
    for i, v in enumerate(parts):
        sp.add(str(i), v)
    assert sp.quantile(q) == np.quantile(np.concatenate(parts), q)


def test_quantile_of_nothing_selects_nobody(tmp_path):
    sp = SortedParts(tmp_path, "s")
    sp.add("a", np.array([]))
    assert sp.quantile(0.5) == np.inf


def test_a_part_is_added_once(tmp_path):
    sp = SortedParts(tmp_path, "x")
    sp.add("a", np.array([1.0]))
    with pytest.raises(ValueError):
        sp.add("a", np.array([2.0]))
