"""Primary disclosure rules hold for every published cell."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.protect import primary_status, publishable
from pipeline.settings import DisclosureParams
from tests.helpers import current_release

P = DisclosureParams()


def cells_frame(rows):
    df = pd.DataFrame(rows, columns=["aturan", "n_unit", "n_pembilang", "n_rt"])
    df["indicator_id"] = "x"
    df["nilai"] = 1.0
    df["pembilang"] = df["n_pembilang"]
    df["penyebut"] = df["n_unit"]
    return df


cell = st.one_of(
    st.tuples(st.just("count"), st.integers(0, 60), st.none(), st.integers(0, 60)),
    st.integers(0, 60).flatmap(lambda n: st.tuples(st.just("proporsi"), st.just(n), st.integers(0, n), st.integers(0, 60))),
    st.tuples(st.just("statistik"), st.integers(0, 100), st.none(), st.integers(0, 100)),
    st.tuples(st.just("rasio"), st.integers(0, 60), st.none(), st.integers(0, 60)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(cell, min_size=1, max_size=40))
def test_every_published_cell_meets_the_rules(rows):
    out = publishable(primary_status(cells_frame(rows), P), {"x": 2})
    k = P.k
    for r in out.itertuples():
        if r.status != "ok":
            assert np.isnan(r.nilai) and np.isnan(r.pembilang) and np.isnan(r.penyebut)
            continue
        if r.aturan in ("count", "rasio"):
            assert r.n_unit == 0 or r.n_unit >= k
        elif r.aturan == "proporsi":
            assert r.n_unit >= k
            assert not (1 <= r.n_pembilang < k) and not (1 <= r.n_unit - r.n_pembilang < k)
        else:
            assert r.n_unit >= P.k_stat and r.n_rt >= k


def test_examples():
    out = primary_status(cells_frame([
        ("count", 9, None, 9), ("count", 10, None, 10), ("count", 0, None, 0),
        ("proporsi", 50, 3, 20), ("proporsi", 50, 45, 20), ("proporsi", 50, 0, 20), ("proporsi", 0, 0, 0), ("proporsi", 8, 4, 4),
        ("statistik", 29, None, 12), ("statistik", 40, None, 9), ("statistik", 40, None, 10),
    ]), P)
    assert list(out["status"]) == ["S1", "ok", "ok", "S1", "S1", "ok", "NA", "S1", "S1", "S1", "ok"]
    assert list(out["alasan_rinci"][:8].fillna("-")) == ["n<k", "-", "-", "pembilang<k", "komplemen<k", "-", "-", "penyebut<k"]


def test_public_reason_does_not_say_which_part_was_small():
    out = primary_status(cells_frame([("proporsi", 50, 3, 20), ("proporsi", 50, 47, 20)]), P)
    assert out["alasan"].nunique() == 1


def test_the_built_release_has_no_cell_below_the_rules():
    """The test release on disk: no published value without status ok; no secure-side column."""
    df = pd.read_parquet(current_release() / "indicators.parquet")
    assert not {"n_unit", "n_pembilang", "n_rt", "alasan_rinci"} & set(df.columns)
    hidden = df[df.status != "ok"]
    assert hidden[["nilai", "pembilang", "penyebut"]].isna().all().all()
    assert (df.status == "S1").sum() > 0
    # Published counts of records are k or more once the weight is divided out.
    import json
    scale = json.loads((current_release() / "manifest.json").read_text())["masukan"]["skala"]
    counts = df[(df.indicator_id == "jumlah_penduduk") & (df.status == "ok")]["nilai"] * scale
    assert ((counts.round() == 0) | (counts.round() >= P.k)).all()


def test_fork_map_spreads_a_few_big_jobs_over_the_workers():
    """Three huge components and five small ones: the big ones must not share one worker
    (a batch of 64 once handed an exact audit's whole work to one process)."""
    import os
    import time

    from pipeline.disclosure.parallel import fork_map

    def work(_, size):
        time.sleep(size / 20_000)  # the big ones take half a second: long enough for both workers to be up
        return size, os.getpid()

    jobs = [10_000, 9_000, 8_000, 5, 4, 3, 2, 1]
    pids = dict(fork_map(work, None, jobs, 2, size=lambda s: s, batch=64))
    assert sorted(pids) == sorted(jobs)
    assert len({pids[10_000], pids[9_000], pids[8_000]}) == 2


def test_a_statistic_over_a_small_group_shares_its_protection():
    """P1 over 3 poor people would say they exist: it is S1 wherever their count is (issue 14, finding 4)."""
    place = {"kode_wilayah": "32.05.40", "tingkat": "kecamatan", "tahun": 2025, "dimensi": "total", "kategori": "total"}
    rows = pd.DataFrame([
        {**place, "indicator_id": "jumlah_penduduk_miskin", "aturan": "count", "n_unit": 3, "n_pembilang": None, "n_rt": 3},
        {**place, "indicator_id": "indeks_kedalaman_kemiskinan", "aturan": "statistik", "n_unit": 900, "n_pembilang": None, "n_rt": 250},
        {**place, "kode_wilayah": "32.05.41", "indicator_id": "indeks_kedalaman_kemiskinan", "aturan": "statistik", "n_unit": 900, "n_pembilang": None, "n_rt": 250},
    ])
    out = primary_status(rows, P)
    assert list(out["status"]) == ["S1", "S1", "ok"]
    assert out["alasan_rinci"][1] == "keluarga<k"
