"""Served pages name no software versions (Python, Dash, plotly): a version banner tells a scanner
which published flaws to try first.

Dash writes its own, plotly's and Python's versions into every page's config, names each bundle by
Dash's version (dash_renderer.v4_4_1m1796136955.min.js) and links its favicon with ?v=<version>.
Here the config loses them and each bundle URL names a hash of its content instead, in the slot
Dash's server reads as a fingerprint (so bundles keep their year-long caching). What is left (the
bundles' own text, React's version in its file name) is listed in docs/DEVELOPING.md.
"""
from __future__ import annotations

import functools
import hashlib
import pkgutil
import re

from dash.fingerprint import check_fingerprint

VERSION_KEYS = ("dash_version", "python_version", "dash_version_url", "ddk_version", "plotly_version")
SUITES = "/_dash-component-suites/"
FAVICON_VERSION = re.compile(r"(/_favicon\.ico)\?v=[^\"']*")


def without_versions(config: dict) -> dict:
    """Dash's page config without the versions (the renderer reads none of them unless dev tools are on)."""
    return {k: v for k, v in config.items() if k not in VERSION_KEYS}


@functools.lru_cache(maxsize=64)
def content_fingerprint(url: str) -> str:
    """A bundle URL with its content's hash where Dash put its version and the file's time:
    /_dash-component-suites/dash/deps/react@18.v4_4_1m1796136955.3.1.min.js
    → /_dash-component-suites/dash/deps/react@18.v0m<sha256 of the file, 16 hex>.3.1.min.js
    Dash's server strips any v…m<hex> fingerprint and serves the file as before."""
    if not url.startswith(SUITES):
        return url
    package, _, fingerprinted = url[len(SUITES):].partition("/")
    path, has_fingerprint = check_fingerprint(fingerprinted)
    data = pkgutil.get_data(package, path) if has_fingerprint else None
    if data is None:
        return url
    folder, _, name = fingerprinted.rpartition("/")
    parts = name.split(".")
    parts[1] = "v0m" + hashlib.sha256(data).hexdigest()[:16]
    return f"{SUITES}{package}/{folder + '/' if folder else ''}{'.'.join(parts)}"


def unversioned_favicon(link: str) -> str:
    """Dash's favicon link without its ?v=<Dash version>."""
    return FAVICON_VERSION.sub(r"\1", link)
