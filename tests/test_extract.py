"""A register extract in through the same door (issue 19): the published schema."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb

from pipeline.schema import TABLES
from pipeline.schema_doc import DESCRIPTOR_NAME, FALSE_VALUES, FOLDER, PAGE_NAME, TRUE_VALUES, descriptor_text, page

TYPES = {"SMALLINT": "integer", "BIGINT": "integer", "DOUBLE": "number", "VARCHAR": "string", "BOOLEAN": "boolean"}


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
