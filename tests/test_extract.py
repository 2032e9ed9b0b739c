"""A register extract in through the same door (issue 19): the published schema, `build --input`,
the extract's identity in the manifest, refusals of a malformed extract, quarantine of bad rows."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.__main__ import main
from pipeline.extract import ExtractError, declared_synthetic, open_extract
from pipeline.release import LICENCE_REGISTER
from pipeline.schema import TABLES
from pipeline.schema_doc import DESCRIPTOR_NAME, FALSE_VALUES, FOLDER, PAGE_NAME, TRUE_VALUES, descriptor_text, page

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "data" / "ekstrak_contoh"
TYPES = {"SMALLINT": "integer", "BIGINT": "integer", "DOUBLE": "number", "VARCHAR": "string", "BOOLEAN": "boolean"}


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True)


def build_from(folder: Path, out: Path, work: Path, *extra: str) -> subprocess.CompletedProcess:
    # Primary rules only: complementary suppression is the same code on any input and takes minutes here.
    return cli("build", "--input", str(folder), "--out", str(out), "--work", str(work), "--protection", "primer", *extra)


def data_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[1:]


# --- the published schema -------------------------------------------------------------------

def test_the_published_schema_is_generated_from_schema_py():
    assert (FOLDER / DESCRIPTOR_NAME).read_text(encoding="utf-8") == descriptor_text(), "run: python -m pipeline write-schema"
    assert (FOLDER / PAGE_NAME).read_text(encoding="utf-8") == page(), "run: python -m pipeline write-schema"


def test_every_column_is_published_with_its_type_values_range_and_meaning():
    package = json.loads((FOLDER / DESCRIPTOR_NAME).read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == set(TABLES)
    text = page()
    for name, (columns, key) in TABLES.items():
        schema = resources[name]["schema"]
        fields = {f["name"]: f for f in schema["fields"]}
        assert list(fields) == [c.name for c in columns]
        assert schema["primaryKey"] == list(key)
        for c in columns:
            f, rules = fields[c.name], fields[c.name]["constraints"]
            assert f["type"] == TYPES[c.sql_type], c.name
            assert rules["required"] is (not c.nullable), c.name
            assert rules.get("enum") == (list(c.allowed) if c.allowed else None), c.name
            assert rules.get("minimum") == c.min and rules.get("maximum") == c.max, c.name
            assert c.doc_id and c.doc_en and c.doc_id != c.doc_en, f"{c.name}: a meaning in Bahasa Indonesia and in English"
            assert c.doc_id in f["description"] and c.doc_en in f["description"]
            assert f"| `{c.name}` |" in text
    assert resources["persons"]["schema"]["foreignKeys"] == [
        {"fields": ["tahun", "id_rt"], "reference": {"resource": "households", "fields": ["tahun", "id_rt"]}}]


def test_the_published_boolean_words_read_as_they_say():
    con = duckdb.connect()
    for word in TRUE_VALUES:
        assert con.execute("SELECT TRY_CAST(? AS BOOLEAN)", [word]).fetchone()[0] is True, word
    for word in FALSE_VALUES:
        assert con.execute("SELECT TRY_CAST(? AS BOOLEAN)", [word]).fetchone()[0] is False, word


# --- the example extract, built through --input -----------------------------------------------

@pytest.fixture(scope="module")
def example_release(tmp_path_factory):
    out, work = tmp_path_factory.mktemp("rilis"), tmp_path_factory.mktemp("kerja")
    res = build_from(EXAMPLE, out, work)
    assert res.returncode == 0, res.stderr[-3000:]
    return (out / "current").resolve()


def test_the_example_extract_is_small_and_says_it_is_synthetic():
    assert json.loads((EXAMPLE / "ekstrak.json").read_text(encoding="utf-8"))["sintetis"] is True
    assert sum(p.stat().st_size for p in EXAMPLE.iterdir()) < 500_000
    assert 200 <= len(data_lines(EXAMPLE / "households.csv")) <= 1000


def test_a_release_from_the_example_extract_names_its_files_not_a_seed(example_release):
    manifest = json.loads((example_release / "manifest.json").read_text(encoding="utf-8"))
    assert example_release.name.startswith("ekstrak-")
    assert manifest["sintetis"] is True  # the extract's descriptor says so: every page shows DATA SINTETIS
    given = manifest["masukan"]
    assert given["jenis"] == "ekstrak" and "seed" not in given and given["skala"] == 1
    assert given["tahun"] == [2024, 2025] and given["provinsi"] == ["75"]
    assert [f["nama"] for f in given["berkas"]] == ["households.csv", "persons.csv"]
    for f in given["berkas"]:
        path = EXAMPLE / f["nama"]
        assert f["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert f["byte"] == path.stat().st_size and f["baris"] == len(data_lines(path))
    report = json.loads((example_release / "laporan_build.json").read_text(encoding="utf-8"))
    for table, f in zip(("households", "persons"), given["berkas"]):
        assert report["validasi"][table] == {"read": f["baris"], "accepted": f["baris"], "quarantined": 0, "reasons": {}}
    assert report["kalibrasi"] == [] and report["kesalahan_disuntikkan"] == {}
    assert cli("verify", str(example_release)).returncode == 0


def test_each_record_of_an_extract_counts_as_one(example_release):
    """Scale 1: the published population of a year is that year's person rows, not a weighted estimate."""
    cells = pd.read_parquet(example_release / "indicators.parquet")
    persons = pd.read_csv(EXAMPLE / "persons.csv", usecols=["tahun"])
    total = cells[(cells.indicator_id == "jumlah_penduduk") & (cells.kode_wilayah == "00") & (cells.dimensi == "total")]
    assert dict(zip(total.tahun, total.nilai)) == persons.tahun.value_counts().to_dict()


