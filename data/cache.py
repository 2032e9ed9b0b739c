"""The query cache (flask-caching): in-process by default, Redis when several workers serve.

DTSEN_CACHE_TYPE = SimpleCache (default) | FileSystemCache | RedisCache;
DTSEN_REDIS_URL for Redis. Every cached query takes the release id as an
argument, so a switch of release never serves stale values.
"""
from __future__ import annotations

import os

from flask_caching import Cache

cache = Cache()


def cache_config() -> dict:
    kind = os.environ.get("DTSEN_CACHE_TYPE", "SimpleCache")
    cfg = {"CACHE_TYPE": kind, "CACHE_DEFAULT_TIMEOUT": 3600, "CACHE_THRESHOLD": 2000}
    if kind == "RedisCache":
        cfg["CACHE_REDIS_URL"] = os.environ.get("DTSEN_REDIS_URL", "redis://127.0.0.1:6379/0")
    if kind == "FileSystemCache":
        cfg["CACHE_DIR"] = os.environ.get("DTSEN_CACHE_DIR", "/tmp/dtsen-cache")
    return cfg
