"""The in-memory cell index answers exactly what a plain filter of the released parquet answers."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data.access import load_release
from tests.helpers import current_release, public_cells


@pytest.fixture(scope="module")
def rel():
    return load_release(current_release())


@pytest.fixture(scope="module")
def cells():
    return public_cells()


def expected_map(cells, regions, ind, tahun, tingkat, dim, kat, induk):
    sel = cells[(cells.indicator_id == ind) & (cells.tahun == tahun) & (cells.tingkat == tingkat)
                & (cells.dimensi == dim) & (cells.kategori == kat)]
    if induk:
        sel = sel[sel.kode_wilayah.str.startswith(induk + ".")]
    sel = sel.merge(regions[["kode", "nama", "kode_bps"]], left_on="kode_wilayah", right_on="kode")  # the SQL's inner join
    return sel.sort_values("kode_wilayah")[["kode_wilayah", "nama", "kode_bps", "nilai", "status", "alasan", "pembilang", "penyebut", "periode"]]


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    norm = lambda df: df.reset_index(drop=True).astype(object).where(lambda x: x.notna(), None)  # noqa: E731
    pd.testing.assert_frame_equal(norm(a), norm(b), check_dtype=False)


def test_every_group_and_parent_matches_a_plain_filter(rel, cells):
    index = rel.cells
    regions = rel.regions.reset_index(drop=True)
    provinces = sorted(regions.loc[regions.tingkat == "provinsi", "kode"])
    kabupaten = sorted(regions.loc[regions.tingkat == "kabupaten_kota", "kode"])
    checked = 0
    rng = np.random.default_rng(0)
    keys = list(index.groups)
    for i in rng.choice(len(keys), size=min(60, len(keys)), replace=False):
        ind, tingkat, tahun, dim, kat = keys[i]
        parents = [None] + ([provinces[0], provinces[-1]] if tingkat in ("kabupaten_kota", "kecamatan") else [])
        parents += [kabupaten[0], kabupaten[-1]] if tingkat == "kecamatan" else []
        for induk in parents:
            got = index.map_values(ind, tahun, tingkat, dim, kat, induk)
            same(got, expected_map(cells, regions, ind, tahun, tingkat, dim, kat, induk))
            checked += len(got)
    assert checked > 1000  # the sample really covered regions, not only empty groups


def test_a_parent_with_no_children_and_an_unknown_group_are_empty(rel):
    ind, tingkat, tahun, dim, kat = next(k for k in rel.cells.groups if k[1] == "kabupaten_kota")
    assert rel.cells.map_values(ind, tahun, tingkat, dim, kat, "99").empty  # no province 99
    assert rel.cells.map_values("tidak_ada", tahun, tingkat, dim, kat, None).empty
    # A prefix must end at a dot: "3" is not the parent of province 34's kabupaten.
    first_digit = rel.cells.map_values(ind, tahun, tingkat, dim, kat, None)["kode_wilayah"].iloc[0][0]
    assert rel.cells.map_values(ind, tahun, tingkat, dim, kat, first_digit).empty


def test_series_matches_a_plain_filter(rel, cells):
    for kode, tingkat in (("00", "nasional"), (sorted(rel.regions.kode)[-1], rel.region(sorted(rel.regions.kode)[-1])["tingkat"])):
        ind = cells.loc[cells.kode_wilayah == kode, "indicator_id"].iloc[0]
        want = cells[(cells.indicator_id == ind) & (cells.kode_wilayah == kode) & (cells.dimensi == "total") & (cells.kategori == "total")]
        got = rel.cells.series(ind, kode, tingkat, rel.years, "total", "total")
        same(got, want.sort_values("tahun")[["tahun", "nilai", "status", "alasan"]])
        assert len(got) > 0
    assert rel.cells.series(ind, "99.99", "kecamatan", rel.years, "total", "total").empty
