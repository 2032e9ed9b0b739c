"""Region comparison (/bandingkan, issue 20): the pure parts (the address, the rows, the similar-regions
ranking) and the page and its download over HTTP, held against the regions' own profiles."""
from __future__ import annotations

import html as htmllib
import io
import re

import numpy as np
import pandas as pd
import pytest

from data.comparison import compare_sections
from data.similarity import nearest, standardised
from web.compare_state import parse_compare
from web.state import StateError

# --- the address ------------------------------------------------------------------------------

KNOWN = {"00": "00", "34": "34", "34.01": "34.01", "3401": "34.01", "34.02": "34.02", "34.71": "34.71", "3471": "34.71",
         "34.71.01": "34.71.01", "347101": "34.71.01", "75.01": "75.01"}


@pytest.mark.parametrize("args,codes,cari", [
    ({"wilayah": "34.01,34.71"}, ("34.01", "34.71"), ""),
    ({"wilayah": " 3401 , 34.71.01,00"}, ("34.01", "34.71.01", "00"), ""),  # BPS's undotted codes, any level, spaces
    ({"wilayah": "34,34.01,34.02,34.71,75.01"}, ("34", "34.01", "34.02", "34.71", "75.01"), ""),
    ({}, (), ""),                                                # the page that starts a comparison
    ({"cari": "sleman"}, (), "sleman"),
    ({"wilayah": "34.01", "cari": ""}, ("34.01",), ""),          # choosing the second region
    ({"wilayah": "34.01", "cari": "bantul"}, ("34.01",), "bantul"),
])
def test_a_good_address_names_its_regions_in_order(args, codes, cari):
    state = parse_compare(args, KNOWN.get)
    assert state.wilayah == codes and state.cari == cari
    assert state.complete == (len(codes) >= 2)


@pytest.mark.parametrize("args,status,words", [
    ({"wilayah": "34.01"}, 400, "paling sedikit 2"),
    ({"wilayah": "34,34.01,34.02,34.71,75.01,34.71.01"}, 400, "paling banyak 5"),
    ({"wilayah": "34.01,garut"}, 400, "bukan kode wilayah"),
    ({"wilayah": "34.01,<script>"}, 400, "bukan kode wilayah"),
    ({"wilayah": "34.01,,34.71"}, 400, "kode kosong"),
    ({"wilayah": "34.01,34.71,"}, 400, "kode kosong"),
    ({"wilayah": "34.01,3401"}, 400, "lebih dari sekali"),
    ({"wilayah": "34.01,99.99"}, 404, "99.99"),
    ({"wilayah": ["34.01", "34.71"]}, 400, "satu teks"),        # a repeated parameter, as Dash's router passes it
    ({"wilayah": "3" * 300}, 400, "terlalu panjang"),
])
def test_a_bad_address_is_refused_with_its_reason(args, status, words):
    with pytest.raises(StateError) as err:
        parse_compare(args, KNOWN.get)
    assert err.value.status == status and words in err.value.message


# --- the rows ----------------------------------------------------------------------------------

def _cells(rows):
    return pd.DataFrame(rows, columns=["indicator_id", "kode_wilayah", "nilai", "status"])


def test_sections_follow_the_catalogue_with_one_cell_per_region_in_the_address_order():
    cells = _cells([("p0", "B", 9.0, "ok"), ("p0", "A", 8.0, "ok"), ("pop", "A", 100.0, "ok"), ("tpt", "A", 5.0, "ok")])
    indicators = [("pop", "demografi"), ("p0", "kemiskinan"), ("tpt", "kerja"), ("gini", "kemiskinan")]
    out = compare_sections(cells, ["B", "A"], indicators, ["kemiskinan", "demografi", "kerja"])
    assert [d for d, _ in out] == ["kemiskinan", "demografi", "kerja"]  # the page's domain order
    p0, = out[0][1]  # gini has no cell anywhere: no row
    assert p0[0] == "p0" and [c["nilai"] for c in p0[1]] == [9.0, 8.0]
    assert out[1][1][0][1][0] is None  # B has no population cell: an empty slot, not a shifted column


