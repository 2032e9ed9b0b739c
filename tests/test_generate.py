"""The synthetic register: deterministic, a real panel, calibrated to BPS figures."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.calibration import (
    gini_from_sigma,
    province_targets,
    sigma_from_gini,
    weighted_gini,
)
from pipeline.generate import generate
from pipeline.reference import read_statistik, read_wilayah
from pipeline.settings import reference_dir

PROVS = ("19", "75")
YEARS = (2023, 2024, 2025)


@pytest.fixture(scope="module")
def setup():
    ref = reference_dir()
    w = read_wilayah(ref, PROVS)
    targets = province_targets(read_statistik(ref), list(PROVS), YEARS)
    return w, targets


@pytest.fixture(scope="module")
def register(setup):
    w, targets = setup
    return generate(w, targets, 0.003, 11, YEARS)


def test_same_seed_same_register(setup, register):
    w, targets = setup
    again = generate(w, targets, 0.003, 11, YEARS)
    pd.testing.assert_frame_equal(register.households, again.households)
    pd.testing.assert_frame_equal(register.persons, again.persons)


def test_other_seed_other_register(setup, register):
    w, targets = setup
    other = generate(w, targets, 0.003, 12, YEARS)
    assert not register.households["konsumsi_per_kapita"].equals(other.households["konsumsi_per_kapita"])


def test_every_kecamatan_is_populated(setup, register):
    w, _ = setup
    kec = set(w.loc[w.tingkat == "kecamatan", "kode"])
    assert set(register.households["kode_kecamatan"]) == kec


def test_it_is_a_panel(register):
    p = register.persons
    a = p[p.tahun == 2023].set_index("id_art")["umur"]
    b = p[p.tahun == 2024].set_index("id_art")["umur"]
    both = a.index.intersection(b.index)
    assert len(both) > 0.95 * len(a)  # most people are still there a year later
    assert (b[both] == a[both] + 1).all()  # and a year older
    assert len(b.index.difference(a.index)) > 0  # births and nothing else new
    assert (p[p.tahun == 2024].set_index("id_art").loc[b.index.difference(a.index), "umur"] == 0).all()
    h = register.households
    ids23, ids24 = set(h[h.tahun == 2023].id_rt), set(h[h.tahun == 2024].id_rt)
    assert len(ids24 - ids23) > 0  # households split
    d = h.pivot_table(index="id_rt", columns="tahun", values="desil")
    moved = (d[2023] != d[2024]).mean()
    assert 0.05 < moved < 0.9  # households move between desil, gradually


def test_poverty_and_gini_match_the_published_figures(setup, register):
    _, targets = setup
    h = register.households
    for (prov, year), t in targets.items():
        g = h[(h.kode_kecamatan.str[:2] == prov) & (h.tahun == year)]
        w, x = g.jumlah_anggota.to_numpy(), g.konsumsi_per_kapita.to_numpy()
        p0 = 100 * w[x < t.poverty_line].sum() / w.sum()
        assert p0 == pytest.approx(t.p0_total, abs=0.6), (prov, year)
        assert weighted_gini(x, w) == pytest.approx(t.gini, abs=0.005), (prov, year)


def test_bansos_concentrates_in_low_desil(register):
    h = register.households
    cov = h.groupby("desil")["pkh"].mean()
    assert cov[1] > 3 * cov[5] > 0
    assert cov[10] < 0.02
    # Realistic error: some desil 1-2 households receive nothing, some recipients are above desil 4.
    any_bansos = h[["pkh", "bpnt", "pbi_jkn", "pip", "blt"]].any(axis=1)
    assert 0.01 < (~any_bansos[h.desil <= 2]).mean() < 0.5
    assert 0.05 < (h[h.pkh].desil >= 5).mean() < 0.5


def test_lognormal_gini_roundtrip():
    for g in (0.25, 0.38, 0.45):
        assert gini_from_sigma(sigma_from_gini(g)) == pytest.approx(g, abs=1e-9)


def test_weighted_gini_known_values():
    assert weighted_gini(np.array([1.0, 1.0, 1.0])) == pytest.approx(0.0)
    # Persons 1,1,3,3 as two households of two: Gini 0.25 (as the SQL in aggregate.py).
    assert weighted_gini(np.array([1.0, 3.0]), np.array([2, 2])) == pytest.approx(0.25)


def test_unemployment_matches_the_published_tpt(setup, register):
    _, targets = setup
    p = register.persons.merge(register.households[["tahun", "id_rt", "kode_kecamatan"]], on=["tahun", "id_rt"])
    lf = p[(p.umur >= 15) & (p.status_kerja != "bukan_angkatan_kerja")]
    for (prov, year), t in targets.items():
        g = lf[(lf.kode_kecamatan.str[:2] == prov) & (lf.tahun == year)]
        rate = 100 * (g.status_kerja == "pengangguran").mean()
        assert rate == pytest.approx(t.tpt, abs=100 / len(g) + 1e-9), (prov, year)
