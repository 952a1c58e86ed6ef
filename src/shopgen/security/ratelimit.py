"""In-memory token buckets, one per key (an API key id, a client address), per named limit.

>>> lim = RateLimiter("login", per_minute=2)
>>> lim.hit("10.0.0.1"); lim.hit("10.0.0.1")
>>> lim.hit("10.0.0.1")
Traceback (most recent call last):
...
shopgen.core.errors.RateLimited: too many requests (login); retry in 30 s

Each bucket holds ``per_minute`` tokens (the burst) and refills at ``per_minute / 60`` a
second. Buckets live in one process: several workers each keep their own, which is the
embedded default; a shared limiter (Redis) would implement the same ``hit``.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from shopgen.core.errors import ConfigError, RateLimited

MAX_BUCKETS = 50_000  # beyond this, full (idle) buckets are dropped


class RateLimiter:
    def __init__(self, name: str, per_minute: float, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute <= 0:
            raise ConfigError(f"rate limit {name!r} must be positive, got {per_minute}")
        self.name = name
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, cost: float = 1.0) -> None:
        """Take ``cost`` tokens from ``key``'s bucket; RateLimited (with retry_after) when empty."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens < cost:
                self._buckets[key] = (tokens, now)
                wait = math.ceil((cost - tokens) / self.rate)
                raise RateLimited(f"too many requests ({self.name}); retry in {wait} s", retry_after=wait)
            self._buckets[key] = (tokens - cost, now)
            if len(self._buckets) > MAX_BUCKETS:
                self._prune(now)

    def _prune(self, now: float) -> None:
        full = [k for k, (t, last) in self._buckets.items() if t + (now - last) * self.rate >= self.capacity]
        for k in full:
            del self._buckets[k]


class Limits:
    """The named limiters of one app, built from the settings. Endpoints added later (shopper
    chat, live ingest) take theirs by name: ``limits.get("shopper").hit(key)``."""

    def __init__(self, settings, clock: Callable[[], float] = time.monotonic) -> None:
        per_minute = {
            "login": settings.rate_login_per_minute,
            "key": settings.rate_key_per_minute,
            "address": settings.rate_address_per_minute,
            "shopper": settings.rate_shopper_per_minute,
            "ingest": settings.rate_ingest_per_minute,
        }
        self._limiters = {name: RateLimiter(name, n, clock) for name, n in per_minute.items()}

    def get(self, name: str) -> RateLimiter:
        try:
            return self._limiters[name]
        except KeyError:
            raise ConfigError(f"unknown rate limit {name!r}; known: {', '.join(self._limiters)}") from None
