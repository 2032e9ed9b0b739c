"""The one documented input schema for a register extract (synthetic or real).

An extract is two tables, households and persons, one row per unit and year,
as parquet or CSV. Every row passes these checks or goes to quarantine with the
first reason it fails (validate.py). Types are checked by casting, so an extract
whose columns arrive as text (CSV, a careless export) is validated the same way.

This file is the single source of truth: docs/skema_ekstrak/ (the Frictionless
Data Package and the page a data officer reads) is generated from it by
`python -m pipeline write-schema`, and a test fails when the two differ.
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
    doc_id: str = ""  # what the column means, in Bahasa Indonesia (published)
    doc_en: str = ""  # the same in English (published)


HOUSEHOLD_COLUMNS = (
    Column("tahun", "SMALLINT", min=2000, max=2100,
           doc_id="Tahun acuan data.", doc_en="Reference year."),
    Column("id_rt", "BIGINT", min=1,
           doc_id="Nomor rumah tangga, tetap dari tahun ke tahun; satu baris per rumah tangga per tahun.",
           doc_en="Household id, stable across years; one row per household and year."),
    Column("kode_kecamatan", "VARCHAR",
           doc_id="Kode kecamatan Kemendagri bertitik, mis. 11.01.01; harus ada di registri wilayah. Dua angka pertamanya kode provinsi.",
           doc_en="Kemendagri dotted sub-district code, e.g. 11.01.01; must exist in the region registry. Its first two digits are the province."),
    Column("perkotaan", "BOOLEAN",
           doc_id="true = perkotaan, false = perdesaan.", doc_en="true = urban, false = rural."),
    Column("jumlah_anggota", "SMALLINT", min=1, max=40,
           doc_id="Jumlah anggota rumah tangga yang dilaporkan.", doc_en="Household size as reported."),
    Column("konsumsi_per_kapita", "DOUBLE", min=0, max=1e9,
           doc_id="Pengeluaran konsumsi per kapita sebulan, rupiah.", doc_en="Monthly per-capita consumption expenditure, rupiah."),
    Column("desil", "SMALLINT", min=1, max=10,
           doc_id="Desil kesejahteraan nasional DTSEN (peringkat kesejahteraan); 1 = 10 % rumah tangga termiskin.",
           doc_en="National DTSEN welfare decile (peringkat kesejahteraan); 1 = the poorest 10 % of households."),
    Column("lantai", "VARCHAR", allowed=("keramik", "semen", "kayu", "tanah"),
           doc_id="Jenis lantai terluas rumah: keramik, semen, kayu, tanah.",
           doc_en="Main floor material: ceramic tile, cement, wood, earth."),
    Column("dinding", "VARCHAR", allowed=("tembok", "kayu", "bambu"),
           doc_id="Jenis dinding terluas: tembok, kayu, bambu.", doc_en="Main wall material: masonry, wood, bamboo."),
    Column("atap", "VARCHAR", allowed=("genteng", "seng", "asbes", "beton", "ijuk_rumbia"),
           doc_id="Jenis atap terluas: genteng, seng, asbes, beton, ijuk/rumbia.",
           doc_en="Main roof material: clay tile, corrugated zinc, asbestos, concrete, palm fibre/thatch."),
    Column("sumber_air", "VARCHAR", allowed=("perpipaan", "sumur_bor", "sumur_terlindung", "sumur_tak_terlindung", "mata_air", "air_kemasan", "sungai"),
           doc_id="Sumber utama air minum: perpipaan, sumur bor, sumur terlindung, sumur tak terlindung, mata air, air kemasan, sungai.",
           doc_en="Main drinking-water source: piped, borehole, protected well, unprotected well, spring, bottled water, river."),
    Column("sanitasi", "VARCHAR", allowed=("aman", "layak", "belum_layak", "bab_sembarangan"),
           doc_id="Fasilitas buang air besar: aman (dikelola secara aman), layak, belum layak, buang air besar sembarangan.",
           doc_en="Sanitation: safely managed, basic, not yet basic, open defecation."),
    Column("listrik", "VARCHAR", allowed=("pln_meteran", "pln_tanpa_meteran", "non_pln", "tidak_ada"),
           doc_id="Sumber penerangan: listrik PLN dengan meteran, PLN tanpa meteran, listrik non-PLN, tidak ada listrik.",
           doc_en="Lighting: PLN grid with a meter, PLN without a meter, non-PLN electricity, none."),
    Column("status_kepemilikan", "VARCHAR", allowed=("milik_sendiri", "sewa", "bebas_sewa", "dinas", "lainnya"),
           doc_id="Status kepemilikan bangunan tempat tinggal: milik sendiri, sewa/kontrak, bebas sewa, dinas, lainnya.",
           doc_en="Tenure of the dwelling: owned, rented, rent-free, official housing, other."),
    Column("luas_lantai_per_kapita", "DOUBLE", min=0, max=10000,
           doc_id="Luas lantai rumah per anggota rumah tangga, m².", doc_en="Floor area per household member, m²."),
    Column("pkh", "BOOLEAN", doc_id="Menerima Program Keluarga Harapan (PKH).", doc_en="Receives Program Keluarga Harapan (conditional cash transfer)."),
    Column("bpnt", "BOOLEAN", doc_id="Menerima bantuan Sembako/BPNT.", doc_en="Receives Sembako/BPNT (food assistance)."),
    Column("pbi_jkn", "BOOLEAN", doc_id="Anggota rumah tangga peserta PBI-JKN (iuran jaminan kesehatan dibayar negara).",
           doc_en="Members are PBI-JKN (state-paid health insurance)."),
    Column("pip", "BOOLEAN", doc_id="Ada anggota rumah tangga penerima Program Indonesia Pintar (PIP).",
           doc_en="A member receives Program Indonesia Pintar (education assistance)."),
    Column("blt", "BOOLEAN", doc_id="Menerima BLT Dana Desa.", doc_en="Receives BLT Dana Desa (village-fund cash transfer)."),
)

PERSON_COLUMNS = (
    Column("tahun", "SMALLINT", min=2000, max=2100, doc_id="Tahun acuan data.", doc_en="Reference year."),
    Column("id_art", "BIGINT", min=1,
           doc_id="Nomor anggota rumah tangga (orang), tetap dari tahun ke tahun; satu baris per orang per tahun.",
           doc_en="Person id, stable across years; one row per person and year."),
    Column("id_rt", "BIGINT", min=1,
           doc_id="Rumah tangga orang ini pada tahun itu; harus ada di tabel households pada tahun yang sama.",
           doc_en="The person's household that year; must exist in the households table for the same year."),
    Column("umur", "SMALLINT", min=0, max=120, doc_id="Umur dalam tahun penuh.", doc_en="Age in completed years."),
    Column("jenis_kelamin", "VARCHAR", allowed=("L", "P"), doc_id="L = laki-laki, P = perempuan.", doc_en="L = male, P = female."),
    Column("hubungan", "VARCHAR", allowed=("kepala_rt", "pasangan", "anak", "orang_tua", "lainnya"),
           doc_id="Hubungan dengan kepala rumah tangga: kepala rumah tangga, pasangan, anak, orang tua/mertua, lainnya.",
           doc_en="Relationship to the household head: head, spouse, child, parent/parent-in-law, other."),
    Column("status_kawin", "VARCHAR", allowed=("belum_kawin", "kawin", "cerai_hidup", "cerai_mati"),
           doc_id="Status perkawinan: belum kawin, kawin, cerai hidup, cerai mati.",
           doc_en="Marital status: never married, married, divorced, widowed."),
    Column("pendidikan_tertinggi", "VARCHAR", allowed=("tidak_sekolah", "sd", "smp", "sma", "diploma", "sarjana"),
           doc_id="Jenjang pendidikan tertinggi yang ditamatkan: tidak sekolah, SD, SMP, SMA/SMK, diploma, sarjana.",
           doc_en="Highest level completed: none, primary, lower secondary, upper secondary, diploma, university degree."),
    Column("lama_sekolah", "SMALLINT", min=0, max=25, doc_id="Lama sekolah, tahun.", doc_en="Years of schooling."),
    Column("partisipasi_sekolah", "VARCHAR", allowed=("tidak_pernah", "masih_sekolah", "tidak_sekolah_lagi"),
           doc_id="Partisipasi sekolah: tidak/belum pernah sekolah, masih sekolah, tidak sekolah lagi.",
           doc_en="School participation: never attended, attending, no longer attending."),
    Column("melek_huruf", "BOOLEAN", doc_id="Dapat membaca dan menulis.", doc_en="Can read and write."),
    Column("jkn", "VARCHAR", allowed=("pbi", "non_pbi", "tidak_punya"),
           doc_id="Kepesertaan JKN: PBI (iuran dibayar negara), non-PBI, tidak punya.",
           doc_en="National health insurance (JKN): state-paid (PBI), contributory (non-PBI), none."),
    Column("disabilitas", "BOOLEAN", doc_id="Penyandang disabilitas.", doc_en="Has a disability."),
    Column("status_kerja", "VARCHAR", allowed=("bekerja", "pengangguran", "bukan_angkatan_kerja"),
           doc_id="Status ketenagakerjaan: bekerja, pengangguran (terbuka), bukan angkatan kerja.",
           doc_en="Labour status: employed, (openly) unemployed, not in the labour force."),
    Column("sektor", "VARCHAR", allowed=("pertanian", "industri", "jasa"), nullable=True,
           doc_id="Lapangan usaha utama: pertanian, industri, jasa; hanya untuk yang bekerja, kosong bagi yang lain.",
           doc_en="Main sector: agriculture, industry, services; only for the employed, empty otherwise."),
    Column("formal", "BOOLEAN", nullable=True,
           doc_id="Bekerja di sektor formal; hanya untuk yang bekerja, kosong bagi yang lain.",
           doc_en="Works in the formal sector; only for the employed, empty otherwise."),
)

TABLES = {"households": (HOUSEHOLD_COLUMNS, ("tahun", "id_rt")), "persons": (PERSON_COLUMNS, ("tahun", "id_art"))}
KODE_KECAMATAN_PATTERN = r"^\d{2}\.\d{2}\.\d{2}$"
# A person's (tahun, id_rt) must name an accepted household of the same year (validate.py: tanpa_rumah_tangga).
REFERENCES = {"persons": (("tahun", "id_rt"), "households")}
