"""A hand-made register small enough to compute every expected figure by hand."""
from __future__ import annotations

import pandas as pd

HH_DEFAULTS = dict(lantai="keramik", dinding="tembok", atap="genteng", sumber_air="perpipaan", sanitasi="layak",
                   listrik="pln_meteran", status_kepemilikan="milik_sendiri", luas_lantai_per_kapita=10.0,
                   pkh=False, bpnt=False, pbi_jkn=False, pip=False, blt=False)
P_DEFAULTS = dict(hubungan="anak", status_kawin="belum_kawin", pendidikan_tertinggi="sma", lama_sekolah=12,
                  partisipasi_sekolah="tidak_sekolah_lagi", melek_huruf=True, jkn="non_pbi", disabilitas=False,
                  status_kerja="bekerja", sektor="jasa", formal=True)


def households(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame([{**HH_DEFAULTS, **r} for r in rows])
    df["tahun"] = df["tahun"].astype("int16")
    df["jumlah_anggota"] = df["jumlah_anggota"].astype("int16")
    df["desil"] = df["desil"].astype("int16")
    return df


def persons(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame([{**P_DEFAULTS, **r} for r in rows])
    for col in ("tahun", "umur", "lama_sekolah"):
        df[col] = df[col].astype("int16")
    df["formal"] = df["formal"].astype("boolean")
    return df


def tiny_register():
    """Kecamatan A (34.71.01): 2 households, 4 persons; kecamatan B (34.71.02): 1 household, 2 persons.
    Poverty line 100. Household 1 (A) consumption 50 (poor), 2 (A) 150, 3 (B) 300."""
    hh = households([
        dict(tahun=2025, id_rt=1, kode_kecamatan="34.71.01", perkotaan=True, jumlah_anggota=2, konsumsi_per_kapita=50.0, desil=1, pkh=True, lantai="tanah"),
        dict(tahun=2025, id_rt=2, kode_kecamatan="34.71.01", perkotaan=True, jumlah_anggota=2, konsumsi_per_kapita=150.0, desil=5, pkh=True),
        dict(tahun=2025, id_rt=3, kode_kecamatan="34.71.02", perkotaan=False, jumlah_anggota=2, konsumsi_per_kapita=300.0, desil=9),
    ])
    ps = persons([
        dict(tahun=2025, id_art=1, id_rt=1, umur=40, jenis_kelamin="L", hubungan="kepala_rt", status_kerja="pengangguran", sektor=None, formal=None),
        dict(tahun=2025, id_art=2, id_rt=1, umur=10, jenis_kelamin="P", partisipasi_sekolah="masih_sekolah", status_kerja="bukan_angkatan_kerja", sektor=None, formal=None, pendidikan_tertinggi="sd", lama_sekolah=4),
        dict(tahun=2025, id_art=3, id_rt=2, umur=35, jenis_kelamin="P", hubungan="kepala_rt"),
        dict(tahun=2025, id_art=4, id_rt=2, umur=70, jenis_kelamin="L", status_kerja="bukan_angkatan_kerja", sektor=None, formal=None, jkn="tidak_punya"),
        dict(tahun=2025, id_art=5, id_rt=3, umur=30, jenis_kelamin="L", hubungan="kepala_rt", formal=False),
        dict(tahun=2025, id_art=6, id_rt=3, umur=8, jenis_kelamin="L", partisipasi_sekolah="tidak_sekolah_lagi", status_kerja="bukan_angkatan_kerja", sektor=None, formal=None, pendidikan_tertinggi="tidak_sekolah", lama_sekolah=0),
    ])
    return hh, ps
