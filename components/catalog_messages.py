"""A pybabel extractor for the indicator catalogue (babel.cfg: `[katalog: data/katalog_indikator.toml]`):
its texts in Bahasa Indonesia become messages of the one catalogue, so the English of a definition,
a unit, a formula or a source is kept, and checked, where every other string's is. Names are not
extracted: the catalogue carries them in both languages (nama_id, nama_en)."""
from __future__ import annotations

import re
import tomllib

FIELDS = ("definisi", "satuan", "rumus", "sumber")


def extract(fileobj, keywords, comment_tags, options):
    """Babel's extractor interface: (line, function, message, comments) per text."""
    text = fileobj.read().decode("utf-8")
    entries = tomllib.loads(text).get("indikator", [])
    lines = text.splitlines()
    for entry in entries:
        for name in FIELDS:
            value = entry.get(name)
            if not value:
                continue
            pattern = re.compile(rf'^{name}\s*=\s*"{re.escape(value)}"')
            line = next((n for n, row in enumerate(lines, 1) if pattern.match(row)), 0)
            yield line, "_", value, [f"{entry['id']}.{name}"]
