"""Failing soft when the shared store (Redis) is down or hung: short timeouts, a circuit breaker,
and a warning at most once a minute instead of a traceback per request.

Used by the query cache (data/cache.py) and the usage counts (web/usage_store.py). The breaker and
the warning take a clock, so their logic is tested without sleeping (tests/test_failsoft.py).
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger("dtsen.redis")

# A healthy Redis on the same host or network answers in well under a millisecond; a paused or
# unreachable one would otherwise hold a request for redis-py's default 5 s (and a connect to a
# dropped address until the kernel gives up, ~20 s), three times over with its default retries.
SOCKET_TIMEOUT_S = 0.25
COOLDOWN_S = 5.0           # after a failure Redis is left alone this long, then one caller tries it again
WARN_EVERY_S = 60.0

# What Redis being down, paused or unreachable raises (redis-py wraps most socket errors; OSError for the rest).
REDIS_ERRORS = (redis.RedisError, OSError)


def redis_client(url: str) -> redis.Redis:
    """A client that gives up after SOCKET_TIMEOUT_S, connecting or reading, and never retries by itself
    (the breaker decides when to try again). Connects lazily: an app starts while Redis is down."""
    return redis.Redis.from_url(url, socket_timeout=SOCKET_TIMEOUT_S, socket_connect_timeout=SOCKET_TIMEOUT_S,
                                retry=Retry(NoBackoff(), 0), health_check_interval=0)


class Breaker:
    """Closed: every call goes to the service. A failure opens it for `cooldown` seconds, during which
    callers skip the service; then a single caller at a time probes it (the others keep skipping), and
    a success closes it again. So a hung service costs one timeout per cooldown, not one per request."""

    def __init__(self, cooldown: float = COOLDOWN_S, clock: Callable[[], float] = time.monotonic):
        self.cooldown, self._clock = cooldown, clock
        self._lock = threading.Lock()
        self._open_until: float | None = None  # None: closed
        self._probing = False

    def allow(self) -> bool:
        with self._lock:
            if self._open_until is None:
                return True
            if self._probing or self._clock() < self._open_until:
                return False
            self._probing = True
            return True

    def succeeded(self) -> bool:
        """Record an answer; True when this closed an open breaker (the service is back)."""
        with self._lock:
            was_open = self._open_until is not None
            self._open_until, self._probing = None, False
            return was_open

    def failed(self) -> None:
        with self._lock:
            self._open_until, self._probing = self._clock() + self.cooldown, False

    @property
    def is_open(self) -> bool:
        return self._open_until is not None


class RateLimitedLog:
    """A log line at most once per `every` seconds in this process; the next one says how many were held back."""

    def __init__(self, logger: logging.Logger = log, level: int = logging.WARNING, every: float = WARN_EVERY_S,
                 clock: Callable[[], float] = time.monotonic):
        self.logger, self.level, self.every, self._clock = logger, level, every, clock
        self._lock = threading.Lock()
        self._next = float("-inf")
        self._held = 0

    def __call__(self, message: str, *args) -> bool:
        """Log `message % args` unless one was logged less than `every` seconds ago; True when logged."""
        with self._lock:
            now = self._clock()
            if now < self._next:
                self._held += 1
                return False
            held, self._held, self._next = self._held, 0, now + self.every
        suffix = f" ({held} more like this in the last {self.every:.0f} s)" if held else ""
        self.logger.log(self.level, message + suffix, *args)
        return True


# One warning a minute for the whole process: the cache and the usage counts meet the same outage.
warn_redis = RateLimitedLog()
note_redis_back = RateLimitedLog(level=logging.INFO)