def test_a_protected_cell_reaches_the_page_without_its_numbers_whatever_the_input_held():
    cells = pd.DataFrame([{"indicator_id": "p0", "kode_wilayah": "A", "nilai": 3.2, "pembilang": 4.0, "penyebut": 120.0, "status": "S1"},
                          {"indicator_id": "p0", "kode_wilayah": "B", "nilai": 7.5, "pembilang": 9.0, "penyebut": 120.0, "status": "ok"}])
    (_, [(_, (a, b))]), = compare_sections(cells, ["A", "B"], [("p0", "k")], ["k"])
    assert a["status"] == "S1" and a["nilai"] is None and a["pembilang"] is None and a["penyebut"] is None
    assert b["nilai"] == 7.5


# --- similar regions ------------------------------------------------------------------------------

def _values(table: dict[str, dict[str, float]]) -> pd.DataFrame:
    return pd.DataFrame([(k, i, v) for k, row in table.items() for i, v in row.items()], columns=["kode_wilayah", "indicator_id", "nilai"])


def _grid(n=12, seed=1):
    rng = np.random.default_rng(seed)
    return {f"R{r:02d}": {"a": float(rng.normal(10, 3)), "b": float(rng.normal(2000, 500)), "c": float(rng.normal(50, 10)),
                          "d": float(rng.normal(5, 1))} for r in range(n)}


def test_the_nearest_region_is_the_one_planted_next_to_it_and_never_itself():
    table = _grid()
    table["TWIN"] = {k: v * 1.001 for k, v in table["R03"].items()}
    found = nearest(_values(table), "R03", k=3)
    assert found[0].kode == "TWIN" and all(n.kode != "R03" for n in found)
    assert [n.distance for n in found] == sorted(n.distance for n in found) and found[0].common == 4


def test_each_indicator_counts_by_its_spread_not_its_unit():
    """Consumption in rupiah (thousands) must not drown a rate in percent: z-scores, so a unit change
    of one indicator leaves the ranking as it was."""
    table = _grid()
    before = [n.kode for n in nearest(_values(table), "R05", k=5)]
    scaled = {k: {**row, "b": row["b"] * 1000} for k, row in table.items()}
    assert [n.kode for n in nearest(_values(scaled), "R05", k=5)] == before
    z = standardised(_values(table))
    assert np.allclose(z.mean(), 0) and np.allclose(z.std(ddof=0), 1)


def test_only_published_values_count_and_every_distance_is_over_the_same_indicators():
    """A protected cell is absent from the values. A region missing one of the indicators the region
    has published is not ranked (over fewer indicators it would look closer than it is); what the
    region itself lacks is left out for every candidate alike."""
    table = _grid()
    table["GAPPY"] = {"a": table["R02"]["a"], "b": table["R02"]["b"], "c": table["R02"]["c"]}  # identical on three, d protected
    found = nearest(_values(table), "R02", k=20, min_common=3)
    assert "GAPPY" not in {n.kode for n in found} and len(found) == 11  # R00..R11 but R02 itself
    del table["R07"]["d"]
    mine = nearest(_values(table), "R07", k=20, min_common=3)
    assert mine and all(n.common == 3 for n in mine) and "GAPPY" in {n.kode for n in mine}


def test_too_few_published_values_give_no_neighbours_and_a_flat_indicator_is_ignored():
    table = _grid()
    table["R01"] = {"a": table["R01"]["a"], "b": table["R01"]["b"], "c": table["R01"]["c"]}
    assert nearest(_values(table), "R01", min_common=4) == []
    flat = {k: {**row, "e": 1.0} for k, row in _grid().items()}
    assert "e" not in standardised(_values(flat)).columns
    assert nearest(_values(flat), "nowhere") == []
