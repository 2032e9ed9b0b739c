"""The synthetic register: deterministic, a real panel, calibrated to BPS figures, generated province by province."""
from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
import pytest

from pipeline.calibration import (
    gini_from_sigma,
    province_targets,
    sigma_from_gini,
    weighted_gini,
)
from pipeline.generate import generate, generate_chunks
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


# --- Province by province (issue 19): chunks are independent, memory follows the largest province ---

def _province(register, kode):
    h, p = register.households, register.persons
    hh = h[h.kode_kecamatan.str[:2] == kode].reset_index(drop=True)
    return hh, p[p.id_rt.isin(hh.id_rt)].reset_index(drop=True)


def test_a_province_is_the_same_alone_or_beside_others(register):
    """Each province has its own stream and ids: generated alone, Gorontalo is the same panel as beside
    Bangka Belitung. Only what is national (desil, bansos quotas, and what follows from them) may differ."""
    ref = reference_dir()
    alone = generate(read_wilayah(ref, ("75",)), province_targets(read_statistik(ref), ["75"], YEARS), 0.003, 11, YEARS)
    hh_a, ps_a = _province(alone, "75")
    hh_b, ps_b = _province(register, "75")
    own = ["tahun", "id_rt", "kode_kecamatan", "perkotaan", "jumlah_anggota", "konsumsi_per_kapita"]
    pd.testing.assert_frame_equal(hh_a[own], hh_b[own])
    pd.testing.assert_frame_equal(ps_a[["tahun", "id_art", "id_rt", "umur", "jenis_kelamin", "hubungan"]],
                                  ps_b[["tahun", "id_art", "id_rt", "umur", "jenis_kelamin", "hubungan"]])
    assert not hh_a["desil"].equals(hh_b["desil"])  # ranked among other households: national


def test_ids_are_unique_across_provinces_and_stable_across_years(register):
    h, p = register.households, register.persons
    assert not h.duplicated(["tahun", "id_rt"]).any() and not p.duplicated(["tahun", "id_art"]).any()
    prov_of_hh = h.groupby("id_rt")["kode_kecamatan"].agg(lambda k: set(k.str[:2]))
    assert (prov_of_hh.map(len) == 1).all()  # a household stays in its province (and kecamatan) every year
    assert (h.groupby("id_rt")["kode_kecamatan"].nunique() == 1).all()


def test_desil_and_quotas_are_national(register):
    """The ranks come from each province's values on disk, yet a desil is a national tenth of the
    persons, ordered by consumption across provinces (a rank within each province would not be)."""
    h = register.households
    for tahun, g in h.groupby("tahun"):
        share = g.groupby("desil")["jumlah_anggota"].sum() / g["jumlah_anggota"].sum()
        assert share.index.tolist() == list(range(1, 11))
        assert share.to_numpy() == pytest.approx(np.full(10, 0.1), abs=0.005), (tahun, share.round(4).to_dict())
        bounds = g.groupby("desil")["konsumsi_per_kapita"].agg(["min", "max"])
        assert (bounds["max"].to_numpy()[:-1] <= bounds["min"].to_numpy()[1:]).all(), bounds
        assert g["pkh"].mean() == pytest.approx(0.14, abs=0.01)
        assert g.loc[~g.perkotaan, "blt"].mean() == pytest.approx(0.07, abs=0.01)


def test_each_chunk_is_one_province_and_year(setup):
    w, targets = setup
    seen = []
    for hh, ps in generate_chunks(w, targets, 0.003, 11, YEARS):
        assert hh["tahun"].nunique() == 1 and hh["kode_kecamatan"].str[:2].nunique() == 1
        assert set(ps["id_rt"]) <= set(hh["id_rt"]) and ps["tahun"].nunique() == 1
        seen.append((hh["kode_kecamatan"].iloc[0][:2], int(hh["tahun"].iloc[0])))
    assert seen == [(k, y) for k in PROVS for y in YEARS]


def _peak_bytes(provinces: tuple[str, ...], scale: float) -> int:
    ref = reference_dir()
    w = read_wilayah(ref, provinces)
    targets = province_targets(read_statistik(ref), list(provinces), YEARS)
    tracemalloc.start()
    try:
        for hh, ps in generate_chunks(w, targets, scale, 7, YEARS):
            del hh, ps  # as write_register does: each chunk is written and forgotten
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_generation_memory_follows_the_largest_province_not_the_country():
    """Adding a smaller province leaves the peak where the larger one put it (the whole register
    in memory at once, as before issue 19, made it 1.8 times as high here)."""
    _peak_bytes(("75",), 0.001)  # first-use allocations (imports, caches) out of the way
    bangka = _peak_bytes(("19",), 0.01)
    both = _peak_bytes(("19", "75"), 0.01)
    assert both < 1.25 * bangka, (bangka, both)
