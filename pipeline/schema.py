"""The one documented input schema for a register extract (synthetic or real).

An extract is two tables, households and persons, one row per unit and year,
as parquet or CSV. Every row passes these checks or goes to quarantine with the
first reason it fails (validate.py). Types are checked by casting, so an extract
whose columns arrive as text (CSV, a careless export) is validated the same way.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str  # DuckDB type the value must cast to
    allowed: tuple[str, ...] | None = None  # closed vocabulary, for categorical columns
    min: float | None = None
    max: float | None = None
    nullable: bool = False
    doc: str = ""


HOUSEHOLD_COLUMNS = (
    Column("tahun", "SMALLINT", min=2000, max=2100, doc="reference year"),
    Column("id_rt", "BIGINT", min=1, doc="household id, stable across years"),
    Column("kode_kecamatan", "VARCHAR", doc="Kemendagri dotted code, e.g. 11.01.01; must exist in the registry"),
    Column("perkotaan", "BOOLEAN", doc="true = urban (perkotaan), false = rural (perdesaan)"),
    Column("jumlah_anggota", "SMALLINT", min=1, max=40, doc="household size"),
    Column("konsumsi_per_kapita", "DOUBLE", min=0, max=1e9, doc="monthly per-capita consumption, rupiah"),
    Column("desil", "SMALLINT", min=1, max=10, doc="national welfare decile (DTSEN peringkat kesejahteraan)"),
    Column("lantai", "VARCHAR", allowed=("keramik", "semen", "kayu", "tanah")),
    Column("dinding", "VARCHAR", allowed=("tembok", "kayu", "bambu")),
    Column("atap", "VARCHAR", allowed=("genteng", "seng", "asbes", "beton", "ijuk_rumbia")),
    Column("sumber_air", "VARCHAR", allowed=("perpipaan", "sumur_bor", "sumur_terlindung", "sumur_tak_terlindung", "mata_air", "air_kemasan", "sungai")),
    Column("sanitasi", "VARCHAR", allowed=("aman", "layak", "belum_layak", "bab_sembarangan")),
    Column("listrik", "VARCHAR", allowed=("pln_meteran", "pln_tanpa_meteran", "non_pln", "tidak_ada")),
    Column("status_kepemilikan", "VARCHAR", allowed=("milik_sendiri", "sewa", "bebas_sewa", "dinas", "lainnya")),
    Column("luas_lantai_per_kapita", "DOUBLE", min=0, max=10000, doc="m² per person"),
    Column("pkh", "BOOLEAN", doc="receives Program Keluarga Harapan"),
    Column("bpnt", "BOOLEAN", doc="receives Sembako/BPNT"),
    Column("pbi_jkn", "BOOLEAN", doc="members are PBI-JKN (state-paid health insurance)"),
    Column("pip", "BOOLEAN", doc="a member receives Program Indonesia Pintar"),
    Column("blt", "BOOLEAN", doc="receives BLT Dana Desa"),
)

PERSON_COLUMNS = (
    Column("tahun", "SMALLINT", min=2000, max=2100),
    Column("id_art", "BIGINT", min=1, doc="person id, stable across years"),
    Column("id_rt", "BIGINT", min=1, doc="household of the person that year; must exist"),
    Column("umur", "SMALLINT", min=0, max=120, doc="age in completed years"),
    Column("jenis_kelamin", "VARCHAR", allowed=("L", "P")),
    Column("hubungan", "VARCHAR", allowed=("kepala_rt", "pasangan", "anak", "orang_tua", "lainnya")),
    Column("status_kawin", "VARCHAR", allowed=("belum_kawin", "kawin", "cerai_hidup", "cerai_mati")),
    Column("pendidikan_tertinggi", "VARCHAR", allowed=("tidak_sekolah", "sd", "smp", "sma", "diploma", "sarjana")),
    Column("lama_sekolah", "SMALLINT", min=0, max=25),
    Column("partisipasi_sekolah", "VARCHAR", allowed=("tidak_pernah", "masih_sekolah", "tidak_sekolah_lagi")),
    Column("melek_huruf", "BOOLEAN"),
    Column("jkn", "VARCHAR", allowed=("pbi", "non_pbi", "tidak_punya")),
    Column("disabilitas", "BOOLEAN"),
    Column("status_kerja", "VARCHAR", allowed=("bekerja", "pengangguran", "bukan_angkatan_kerja")),
    Column("sektor", "VARCHAR", allowed=("pertanian", "industri", "jasa"), nullable=True, doc="only for the working"),
    Column("formal", "BOOLEAN", nullable=True, doc="only for the working"),
)

TABLES = {"households": (HOUSEHOLD_COLUMNS, ("tahun", "id_rt")), "persons": (PERSON_COLUMNS, ("tahun", "id_art"))}
KODE_KECAMATAN_PATTERN = r"^\d{2}\.\d{2}\.\d{2}$"
