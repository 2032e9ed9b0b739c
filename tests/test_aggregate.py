"""Aggregation against a register small enough to compute by hand."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from data.catalog import load_catalog
from pipeline import aggregate as agg
from pipeline.validate import validate
from tests.tiny import tiny_register


@pytest.fixture(scope="module")
def cells(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tiny")
    hh, ps = tiny_register()
    hh.to_parquet(tmp / "households.parquet", index=False)
    ps.to_parquet(tmp / "persons.parquet", index=False)
    con = duckdb.connect()
    reports = validate(con, tmp / "households.parquet", tmp / "persons.parquet", ["34.71.01", "34.71.02"], tmp)
    assert reports["households"].quarantined == 0 and reports["persons"].quarantined == 0
    agg.prepare_views(con, pd.DataFrame([{"kode_provinsi": "34", "tahun": 2025, "garis": 100.0}]))
    out = agg.aggregate(con, load_catalog(), log=lambda m: None)
    return agg.compute_values(out, weight=1.0).set_index(["indicator_id", "kode_wilayah", "dimensi", "kategori"])


def value(cells, ind, kode, dimensi="total", kategori="total", col="nilai"):
    return cells.loc[(ind, kode, dimensi, kategori), col]


def test_counts_add_up_through_the_hierarchy(cells):
    assert value(cells, "jumlah_penduduk", "34.71.01") == 4
    assert value(cells, "jumlah_penduduk", "34.71.02") == 2
    assert value(cells, "jumlah_penduduk", "34.71") == 6
    assert value(cells, "jumlah_penduduk", "34") == 6
    assert value(cells, "jumlah_penduduk", "00") == 6
    assert value(cells, "jumlah_rumah_tangga", "34.71") == 3


def test_poverty_rate_and_gaps(cells):
    # Household 1 (2 persons, consumption 50 < line 100) is poor: 2 of 6 persons.
    assert value(cells, "persen_penduduk_miskin", "34.71") == pytest.approx(100 * 2 / 6)
    assert value(cells, "persen_penduduk_miskin", "34.71.01") == pytest.approx(50.0)
    assert value(cells, "persen_penduduk_miskin", "34.71.01", col="n_pembilang") == 2
    # P1: two persons with gap (100-50)/100 = 0.5, over 6 persons, ×100.
    assert value(cells, "indeks_kedalaman_kemiskinan", "34.71") == pytest.approx(100 * (0.5 + 0.5) / 6)
    assert value(cells, "indeks_keparahan_kemiskinan", "34.71") == pytest.approx(100 * (0.25 + 0.25) / 6)


def test_gini_on_a_known_distribution(cells):
    # Kecamatan A persons' consumption: 50, 50, 150, 150 -> Gini = Σ(2i-n-1)x / (n Σx) = 0.25.
    assert value(cells, "gini", "34.71.01") == pytest.approx(0.25)
    # Bottom 40 % of 4 persons = the first one (rn <= 1.6): 50 of 400.
    assert value(cells, "porsi_konsumsi_40_terbawah", "34.71.01") == pytest.approx(100 * 50 / 400)


def test_labour_and_school(cells):
    # Labour force 15+: persons 1 (unemployed), 3 and 5 (working): TPT = 1/3.
    assert value(cells, "tpt", "34.71") == pytest.approx(100 / 3)
    # Informal among workers: person 5 only of persons 3 and 5.
    assert value(cells, "persen_pekerja_informal", "34.71") == pytest.approx(50.0)
    # Children 7-12: person 2 (in school) and 6 (not): APM SD = 50 %.
    assert value(cells, "apm_sd", "34.71") == pytest.approx(50.0)


def test_breakdowns_are_complete_and_sum_to_total(cells):
    by_desil = cells.xs(("jumlah_penduduk", "34", "desil"), level=(0, 1, 2))["nilai"]
    assert len(by_desil) == 10  # empty desil are explicit zeros
    assert by_desil.sum() == 6
    assert by_desil["1"] == 2 and by_desil["5"] == 2 and by_desil["9"] == 2 and by_desil["3"] == 0
    by_sex = cells.xs(("jumlah_penduduk", "34.71", "jenis_kelamin"), level=(0, 1, 2))["nilai"]
    assert by_sex["L"] + by_sex["P"] == 6 and by_sex["L"] == 4


def test_household_indicators(cells):
    assert value(cells, "cakupan_pkh", "34.71") == pytest.approx(100 * 2 / 3)
    # Recipients of PKH outside desil 1-4: household 2 (desil 5) of households 1 and 2.
    assert value(cells, "persen_penerima_di_luar_desil_1_4", "34.71") == pytest.approx(50.0)
    assert value(cells, "persen_rt_lantai_tanah", "34.71.01") == pytest.approx(50.0)


def test_desil_stops_at_the_province(cells):
    assert ("jumlah_penduduk", "34.71", "desil", "1") not in cells.index
    assert ("jumlah_penduduk", "34", "desil", "1") in cells.index


def test_kecamatan_gets_totals_only(cells):
    kec = cells.xs("34.71.01", level=1)
    assert set(kec.index.get_level_values("dimensi")) == {"total"}


def test_restricted_cells_are_never_computed(cells):
    # Targeting error at kecamatan level is 'terbatas' in the catalogue.
    assert ("persen_desil_1_2_tanpa_bansos", "34.71.01", "total", "total") not in cells.index
    assert ("persen_desil_1_2_tanpa_bansos", "34.71", "total", "total") in cells.index
