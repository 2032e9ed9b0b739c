"""pybabel extractors for the TOML files the site shows words from (babel.cfg): the indicator
catalogue (`[katalog: data/katalog_indikator.toml]`) and the release calendar (`[jadwal: …]`). Their
texts in Bahasa Indonesia become messages of the one catalogue, so the English of a definition, a
unit, a formula, a source or a planned release is kept, and checked, where every other string's is.
Indicator names are not extracted: the catalogue carries them in both languages (nama_id, nama_en)."""
from __future__ import annotations

import re
import tomllib

FIELDS = ("definisi", "satuan", "rumus", "sumber")
SCHEDULE_FIELDS = ("judul", "keterangan")


def extract(fileobj, keywords, comment_tags, options):
    """Babel's extractor interface: (line, function, message, comments) per text."""
    yield from _texts(fileobj, "indikator", FIELDS, "id")


def extract_schedule(fileobj, keywords, comment_tags, options):
    yield from _texts(fileobj, "rilis", SCHEDULE_FIELDS, "tanggal")


def _texts(fileobj, table: str, fields: tuple[str, ...], key: str):
    text = fileobj.read().decode("utf-8")
    entries = tomllib.loads(text).get(table, [])
    lines = text.splitlines()
    for entry in entries:
        for name in fields:
            value = entry.get(name)
            if not value:
                continue
            pattern = re.compile(rf'^{name}\s*=\s*"{re.escape(value)}"')
            line = next((n for n, row in enumerate(lines, 1) if pattern.match(row)), 0)
            yield line, "_", value, [f"{entry[key]}.{name}"]
