"""The extract schema as files a data officer reads: a Frictionless Data Package and a page.

Both are generated from pipeline/schema.py (`python -m pipeline write-schema`) into
docs/skema_ekstrak/ and checked in; tests/test_extract.py regenerates them and fails
when the checked-in copies differ, so the published schema cannot drift from the one
validation applies.
"""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.schema import KODE_KECAMATAN_PATTERN, REFERENCES, TABLES, Column

FOLDER = Path(__file__).resolve().parent.parent / "docs" / "skema_ekstrak"
DESCRIPTOR_NAME = "datapackage.json"
PAGE_NAME = "README.md"

FIELD_TYPE = {"SMALLINT": "integer", "BIGINT": "integer", "DOUBLE": "number", "VARCHAR": "string", "BOOLEAN": "boolean"}
# The words a CSV may use for a boolean. Validation (DuckDB's cast) accepts these and a few more
# (t/f, yes/no, y/n); the schema names the plain ones (a test checks each reads as it says).
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]

TABLE_DOC = {
    "households": ("Rumah tangga: satu baris per rumah tangga per tahun.", "Households: one row per household and year."),
    "persons": ("Anggota rumah tangga: satu baris per orang per tahun.", "Persons: one row per person and year."),
}

# validate.py's reasons, in words (the quarantine file's `alasan` column carries the code).
REASONS = [
    ("kosong:<kolom>", "kolom wajib kosong", "a required column is empty"),
    ("tipe_salah:<kolom>", "nilai tidak terbaca sebagai tipe kolomnya (mis. teks di kolom angka, koma desimal)",
     "the value does not read as the column's type (e.g. text in a number column, a decimal comma)"),
    ("nilai_tidak_dikenal:<kolom>", "nilai di luar daftar nilai yang boleh", "the value is not one of the allowed values"),
    ("di_luar_rentang:<kolom>", "nilai di bawah minimum atau di atas maksimum", "the value is below the minimum or above the maximum"),
    ("kode_salah_format", "kode_kecamatan tidak berbentuk 11.01.01", "kode_kecamatan is not shaped like 11.01.01"),
    ("kode_tidak_dikenal", "kode_kecamatan tidak ada di registri wilayah (atau di luar provinsi yang dipilih dengan --provinces)",
     "kode_kecamatan is not in the region registry (or outside the provinces chosen with --provinces)"),
    ("id_ganda", "kunci (tahun, id) sudah ada di baris sebelumnya; baris pertama dipakai", "the key (tahun, id) repeats an earlier row; the first is kept"),
    ("rumah_tangga_dikarantina", "orang yang baris rumah tangganya dikarantina", "a person whose household row was quarantined"),
    ("tanpa_rumah_tangga", "orang yang rumah tangganya tidak ada pada tahun itu", "a person whose household does not exist that year"),
]


def field(c: Column) -> dict:
    """One Table Schema field: type, constraints and its meaning in both languages."""
    constraints: dict = {"required": not c.nullable}
    if c.allowed:
        constraints["enum"] = list(c.allowed)
    if c.min is not None:
        constraints["minimum"] = _number(c.min)
    if c.max is not None:
        constraints["maximum"] = _number(c.max)
    if c.name == "kode_kecamatan":
        constraints["pattern"] = KODE_KECAMATAN_PATTERN.strip("^$")  # Table Schema patterns are anchored already
    out = {"name": c.name, "type": FIELD_TYPE[c.sql_type], "description": f"{c.doc_id} — EN: {c.doc_en}", "constraints": constraints}
    if c.sql_type == "BOOLEAN":
        out.update(trueValues=TRUE_VALUES, falseValues=FALSE_VALUES)
    return out


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def resource(name: str) -> dict:
    columns, key = TABLES[name]
    schema = {"fields": [field(c) for c in columns], "primaryKey": list(key), "missingValues": [""]}
    if name in REFERENCES:
        fields, target = REFERENCES[name]
        schema["foreignKeys"] = [{"fields": list(fields), "reference": {"resource": target, "fields": list(fields)}}]
    doc_id, doc_en = TABLE_DOC[name]
    return {"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "dialect": {"delimiter": ",", "header": True},
            "description": f"{doc_id} Boleh juga {name}.parquet dengan kolom yang sama. — EN: {doc_en} "
                           f"{name}.parquet with the same columns is accepted too.",
            "schema": schema}


def datapackage() -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "dtsen-ekstrak",
        "title": "Ekstrak register DTSEN untuk Portal Data DTSEN Terbuka — DTSEN register extract for the open-data portal",
        "description": ("Skema masukan `python -m pipeline build --input FOLDER`: dua tabel, rumah tangga dan anggota rumah tangga. "
                        "Baris yang melanggar skema dikarantina dengan alasannya; berkas yang tidak terbaca atau kolom wajib yang "
                        "tidak ada menghentikan build. Dibuat dari pipeline/schema.py. — EN: The input schema of "
                        "`python -m pipeline build --input FOLDER`: two tables, households and persons. Rows that break it are "
                        "quarantined with their reason; an unreadable file or a missing required column stops the build. "
                        "Generated from pipeline/schema.py."),
        "resources": [resource(name) for name in TABLES],
    }


def _allowed(c: Column) -> str:
    if c.allowed:
        return ", ".join(f"`{a}`" for a in c.allowed)
    if c.min is not None or c.max is not None:
        lo = "" if c.min is None else _shown(c.min)
        hi = "" if c.max is None else _shown(c.max)
        return f"{lo} … {hi}" if lo and hi else (f"≥ {lo}" if lo else f"≤ {hi}")
    if c.name == "kode_kecamatan":
        return "`NN.NN.NN`"
    if c.sql_type == "BOOLEAN":
        return "`true` / `false`"
    return ""


