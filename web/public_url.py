"""The site's public address, for whatever names it in full: citations, canonical links, README.txt
and CITATION.cff of a release.

It is configured (`DTSEN_PUBLIC_URL`, e.g. https://data.example.go.id), never read from a request:
the Host header is whatever the asker wrote, and a citation or a cached file built from it would
carry that name to every later reader.
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit

ENV = "DTSEN_PUBLIC_URL"
DEFAULT = "http://127.0.0.1:8050"  # where scripts/serve.sh serves; set DTSEN_PUBLIC_URL on a public server


def site_root() -> str:
    """The configured public base URL without a trailing slash (DEFAULT when unset)."""
    value = os.environ.get(ENV, "").strip() or DEFAULT
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{ENV} must be an http(s) address without query or fragment, e.g. https://data.example.go.id (got {value!r})")
    return value.rstrip("/")
