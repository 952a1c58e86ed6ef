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


class AccountLockout:
    """Failed logins per account name: after ``max_failures`` within ``window_s`` the account is
    locked for ``window_s`` (every attempt refused, the right password too), whatever address the
    attempts come from, so rotating addresses does not buy more guesses.

    >>> t = [0.0]
    >>> lock = AccountLockout(max_failures=2, window_s=60, clock=lambda: t[0])
    >>> lock.failed("admin"), lock.failed("admin")
    (False, True)
    >>> lock.locked_for("admin")
    60
    >>> t[0] = 61; lock.locked_for("admin")
    0

    Names that do not exist are counted too (else the lockout would tell which names do). In
    memory, per process, like the rate limits."""

    def __init__(self, max_failures: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        if max_failures < 1 or window_s <= 0:
            raise ConfigError("the login lockout needs max_failures >= 1 and a positive window")
        self.max_failures, self.window_s, self._clock = max_failures, window_s, clock
        self._failures: dict[str, list[float]] = {}
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def locked_for(self, name: str) -> int:
        """Seconds until ``name`` may try again (0: not locked)."""
        with self._lock:
            left = self._until.get(name, 0.0) - self._clock()
            return math.ceil(left) if left > 0 else 0

    def failed(self, name: str) -> bool:
        """Count a failure; True when it locks the account (the caller audits that)."""
        now = self._clock()
        with self._lock:
            recent = [t for t in self._failures.get(name, ()) if t > now - self.window_s] + [now]
            if len(recent) >= self.max_failures:
                self._failures.pop(name, None)
                self._until[name] = now + self.window_s
                self._prune(now)
                return True
            self._failures[name] = recent
            self._prune(now)
            return False

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)

    def _prune(self, now: float) -> None:
        if len(self._failures) + len(self._until) <= MAX_BUCKETS:
            return
        self._until = {k: v for k, v in self._until.items() if v > now}
        self._failures = {k: v for k, v in self._failures.items() if v and v[-1] > now - self.window_s}


class Limits:
    """The named limiters of one app, built from the settings. Endpoints added later (shopper
    chat, live ingest) take theirs by name: ``limits.get("shopper").hit(key)``. ``accounts`` is
    the login lockout per account name."""

    def __init__(self, settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.accounts = AccountLockout(settings.login_max_failures, settings.login_lockout_minutes * 60.0, clock)
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