def _shown(v: float) -> str:
    """Indonesian digit grouping for big numbers (1.000.000), none for a year (2000)."""
    return f"{_number(v):,}".replace(",", ".") if abs(v) >= 10_000 else str(_number(v))


def page() -> str:
    """The page for the data officer, in Bahasa Indonesia with English."""
    lines = [
        "# Skema ekstrak DTSEN — DTSEN extract schema",
        "",
        "<!-- Dibuat oleh `python -m pipeline write-schema` dari pipeline/schema.py; jangan disunting tangan. -->",
        "<!-- Generated by `python -m pipeline write-schema` from pipeline/schema.py; do not edit by hand. -->",
        "",
        "Ekstrak register DTSEN masuk ke portal lewat perintah yang sama dengan data sintetis:",
        "*A DTSEN register extract goes through the same build as the synthetic data:*",
        "",
        "```bash",
        "python -m pipeline build --input FOLDER_EKSTRAK --data-nyata --out data/releases",
        "```",
        "",
        "## Berkas — Files",
        "",
        "- `households.csv` atau `households.parquet`, dan `persons.csv` atau `persons.parquet` (satu format per tabel).",
        "  *One of each; not both formats of a table.*",
        "- CSV: UTF-8, baris pertama nama kolom, pemisah koma, **titik desimal** (`1250.5`, bukan `1250,5`), sel kosong = tidak ada nilai,",
        "  boolean `true`/`false` (juga `1`/`0`). *CSV: UTF-8, a header row, comma-separated, a decimal point, an empty cell is missing,*",
        "  *booleans `true`/`false` (or `1`/`0`).*",
        "- Kolom tambahan diabaikan; urutan kolom bebas. *Extra columns are ignored; column order is free.*",
        "- `ekstrak.json` (pilihan): `{\"sintetis\": true}` menandai ekstrak sintetis; rilisnya berlabel DATA SINTETIS. Ekstrak tanpa",
        "  penanda itu dibangun hanya dengan `--data-nyata` (data register sungguhan) atau `--sintetis`.",
        "  *Optional `ekstrak.json`: `{\"sintetis\": true}` marks a synthetic extract, and its release is labelled synthetic. Without it the*",
        "  *build needs `--data-nyata` (real register data) or `--sintetis`.*",
        "- Tahun diambil dari kolom `tahun`, provinsi dari dua angka pertama `kode_kecamatan`; garis kemiskinan tiap provinsi dan tahun",
        "  dari data rujukan BPS (tahun tanpa garis kemiskinan rujukan menghentikan build).",
        "  *Years come from `tahun`, provinces from the first two digits of `kode_kecamatan`; poverty lines from the BPS reference data.*",
        "",
        f"Skema mesin (Frictionless Data Package): [`{DESCRIPTOR_NAME}`]({DESCRIPTOR_NAME}). Pemeriksaan awal ekstrak CSV (pilihan):",
        f"salin `{DESCRIPTOR_NAME}` ke folder ekstrak lalu jalankan `frictionless validate {DESCRIPTOR_NAME}` (alat Frictionless, bukan",
        "bagian portal). *Machine schema: a Frictionless Data Package. Optional pre-check of a CSV extract: copy it into the extract*",
        f"*folder and run `frictionless validate {DESCRIPTOR_NAME}`.*",
        "",
    ]
    for name, (columns, key) in TABLES.items():
        doc_id, doc_en = TABLE_DOC[name]
        lines += [f"## `{name}` — {doc_id}", "", f"*{doc_en}* Kunci — key: ({', '.join(key)}).", ""]
        if name in REFERENCES:
            fields, target = REFERENCES[name]
            lines += [f"({', '.join(fields)}) harus ada di `{target}`. *Must exist in `{target}`.*", ""]
        lines += ["| kolom | tipe | wajib | nilai yang boleh | arti | meaning |", "|---|---|---|---|---|---|"]
        for c in columns:
            lines.append(f"| `{c.name}` | {FIELD_TYPE[c.sql_type]} | {'tidak' if c.nullable else 'ya'} | {_allowed(c)} | {c.doc_id} | {c.doc_en} |")
        lines.append("")
    lines += [
        "## Baris yang salah — Bad rows",
        "",
        "Setiap baris diterima atau dikarantina dengan alasan pertama yang dilanggarnya (diterima + dikarantina = dibaca). Berkas",
        "karantina (`karantina_households.parquet`, `karantina_persons.parquet`: nomor baris, alasan, nilai aslinya) tetap di folder",
        "kerja zona aman (`--work`); yang masuk rilis hanya jumlahnya, di `laporan_build.json`.",
        "*Every row is accepted or quarantined with the first reason it fails. The quarantine files stay in the secure work folder;*",
        "*only their counts reach the release.*",
        "",
        "| alasan | arti | meaning |",
        "|---|---|---|",
        *[f"| `{code}` | {i} | {e} |" for code, i, e in REASONS],
        "",
        "Berkas yang hilang, ganda (CSV dan parquet), tidak terbaca (termasuk baris CSV yang jumlah kolomnya tidak cocok dengan",
        "kepalanya), atau tanpa kolom wajib menghentikan build dengan satu baris alasan, dan `current` tidak berubah.",
        "*A missing, doubled or unreadable file (including a CSV line whose field count does not match the header) or a missing*",
        "*required column stops the build with a one-line reason; `current` does not move.*",
        "",
    ]
    return "\n".join(lines)


def descriptor_text() -> str:
    return json.dumps(datapackage(), indent=2, ensure_ascii=False) + "\n"


def write(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / DESCRIPTOR_NAME, folder / PAGE_NAME]
    paths[0].write_text(descriptor_text(), encoding="utf-8")
    paths[1].write_text(page(), encoding="utf-8")
    return paths
