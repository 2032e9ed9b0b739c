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


# Every count a release publishes is a *named set* of units (`key`). Two indicators that
# count the same set name it the same way, so disclosure control sees one quantity
# (the population is the denominator of a dozen rates, but one number).


@dataclass(frozen=True)
class Count:
    key: str
    where: str = "TRUE"


@dataclass(frozen=True)
class Share:
    """nilai = 100 × #(universe AND numerator) / #(universe)."""

    universe: str
    numerator: str
    den_key: str = ""
    num_key: str = ""
    comp_key: str = ""  # the set universe − numerator (named when another indicator counts it too)

    @property
    def complement(self) -> str:
        """The complement's set name: its own where another indicator counts it, else den~num."""
        return self.comp_key or f"{self.den_key}~{self.num_key}"

    def key_of(self, role: str) -> str | None:
        """The named set behind a published column: numerator, denominator or complement."""
        return {"num": self.num_key, "den": self.den_key, "comp": self.complement}.get(role)


@dataclass(frozen=True)
class Mean:
    """nilai = Σ expr / #(universe): additive over regions, so it rolls up exactly."""

    universe: str
    expr: str
    n_key: str = ""
    sum_key: str = ""


@dataclass(frozen=True)
class Ranked:
    """A statistic of the ordered consumption distribution (not additive)."""

    kind: str  # "gini" or "b40"


PERSONS = {
    "jumlah_penduduk": Count("orang"),
    "jumlah_penduduk_miskin": Count("orang_miskin", "kpk < garis"),
    "persen_penduduk_usia_produktif": Share("TRUE", "umur BETWEEN 15 AND 64", "orang", "orang_15_64"),
    "persen_penduduk_lansia": Share("TRUE", "umur >= 60", "orang", "orang_60plus"),
    "persen_penduduk_miskin": Share("TRUE", "kpk < garis", "orang", "orang_miskin", "orang_tidak_miskin"),
    "persen_penduduk_desil_1_4": Share("TRUE", "desil <= 4", "orang", "orang_desil_1_4", "orang_desil_5_10"),
    "indeks_kedalaman_kemiskinan": Mean("TRUE", f"100 * {GAP}", "orang", "jumlah_p1"),
    "indeks_keparahan_kemiskinan": Mean("TRUE", f"100 * {GAP} * {GAP}", "orang", "jumlah_p2"),
    "rata_rata_konsumsi_per_kapita": Mean("TRUE", "kpk", "orang", "jumlah_konsumsi"),
    "gini": Ranked("gini"),
    "porsi_konsumsi_40_terbawah": Ranked("b40"),
    "apm_sd": Share("umur BETWEEN 7 AND 12", "partisipasi_sekolah = 'masih_sekolah'", "anak_7_12", "anak_7_12_sekolah", "anak_7_12_tidak_sekolah"),
    "apm_smp": Share("umur BETWEEN 13 AND 15", "partisipasi_sekolah = 'masih_sekolah'", "anak_13_15", "anak_13_15_sekolah", "anak_13_15_tidak_sekolah"),
    "apm_sma": Share("umur BETWEEN 16 AND 18", "partisipasi_sekolah = 'masih_sekolah'", "anak_16_18", "anak_16_18_sekolah", "anak_16_18_tidak_sekolah"),
    "persen_anak_tidak_sekolah": Share("umur BETWEEN 7 AND 18", "partisipasi_sekolah <> 'masih_sekolah'", "anak_7_18", "anak_7_18_tidak_sekolah", "anak_7_18_sekolah"),
    "angka_melek_huruf": Share("umur >= 15", "melek_huruf", "orang_15plus", "orang_15plus_melek_huruf"),
    "rata_rata_lama_sekolah_15plus": Mean("umur >= 15", "lama_sekolah", "orang_15plus", "jumlah_lama_sekolah_15plus"),
    "persen_lulus_sma_25plus": Share("umur >= 25", "pendidikan_tertinggi IN ('sma', 'diploma', 'sarjana')", "orang_25plus", "orang_25plus_sma"),
    "cakupan_jkn": Share("TRUE", "jkn <> 'tidak_punya'", "orang", "orang_jkn"),
    "persen_pbi_jkn": Share("TRUE", "jkn = 'pbi'", "orang", "orang_pbi"),
    "persen_penyandang_disabilitas": Share("TRUE", "disabilitas", "orang", "orang_disabilitas"),
    "tpt": Share("umur >= 15 AND status_kerja <> 'bukan_angkatan_kerja'", "status_kerja = 'pengangguran'", "angkatan_kerja", "penganggur", "pekerja"),
    "tpak": Share("umur >= 15", "status_kerja <> 'bukan_angkatan_kerja'", "orang_15plus", "angkatan_kerja"),
    "persen_pekerja_informal": Share("status_kerja = 'bekerja'", "NOT formal", "pekerja", "pekerja_informal"),
    "persen_pekerja_pertanian": Share("status_kerja = 'bekerja'", "sektor = 'pertanian'", "pekerja", "pekerja_pertanian"),
}