def test_bad_rows_of_a_real_extract_go_to_quarantine_with_their_reason(tmp_path):
    """A copy with rows made bad on purpose, declared real with --data-nyata: the build goes on, the
    bad rows (and only they) are quarantined with their reason, and the release is not marked synthetic."""
    folder = tmp_path / "ekstrak"
    shutil.copytree(EXAMPLE, folder)
    (folder / "ekstrak.json").unlink()
    hh = data_lines(EXAMPLE / "households.csv")
    first = hh[0].split(",")  # a good 2024 household, id_rt first[1]
    bad_hh = [
        ",".join(["2025", "900001", first[2], "mungkin", *first[4:]]),  # perkotaan is neither true nor false
        ",".join(["2025", "900002", "99.99.99", *first[3:]]),  # a kecamatan no registry knows (province 99 adds none)
        ",".join(["20x5", "900003", *first[2:]]),  # a year that is not a number (adds no year)
    ]
    person = data_lines(EXAMPLE / "persons.csv")[0].split(",")
    bad_p = [
        ",".join([person[0], "900001", person[2], "250", *person[4:]]),  # umur 250
        ",".join(["2025", "900002", "900001", *person[3:]]),  # a member of the household quarantined above
    ]
    with (folder / "households.csv").open("a", encoding="utf-8") as f:
        f.write("\n".join(bad_hh) + "\n")
    with (folder / "persons.csv").open("a", encoding="utf-8") as f:
        f.write("\n".join(bad_p) + "\n")

    res = build_from(folder, tmp_path / "rilis", tmp_path / "kerja", "--data-nyata")
    assert res.returncode == 0, res.stderr[-3000:]
    rel = (tmp_path / "rilis" / "current").resolve()
    report = json.loads((rel / "laporan_build.json").read_text(encoding="utf-8"))["validasi"]
    assert report["households"]["reasons"] == {"tipe_salah:perkotaan": 1, "kode_tidak_dikenal": 1, "tipe_salah:tahun": 1}
    assert report["persons"]["reasons"] == {"di_luar_rentang:umur": 1, "rumah_tangga_dikarantina": 1}
    assert report["households"]["read"] == len(hh) + 3 and report["households"]["accepted"] == len(hh)
    quarantine = pd.read_parquet(tmp_path / "kerja" / rel.name / "karantina_households.parquet")
    assert quarantine["id_rt"].tolist() == ["900001", "900002", "900003"]  # the raw values, as they came
    assert quarantine["_baris"].tolist() == [len(hh) + 1, len(hh) + 2, len(hh) + 3]

    manifest = json.loads((rel / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["sintetis"] is False and manifest["lisensi"] == LICENCE_REGISTER
    assert manifest["masukan"]["tahun"] == [2024, 2025] and manifest["masukan"]["provinsi"] == ["75"]
    assert manifest["masukan"]["berkas"][0]["baris"] == len(hh) + 3
    assert manifest["masukan"]["berkas"][0]["sha256"] == hashlib.sha256((folder / "households.csv").read_bytes()).hexdigest()


# --- a malformed extract: one line, exit 1, nothing written -----------------------------------

def _drop_column(folder: Path) -> None:
    df = pd.read_csv(folder / "persons.csv", dtype=str, keep_default_na=False)
    df.drop(columns=["umur"]).to_csv(folder / "persons.csv", index=False)


def _broken_line(folder: Path) -> None:
    with (folder / "households.csv").open("a", encoding="utf-8") as f:
        f.write("2025,77,75.01.01,True\n")  # 4 fields of 20: an unquoted comma, a cut-off export


def _both_formats(folder: Path) -> None:
    pd.read_csv(folder / "households.csv").to_parquet(folder / "households.parquet", index=False)


def _year_without_poverty_line(folder: Path) -> None:
    text = (folder / "households.csv").read_text(encoding="utf-8")
    (folder / "households.csv").write_text(text.replace("\n2025,", "\n2031,"), encoding="utf-8")


def _not_parquet(folder: Path) -> None:
    (folder / "persons.csv").unlink()
    (folder / "persons.parquet").write_bytes(b"PAR1 bukan parquet")


@pytest.mark.parametrize("damage,said", [
    (_drop_column, "persons.csv: kolom wajib tidak ada: umur"),
    (_broken_line, "households.csv: tidak terbaca sebagai csv"),
    (_both_formats, "households.parquet dan households.csv keduanya ada"),
    (lambda folder: (folder / "persons.csv").unlink(), "persons.parquet atau persons.csv tidak ada"),
    (_year_without_poverty_line, "tahun tanpa garis kemiskinan di data rujukan: 2031"),
    (_not_parquet, "persons.parquet: tidak terbaca sebagai parquet"),
    (lambda folder: (folder / "ekstrak.json").unlink(), "--data-nyata"),
])
def test_a_malformed_extract_is_refused_with_its_reason(tmp_path, capsys, damage, said):
    folder = tmp_path / "ekstrak"
    shutil.copytree(EXAMPLE, folder)
    damage(folder)
    out = tmp_path / "rilis"
    assert main(["build", "--input", str(folder), "--out", str(out), "--work", str(tmp_path / "kerja")]) == 1
    err = capsys.readouterr().err.strip()
    assert said in err and err.startswith("[build] GAGAL: ") and "\n" not in err, err
    assert not out.exists()


def test_a_broken_csv_line_is_named_by_its_number(tmp_path, capsys):
    folder = tmp_path / "ekstrak"
    shutil.copytree(EXAMPLE, folder)
    _broken_line(folder)
    assert main(["build", "--input", str(folder), "--out", str(tmp_path / "r")]) == 1
    line = len((folder / "households.csv").read_text(encoding="utf-8").splitlines())
    assert f"Line: {line}" in capsys.readouterr().err


@pytest.mark.parametrize("args,said", [
    (["--input", str(EXAMPLE), "--seed", "3"], "--seed"),
    (["--input", str(EXAMPLE), "--scale", "0.1", "--corrupt", "0.05"], "--scale, --corrupt"),
    (["--data-nyata"], "--input"),
    (["--input", str(EXAMPLE), "--data-nyata", "--sintetis"], "not allowed with"),
])
def test_options_that_make_no_sense_with_an_extract_are_refused(capsys, args, said):
    with pytest.raises(SystemExit) as stop:
        main(["build", *args])
    assert stop.value.code == 2 and said in capsys.readouterr().err


# --- synthetic or real ---------------------------------------------------------------------------

@pytest.mark.parametrize("descriptor,flag,synthetic", [
    ({"sintetis": True}, None, True),
    ({"sintetis": True}, "sintetis", True),
    ({"sintetis": True}, "nyata", "refused"),
    ({"sintetis": False}, None, "refused"),  # only the publisher's --data-nyata makes a release real
    ({"sintetis": False}, "nyata", False),
    ({"sintetis": False}, "sintetis", True),
    (None, None, "refused"),
    (None, "nyata", False),
    (None, "sintetis", True),
    ({"sintetis": "ya"}, "nyata", "refused"),
])
def test_synthetic_unless_the_publisher_says_real(tmp_path, descriptor, flag, synthetic):
    if descriptor is not None:
        (tmp_path / "ekstrak.json").write_text(json.dumps(descriptor), encoding="utf-8")
    if synthetic == "refused":
        with pytest.raises(ExtractError):
            declared_synthetic(tmp_path, flag)
    else:
        assert declared_synthetic(tmp_path, flag) is synthetic


def test_years_and_provinces_come_from_valid_rows_only(tmp_path):
    folder = tmp_path / "ekstrak"
    shutil.copytree(EXAMPLE, folder)
    first = data_lines(EXAMPLE / "households.csv")[0].split(",")
    with (folder / "households.csv").open("a", encoding="utf-8") as f:
        f.write(",".join(["2099", "900001", "12.01.01", *first[3:]]) + "\n")  # a valid year with no line: must refuse
    with pytest.raises(ExtractError, match="2099 \\(1 rumah tangga\\)"):
        open_extract(folder, {"75", "12"}, {2023, 2024, 2025})
    extract = open_extract(folder, {"75", "12"}, {2023, 2024, 2025, 2099})
    assert extract.years == (2024, 2025, 2099) and extract.provinces == ("12", "75")
    assert open_extract(folder, {"75"}, {2023, 2024, 2025, 2099}).provinces == ("75",)  # 12 unknown: left to quarantine


def test_an_extract_changed_during_the_build_is_refused(tmp_path):
    folder = tmp_path / "ekstrak"
    shutil.copytree(EXAMPLE, folder)
    extract = open_extract(folder, {"75"}, {2024, 2025})
    extract.check_unchanged()
    with (folder / "persons.csv").open("a", encoding="utf-8") as f:
        f.write(data_lines(EXAMPLE / "persons.csv")[0] + "\n")
    with pytest.raises(ExtractError, match="persons.csv berubah"):
        extract.check_unchanged()


def test_a_parquet_extract_opens_like_a_csv_one(tmp_path):
    for table in ("households", "persons"):
        pd.read_csv(EXAMPLE / f"{table}.csv").to_parquet(tmp_path / f"{table}.parquet", index=False)
    extract = open_extract(tmp_path, {"75"}, {2024, 2025}, "sintetis")
    csv = open_extract(EXAMPLE, {"75"}, {2024, 2025})
    assert [f["nama"] for f in extract.identity(("75",))["berkas"]] == ["households.parquet", "persons.parquet"]
    assert [f.rows for f in extract.files.values()] == [f.rows for f in csv.files.values()]
    assert (extract.years, extract.provinces) == (csv.years, csv.provinces)
