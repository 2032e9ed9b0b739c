"""How each catalogue indicator is computed from the validated register (SQL fragments).

The catalogue (data/katalog_indikator.toml) says what an indicator means; this
module says how to count it. A test checks that the two cover the same ids.

Columns available: persons view `pv` (one row per person and year, with the
household's consumption `kpk`, the province poverty line `garis`, `desil`,
`perkotaan`) and households view `hv`.
"""
from __future__ import annotations

from dataclasses import dataclass

AIR_LAYAK = "sumber_air IN ('perpipaan', 'sumur_bor', 'sumur_terlindung', 'mata_air', 'air_kemasan')"
SANITASI_LAYAK = "sanitasi IN ('aman', 'layak')"
ANY_BANSOS = "(pkh OR bpnt OR pbi_jkn OR pip OR blt)"
GAP = "GREATEST(0.0, (garis - kpk) / garis)"


@dataclass(frozen=True)
class Count:
    where: str = "TRUE"


@dataclass(frozen=True)
class Share:
    """nilai = 100 × #(universe AND numerator) / #(universe)."""

    universe: str
    numerator: str


@dataclass(frozen=True)
class Mean:
    """nilai = Σ expr / #(universe): additive over regions, so it rolls up exactly."""

    universe: str
    expr: str


@dataclass(frozen=True)
class Ranked:
    """A statistic of the ordered consumption distribution (not additive)."""

    kind: str  # "gini" or "b40"


PERSONS = {
    "jumlah_penduduk": Count(),
    "jumlah_penduduk_miskin": Count("kpk < garis"),
    "persen_penduduk_usia_produktif": Share("TRUE", "umur BETWEEN 15 AND 64"),
    "persen_penduduk_lansia": Share("TRUE", "umur >= 60"),
    "persen_penduduk_miskin": Share("TRUE", "kpk < garis"),
    "persen_penduduk_desil_1_4": Share("TRUE", "desil <= 4"),
    "indeks_kedalaman_kemiskinan": Mean("TRUE", f"100 * {GAP}"),
    "indeks_keparahan_kemiskinan": Mean("TRUE", f"100 * {GAP} * {GAP}"),
    "rata_rata_konsumsi_per_kapita": Mean("TRUE", "kpk"),
    "gini": Ranked("gini"),
    "porsi_konsumsi_40_terbawah": Ranked("b40"),
    "apm_sd": Share("umur BETWEEN 7 AND 12", "partisipasi_sekolah = 'masih_sekolah'"),
    "apm_smp": Share("umur BETWEEN 13 AND 15", "partisipasi_sekolah = 'masih_sekolah'"),
    "apm_sma": Share("umur BETWEEN 16 AND 18", "partisipasi_sekolah = 'masih_sekolah'"),
    "persen_anak_tidak_sekolah": Share("umur BETWEEN 7 AND 18", "partisipasi_sekolah <> 'masih_sekolah'"),
    "angka_melek_huruf": Share("umur >= 15", "melek_huruf"),
    "rata_rata_lama_sekolah_15plus": Mean("umur >= 15", "lama_sekolah"),
    "persen_lulus_sma_25plus": Share("umur >= 25", "pendidikan_tertinggi IN ('sma', 'diploma', 'sarjana')"),
    "cakupan_jkn": Share("TRUE", "jkn <> 'tidak_punya'"),
    "persen_pbi_jkn": Share("TRUE", "jkn = 'pbi'"),
    "persen_penyandang_disabilitas": Share("TRUE", "disabilitas"),
    "tpt": Share("umur >= 15 AND status_kerja <> 'bukan_angkatan_kerja'", "status_kerja = 'pengangguran'"),
    "tpak": Share("umur >= 15", "status_kerja <> 'bukan_angkatan_kerja'"),
    "persen_pekerja_informal": Share("status_kerja = 'bekerja'", "NOT formal"),
    "persen_pekerja_pertanian": Share("status_kerja = 'bekerja'", "sektor = 'pertanian'"),
}

HOUSEHOLDS = {
    "jumlah_rumah_tangga": Count(),
    "rata_rata_anggota_rt": Mean("TRUE", "jumlah_anggota"),
    "persen_rt_air_minum_layak": Share("TRUE", AIR_LAYAK),
    "persen_rt_sanitasi_layak": Share("TRUE", SANITASI_LAYAK),
    "persen_rt_sanitasi_aman": Share("TRUE", "sanitasi = 'aman'"),
    "persen_rt_listrik_pln": Share("TRUE", "listrik IN ('pln_meteran', 'pln_tanpa_meteran')"),
    "persen_rt_lantai_tanah": Share("TRUE", "lantai = 'tanah'"),
    "persen_rt_milik_sendiri": Share("TRUE", "status_kepemilikan = 'milik_sendiri'"),
    "persen_rt_hunian_layak": Share(
        "TRUE",
        f"luas_lantai_per_kapita >= 7.2 AND lantai <> 'tanah' AND dinding IN ('tembok', 'kayu') AND atap <> 'ijuk_rumbia' AND {AIR_LAYAK} AND {SANITASI_LAYAK}",
    ),
    "cakupan_pkh": Share("TRUE", "pkh"),
    "cakupan_bpnt": Share("TRUE", "bpnt"),
    "cakupan_pbi_jkn_rt": Share("TRUE", "pbi_jkn"),
    "cakupan_pip": Share("TRUE", "pip"),
    "cakupan_blt_dana_desa": Share("TRUE", "blt"),
    "cakupan_bansos_apa_pun": Share("TRUE", ANY_BANSOS),
    "persen_penerima_di_luar_desil_1_4": Share("(pkh OR bpnt)", "desil >= 5"),
    "persen_desil_1_2_tanpa_bansos": Share("desil <= 2", f"NOT {ANY_BANSOS}"),
}

DEFINITIONS = {**{k: ("orang", v) for k, v in PERSONS.items()}, **{k: ("rumah_tangga", v) for k, v in HOUSEHOLDS.items()}}