HOUSEHOLDS = {
    "jumlah_rumah_tangga": Count("rt"),
    # Household members summed are the persons counted: the mean's sum *is* the population
    # (one quantity, so a reader's persons ÷ households is no hidden value).
    "rata_rata_anggota_rt": Mean("TRUE", "anggota_tercatat", "rt", "orang"),
    "persen_rt_air_minum_layak": Share("TRUE", AIR_LAYAK, "rt", "rt_air_layak"),
    "persen_rt_sanitasi_layak": Share("TRUE", SANITASI_LAYAK, "rt", "rt_sanitasi_layak"),
    "persen_rt_sanitasi_aman": Share("TRUE", "sanitasi = 'aman'", "rt", "rt_sanitasi_aman"),
    "persen_rt_listrik_pln": Share("TRUE", "listrik IN ('pln_meteran', 'pln_tanpa_meteran')", "rt", "rt_listrik_pln"),
    "persen_rt_lantai_tanah": Share("TRUE", "lantai = 'tanah'", "rt", "rt_lantai_tanah"),
    "persen_rt_milik_sendiri": Share("TRUE", "status_kepemilikan = 'milik_sendiri'", "rt", "rt_milik_sendiri"),
    "persen_rt_hunian_layak": Share(
        "TRUE",
        f"luas_lantai_per_kapita >= 7.2 AND lantai <> 'tanah' AND dinding IN ('tembok', 'kayu') AND atap <> 'ijuk_rumbia' AND {AIR_LAYAK} AND {SANITASI_LAYAK}",
        "rt",
        "rt_hunian_layak",
    ),
    "cakupan_pkh": Share("TRUE", "pkh", "rt", "rt_pkh"),
    "cakupan_bpnt": Share("TRUE", "bpnt", "rt", "rt_bpnt"),
    "cakupan_pbi_jkn_rt": Share("TRUE", "pbi_jkn", "rt", "rt_pbi"),
    "cakupan_pip": Share("TRUE", "pip", "rt", "rt_pip"),
    "cakupan_blt_dana_desa": Share("TRUE", "blt", "rt", "rt_blt"),
    "cakupan_bansos_apa_pun": Share("TRUE", ANY_BANSOS, "rt", "rt_bansos"),
    "persen_penerima_di_luar_desil_1_4": Share("(pkh OR bpnt)", "desil >= 5", "rt_pkh_atau_bpnt", "rt_pkh_atau_bpnt_desil_5_10"),
    "persen_desil_1_2_tanpa_bansos": Share("desil <= 2", f"NOT {ANY_BANSOS}", "rt_desil_1_2", "rt_desil_1_2_tanpa_bansos"),
}

DEFINITIONS = {**{k: ("orang", v) for k, v in PERSONS.items()}, **{k: ("rumah_tangga", v) for k, v in HOUSEHOLDS.items()}}


# Identities between named sets that hold in every region and category: a reader can use
# them, so the disclosure model adds them as relations (set = Σ parts).
SET_IDENTITIES = [
    ("anak_7_18", ["anak_7_12", "anak_13_15", "anak_16_18"]),
    ("anak_7_18_sekolah", ["anak_7_12_sekolah", "anak_13_15_sekolah", "anak_16_18_sekolah"]),
    ("anak_7_18_tidak_sekolah", ["anak_7_12_tidak_sekolah", "anak_13_15_tidak_sekolah", "anak_16_18_tidak_sekolah"]),
]
# Sums over the members of another, smaller set: the poverty gaps add up over the poor only,
# so a published P1 or P2 > 0 says the poor exist. They share that set's protection: where its
# count is protected, so are they (ARCHITECTURE §6, consistency across indicators).
SET_FAMILIES = {"jumlah_p1": "orang_miskin", "jumlah_p2": "orang_miskin"}
# The same, by indicator, for the primary rules (row level).
INDICATOR_FAMILIES = {"indeks_kedalaman_kemiskinan": "jumlah_penduduk_miskin", "indeks_keparahan_kemiskinan": "jumlah_penduduk_miskin"}
# A set that equals a sum of categories of another set's breakdown (same region, total).
BREAKDOWN_IDENTITIES = [
    ("orang_15plus", "orang", "kelompok_umur", ["15-24", "25-44", "45-64", "65+"]),
    ("orang_25plus", "orang", "kelompok_umur", ["25-44", "45-64", "65+"]),
    ("orang_desil_1_4", "orang", "desil", ["1", "2", "3", "4"]),
    ("orang_desil_5_10", "orang", "desil", ["5", "6", "7", "8", "9", "10"]),
    ("rt_desil_1_2", "rt", "desil", ["1", "2"]),
]
