"""Validation on entry: every injected fault is quarantined with its reason; nothing is lost."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from pipeline.corrupt import corrupt
from pipeline.validate import validate
from tests.tiny import tiny_register


def run(tmp_path, hh, ps, suffix="parquet"):
    for name, df in (("households", hh), ("persons", ps)):
        if suffix == "csv":
            df.to_csv(tmp_path / f"{name}.csv", index=False)
        else:
            df.to_parquet(tmp_path / f"{name}.parquet", index=False)
    con = duckdb.connect()
    rep = validate(con, tmp_path / f"households.{suffix}", tmp_path / f"persons.{suffix}", ["34.71.01", "34.71.02"], tmp_path)
    return con, rep


@pytest.mark.parametrize(
    "table,change,reason",
    [
        ("households", {"kode_kecamatan": "99.99.99"}, "kode_tidak_dikenal"),
        ("households", {"kode_kecamatan": "3471.01"}, "kode_salah_format"),
        ("households", {"konsumsi_per_kapita": -5.0}, "di_luar_rentang:konsumsi_per_kapita"),
        ("households", {"desil": 11}, "di_luar_rentang:desil"),
        ("households", {"lantai": "emas"}, "nilai_tidak_dikenal:lantai"),
        ("persons", {"umur": 250}, "di_luar_rentang:umur"),
        ("persons", {"id_rt": 999}, "tanpa_rumah_tangga"),
        ("persons", {"jenis_kelamin": None}, "kosong:jenis_kelamin"),
    ],
)
def test_each_reason(tmp_path, table, change, reason):
    hh, ps = tiny_register()
    df = hh if table == "households" else ps
    for col, val in change.items():
        if val is None or isinstance(val, str):
            df[col] = df[col].astype(object)
        df.loc[0, col] = val
    _, rep = run(tmp_path, hh, ps)
    assert rep[table].reasons.get(reason) == 1, rep[table].reasons
    q = pd.read_parquet(tmp_path / f"karantina_{table}.parquet")
    assert reason in set(q["alasan"])
    for r in rep.values():
        assert r.accepted + r.quarantined == r.read


def test_wrong_type_in_a_text_column(tmp_path):
    hh, ps = tiny_register()
    ps["lama_sekolah"] = ps["lama_sekolah"].astype(str)
    ps.loc[2, "lama_sekolah"] = "enam"
    _, rep = run(tmp_path, hh, ps)
    assert rep["persons"].reasons == {"tipe_salah:lama_sekolah": 1}


def test_duplicate_keeps_the_first_and_quarantines_the_copy(tmp_path):
    hh, ps = tiny_register()
    ps = pd.concat([ps, ps.iloc[[0]]], ignore_index=True)
    con, rep = run(tmp_path, hh, ps)
    assert rep["persons"].reasons == {"id_ganda": 1}
    assert rep["persons"].accepted == 6
    assert con.execute("SELECT count(*) FROM accepted_persons WHERE id_art = 1").fetchone()[0] == 1


def test_persons_of_a_quarantined_household_follow_it(tmp_path):
    hh, ps = tiny_register()
    hh.loc[0, "konsumsi_per_kapita"] = -1.0  # household 1 has persons 1 and 2
    _, rep = run(tmp_path, hh, ps)
    assert rep["persons"].reasons == {"rumah_tangga_dikarantina": 2}


def test_csv_extract_validates_like_parquet(tmp_path):
    hh, ps = tiny_register()
    hh["kode_kecamatan"] = hh["kode_kecamatan"].astype(object)
    hh.loc[2, "kode_kecamatan"] = "99.99.99"
    _, rep = run(tmp_path, hh, ps, suffix="csv")
    assert rep["households"].reasons == {"kode_tidak_dikenal": 1}
    assert rep["persons"].reasons == {"rumah_tangga_dikarantina": 2}
    assert rep["persons"].accepted == 4


def test_missing_column_is_refused(tmp_path):
    hh, ps = tiny_register()
    with pytest.raises(ValueError, match="kolom wajib"):
        run(tmp_path, hh.drop(columns=["desil"]), ps)


def test_injected_faults_match_the_quarantine(tmp_path):
    """The generator's --corrupt faults: each lands in quarantine with the expected reason and count."""
    from pipeline.calibration import province_targets
    from pipeline.generate import generate
    from pipeline.reference import read_statistik, read_wilayah
    from pipeline.settings import reference_dir

    ref = reference_dir()
    w = read_wilayah(ref, ("75",))
    targets = province_targets(read_statistik(ref), ["75"], (2025,))
    reg = generate(w, targets, 0.002, 3, (2025,))
    hh, ps, injected = corrupt(reg.households, reg.persons, 0.05, 3)
    hh.to_parquet(tmp_path / "households.parquet", index=False)
    ps.to_parquet(tmp_path / "persons.parquet", index=False)
    con = duckdb.connect()
    kec = w.loc[w.tingkat == "kecamatan", "kode"].tolist()
    rep = validate(con, tmp_path / "households.parquet", tmp_path / "persons.parquet", kec, tmp_path)
    h, p = rep["households"].reasons, rep["persons"].reasons
    assert h["kode_tidak_dikenal"] == injected["kode_tidak_dikenal"]
    assert h["kode_salah_format"] == injected["kode_salah_format"]
    assert h["di_luar_rentang:konsumsi_per_kapita"] == injected["konsumsi_negatif"]
    assert p["di_luar_rentang:umur"] == injected["umur_mustahil"]
    assert p["tanpa_rumah_tangga"] == injected["tanpa_rumah_tangga"]
    assert p["tipe_salah:lama_sekolah"] == injected["tipe_salah"]
    assert p["id_ganda"] == injected["id_ganda"]
    assert p["rumah_tangga_dikarantina"] == injected["persons_in_bad_households"]
    for r in rep.values():
        assert r.accepted + r.quarantined == r.read
