"""Failing soft (data/failsoft.py, data/cache.py) without a server: the breaker, the rate-limited
warning and the fail-soft cache over a fake Redis, on a fake clock."""
from __future__ import annotations

import logging

import pytest
import redis
from flask_caching.backends.simplecache import SimpleCache

from data import cache as cache_module
from data.cache import FailSoftRedisCache, cache_config, shared_redis_url
from data.failsoft import SOCKET_TIMEOUT_S, Breaker, RateLimitedLog, redis_client


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class FakeRedisCache(SimpleCache):
    """A SimpleCache that raises what redis-py raises while `down`, and counts the calls that reach it."""

    def __init__(self):
        super().__init__()
        self.down, self.calls = False, 0

    def _reach(self):
        self.calls += 1
        if self.down:
            raise redis.TimeoutError("Timeout reading from socket")

    def get(self, key):
        self._reach()
        return super().get(key)

    def set(self, key, value, timeout=None):
        self._reach()
        return super().set(key, value, timeout)


def test_breaker_opens_on_failure_and_lets_one_probe_through_after_the_cooldown():
    clock = Clock()
    b = Breaker(cooldown=5, clock=clock)
    assert b.allow() and b.allow()  # closed: everyone goes through
    b.failed()
    assert not b.allow()
    clock.now += 4.9
    assert not b.allow()
    clock.now += 0.2
    assert b.allow()              # the probe
    assert not b.allow()          # while it is out, the others still skip
    b.failed()                    # it failed: another cooldown
    assert not b.allow()
    clock.now += 5.1
    assert b.allow()
    assert b.succeeded() is True  # it answered: closed again, and this closed it
    assert b.allow() and b.allow()
    assert b.succeeded() is False


def test_warning_at_most_once_per_interval_then_says_how_many_were_held(caplog):
    clock = Clock()
    warn = RateLimitedLog(logging.getLogger("test.failsoft"), every=60, clock=clock)
    with caplog.at_level(logging.WARNING, logger="test.failsoft"):
        assert warn("down: %s", "x") is True
        for _ in range(500):
            clock.now += 0.1
            assert warn("down: %s", "x") is False
        clock.now += 10.1
        assert warn("down: %s", "y") is True
    assert [r.getMessage() for r in caplog.records] == ["down: x", "down: y (500 more like this in the last 60 s)"]


def test_fail_soft_cache_serves_from_memory_while_redis_is_down_and_returns_to_it():
    clock, shared = Clock(), FakeRedisCache()
    c = FailSoftRedisCache(shared, SimpleCache(), Breaker(cooldown=5, clock=clock))
    assert c.set("k", 1) and c.get("k") == 1 and shared.get("k") == 1
    shared.down = True
    calls = shared.calls
    assert c.get("k") is None           # the failing call falls through to memory (empty)
    assert c.set("k", 2) and c.get("k") == 2
    for _ in range(1000):               # a request burst during the cooldown does not touch Redis
        c.get("k")
    assert shared.calls == calls + 1
    clock.now += 6
    assert c.get("k") == 2              # the probe fails: memory again
    assert shared.calls == calls + 2
    shared.down = False
    clock.now += 6
    assert c.get("k") == 1              # the probe answers: Redis again, with what it held
    assert not c.breaker.is_open


def test_an_error_that_is_not_redis_is_raised_and_does_not_stick_the_breaker():
    class Broken(SimpleCache):
        def get(self, key):
            raise ValueError("not a Redis problem")

    clock = Clock()
    c = FailSoftRedisCache(Broken(), SimpleCache(), Breaker(cooldown=5, clock=clock))
    c.breaker.failed()
    clock.now += 6
    with pytest.raises(ValueError):
        c.get("k")                      # the probe hit the caller's own error
    assert not c.breaker.is_open and c.breaker.allow()


def test_the_client_gives_up_fast_and_never_retries_by_itself():
    client = redis_client("redis://127.0.0.1:1/0")
    kwargs = client.connection_pool.connection_kwargs
    assert kwargs["socket_timeout"] == kwargs["socket_connect_timeout"] == SOCKET_TIMEOUT_S <= 0.5
    assert kwargs["retry"].get_retries() == 0


def test_redis_cache_type_means_the_fail_soft_backend(monkeypatch):
    monkeypatch.setenv("DTSEN_CACHE_TYPE", "RedisCache")
    monkeypatch.setenv("DTSEN_REDIS_URL", "redis://127.0.0.1:6390/2")
    cfg = cache_config()
    assert cfg["CACHE_TYPE"] == "data.cache.FailSoftRedisCache" and cfg["CACHE_REDIS_URL"] == shared_redis_url() == "redis://127.0.0.1:6390/2"
    backend = FailSoftRedisCache.factory(None, cfg, [], {"default_timeout": 60})
    assert backend.shared._read_client.connection_pool.connection_kwargs["socket_timeout"] == SOCKET_TIMEOUT_S
    monkeypatch.setenv("DTSEN_CACHE_TYPE", "SimpleCache")
    assert cache_module.shared_redis_url() is None and cache_config()["CACHE_TYPE"] == "SimpleCache"
