"""Issue 20, "facts first": the pemekaran notice on regions whose codes had a predecessor."""
from __future__ import annotations

import re

import pandas as pd
import pytest

import data.pemekaran as pemekaran
from components.pemekaran import region_text
from data.pemekaran import PemekaranError, Split, formed_by, parse, split_from, splits
from pipeline.settings import reference_dir


def registry() -> pd.DataFrame:
    return pd.read_csv(reference_dir() / "reference" / "wilayah.csv", dtype=str)


def test_the_checked_in_splits_name_provinces_of_the_registry():
    reg = registry()
    provinces = set(reg.loc[reg["tingkat"] == "provinsi", "kode"])
    assert [s.kode for s in splits()] == ["93", "94", "95", "96"]
    for s in splits():
        assert {s.kode, s.asal} <= provinces, s
        assert re.fullmatch(r"UU No\. \d+ Tahun 2022", s.dasar_hukum)


def test_every_region_of_a_new_province_has_its_predecessor_and_no_other_region_does():
    reg = registry()
    for kode in reg["kode"]:
        found = formed_by(kode)
        expected = kode.split(".")[0] in {"93", "94", "95", "96"}
        assert (found is not None) == expected, kode
        if found:
            assert found.kode == kode[:2]
    assert sorted(s.kode for s in split_from("91")) == ["93", "94", "95"]
    assert [s.kode for s in split_from("92")] == ["96"]
    assert split_from("91.01") == []  # a kabupaten that stayed kept its code


def test_the_notice_says_where_from_and_by_which_law():
    new = formed_by("93.01")
    kab = region_text("93.01", "Kabupaten Merauke", new, [])
    assert "Kabupaten Merauke" in kab and "Papua Selatan" in kab and "(kode 91)" in kab and "UU No. 14 Tahun 2022" in kab
    prov = region_text("93", "Papua Selatan", new, [])
    assert "dibentuk pada 2022 dari Provinsi Papua" in prov
    old = region_text("91", "Papua", None, split_from("91"))
    assert all(f"({k})" in old for k in ("93", "94", "95")) and "tidak sebanding" in old
    assert region_text("34", "DI Yogyakarta", formed_by("34"), split_from("34")) is None


@pytest.mark.parametrize("text", ['[[pemekaran]]\nkode = "9"\nnama = "x"\nasal = "91"\nnama_asal = "y"\ntahun = 2022\ndasar_hukum = "z"',
                                  '[[pemekaran]]\nkode = "93"\nnama = "x"\ntahun = 2022'])
def test_a_malformed_file_is_refused_with_the_entry(text):
    with pytest.raises(PemekaranError, match="entri 1"):
        parse(text)


@pytest.fixture()
def client(monkeypatch):
    """The test release holds provinces 34 and 75 only: pretend 34 was split from 75."""
    import app as portal

    monkeypatch.setattr(pemekaran, "splits", lambda: (Split("34", "DI Yogyakarta", "75", "Gorontalo", 2022, "UU No. 99 Tahun 2022"),))
    return portal.server.test_client()


def _notice(page: str, id_: str) -> str | None:
    m = re.search(rf'id="{id_}"[^>]*>([^<]*)<', page)
    return m.group(1) if m else None


def test_pages_carry_the_notice_where_a_split_touches_the_region(client):
    kab = _notice(client.get("/wilayah/34.71").get_data(as_text=True), "wilayah-pemekaran")
    assert kab and "Provinsi DI Yogyakarta" in kab and "(kode 75)" in kab and "UU No. 99 Tahun 2022" in kab
    old = _notice(client.get("/wilayah/75").get_data(as_text=True), "wilayah-pemekaran")
    assert old and "Provinsi DI Yogyakarta (34)" in old
    assert _notice(client.get("/wilayah/75.01").get_data(as_text=True), "wilayah-pemekaran") is None
    nation = _notice(client.get("/peta?tingkat=provinsi").get_data(as_text=True), "peta-pemekaran")
    assert nation and "Provinsi DI Yogyakarta (34)" in nation
    scoped = _notice(client.get("/peta?tingkat=kecamatan&induk=34.71").get_data(as_text=True), "peta-pemekaran")
    assert scoped and "(kode 75)" in scoped
    english = _notice(client.get("/wilayah/34.71?lang=en").get_data(as_text=True), "wilayah-pemekaran")
    assert english and english.startswith("Boundary change:") and "code 75" in english


def test_no_notice_without_a_split(monkeypatch):
    import app as portal

    monkeypatch.setattr(pemekaran, "splits", lambda: ())
    c = portal.server.test_client()
    assert _notice(c.get("/wilayah/34.71").get_data(as_text=True), "wilayah-pemekaran") is None
    assert _notice(c.get("/peta?tingkat=provinsi").get_data(as_text=True), "peta-pemekaran") is None
