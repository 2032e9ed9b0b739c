"""The query cache (flask-caching): in-process by default, Redis when several workers serve.

DTSEN_CACHE_TYPE = SimpleCache (default) | FileSystemCache | RedisCache;
DTSEN_REDIS_URL for Redis. Every cached query takes the release id as an
argument, so a switch of release never serves stale values.

RedisCache means FailSoftRedisCache below: Redis while it answers; while it is down or hung,
each process serves from its own memory and says so once a minute (data/failsoft.py).
"""
from __future__ import annotations

import os

from flask_caching import Cache
from flask_caching.backends.base import BaseCache
from flask_caching.backends.rediscache import RedisCache
from flask_caching.backends.simplecache import SimpleCache

from data.failsoft import REDIS_ERRORS, Breaker, note_redis_back, redis_client, warn_redis

cache = Cache()
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def shared_redis_url() -> str | None:
    """The Redis the workers share (DTSEN_CACHE_TYPE=RedisCache), else None. The usage counts follow the same switch."""
    if os.environ.get("DTSEN_CACHE_TYPE", "SimpleCache") != "RedisCache":
        return None
    return os.environ.get("DTSEN_REDIS_URL", DEFAULT_REDIS_URL)


def cache_config() -> dict:
    kind = os.environ.get("DTSEN_CACHE_TYPE", "SimpleCache")
    cfg = {"CACHE_TYPE": kind, "CACHE_DEFAULT_TIMEOUT": 3600, "CACHE_THRESHOLD": 2000}
    if kind == "RedisCache":
        cfg.update(CACHE_TYPE=f"{__name__}.FailSoftRedisCache", CACHE_REDIS_URL=shared_redis_url(), CACHE_KEY_PREFIX="dtsen:cache:")
    if kind == "FileSystemCache":
        cfg["CACHE_DIR"] = os.environ.get("DTSEN_CACHE_DIR", "/tmp/dtsen-cache")
    return cfg


class FailSoftRedisCache(BaseCache):
    """Every cache operation goes to `shared` (Redis) while the breaker lets it; when Redis fails or
    times out, the breaker opens and operations go to `local` (this process's memory) until a probe
    finds Redis answering again. A cached value is a function of its arguments and the release id,
    so either copy is right; a miss only costs recomputing it."""

    def __init__(self, shared: BaseCache, local: BaseCache, breaker: Breaker | None = None, default_timeout: int = 300):
        super().__init__(default_timeout=default_timeout)
        self.shared, self.local = shared, local
        self.breaker = breaker or Breaker()

    @classmethod
    def factory(cls, app, config, args, kwargs):
        timeout = kwargs.get("default_timeout", 300)
        shared = RedisCache(host=redis_client(config["CACHE_REDIS_URL"]), default_timeout=timeout,
                            key_prefix=config.get("CACHE_KEY_PREFIX"))
        local = SimpleCache(threshold=config.get("CACHE_THRESHOLD", 500), default_timeout=timeout)
        return cls(shared, local, default_timeout=timeout)

    def _call(self, op: str, *args, **kwargs):
        if self.breaker.allow():
            try:
                result = getattr(self.shared, op)(*args, **kwargs)
            except REDIS_ERRORS as exc:
                self.breaker.failed()
                warn_redis("Redis unavailable (%s: %s): the cache serves from this process's memory and tries Redis again every %.0f s",
                           type(exc).__name__, exc, self.breaker.cooldown)
            except BaseException:
                self.breaker.succeeded()  # Redis answered; the error is the caller's and is raised as before
                raise
            else:
                if self.breaker.succeeded():
                    note_redis_back("Redis answers again: the cache is shared once more")
                return result
        return getattr(self.local, op)(*args, **kwargs)

    # flask-caching's memoize and cached use these (get_dict goes through get_many).
    def get(self, key):
        return self._call("get", key)

    def get_many(self, *keys):
        return self._call("get_many", *keys)

    def set(self, key, value, timeout=None):
        return self._call("set", key, value, timeout)

    def add(self, key, value, timeout=None):
        return self._call("add", key, value, timeout)

    def set_many(self, mapping, timeout=None):
        return self._call("set_many", mapping, timeout)

    def delete(self, key):
        return self._call("delete", key)

    def delete_many(self, *keys):
        return self._call("delete_many", *keys)

    def has(self, key):
        return self._call("has", key)

    def inc(self, key, delta=1):
        return self._call("inc", key, delta)

    def dec(self, key, delta=1):
        return self._call("dec", key, delta)

    def clear(self):
        self.local.clear()
        return self._call("clear")
