"""The indicator catalogue is complete, consistent with the computations, and checked."""
from __future__ import annotations

import pandas as pd
import pytest

from data.catalog import CatalogError, load_catalog, parse_catalog
from pipeline.definitions import DEFINITIONS
from pipeline.settings import reference_dir


def test_catalogue_loads_and_is_large_enough():
    cat = load_catalog()
    synthetic = [i for i in cat.values() if not i.official]
    assert len(synthetic) >= 30
    assert {i.domain for i in synthetic} >= {"demografi", "kemiskinan", "ketimpangan", "pendidikan", "kesehatan", "ketenagakerjaan", "perumahan", "bansos"}


def test_every_synthetic_indicator_has_a_computation_and_back():
    cat = load_catalog()
    assert {i for i, ind in cat.items() if not ind.official} == set(DEFINITIONS)
    for i, (unit, _) in DEFINITIONS.items():
        assert cat[i].unit == unit


def test_targets_point_at_the_target_file():
    targets = set(pd.read_csv(reference_dir() / "reference" / "target_rpjmn_sdg.csv")["indikator"])
    for ind in load_catalog().values():
        if ind.target:
            assert ind.target in targets, ind.id


def test_official_indicators_point_at_bps_series():
    stat = set(pd.read_csv(reference_dir() / "reference" / "statistik_provinsi.csv")["indikator"])
    for ind in load_catalog().values():
        if ind.official:
            assert ind.sumber_indikator in stat


@pytest.mark.parametrize(
    "old,new,field",
    [
        ('aturan = "count"', 'aturan = "hitung"', "aturan"),
        ('dimensi = ["total"]', 'dimensi = ["semua"]', "dimensi"),
        ("desimal = 0", "desimal = 9", "desimal"),
        ('arah = "turun"', 'arah = "bawah"', "arah"),
    ],
)
def test_bad_entries_are_refused(old, new, field):
    from data.catalog import CATALOG_PATH

    text = CATALOG_PATH.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(CatalogError, match=field):
        parse_catalog(text.replace(old, new, 1))


def test_duplicate_id_is_refused():
    from data.catalog import CATALOG_PATH

    text = CATALOG_PATH.read_text(encoding="utf-8")
    first = text[text.index("[[indikator]]"):text.index("[[indikator]]", text.index("[[indikator]]") + 1)]
    with pytest.raises(CatalogError, match="ganda"):
        parse_catalog(text + "\n" + first)
