import pytest

from shopgen.core.errors import ConfigError, RateLimited
from shopgen.core.settings import Settings
from shopgen.security.ratelimit import Limits, RateLimiter


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_bucket_allows_a_burst_then_refills_at_its_rate():
    clock = Clock()
    lim = RateLimiter("login", per_minute=3, clock=clock)
    for _ in range(3):
        lim.hit("1.2.3.4")
    with pytest.raises(RateLimited) as e:
        lim.hit("1.2.3.4")
    assert e.value.retry_after == 20 and e.value.headers == {"Retry-After": "20"}
    lim.hit("5.6.7.8")  # another address has its own bucket
    clock.t += 19
    with pytest.raises(RateLimited):
        lim.hit("1.2.3.4")
    clock.t += 20  # 20 s more than the refused attempt: one token back
    lim.hit("1.2.3.4")
    with pytest.raises(RateLimited):
        lim.hit("1.2.3.4")


def test_bucket_never_holds_more_than_its_burst():
    clock = Clock()
    lim = RateLimiter("key", per_minute=2, clock=clock)
    clock.t += 3600
    lim.hit("k")
    lim.hit("k")
    with pytest.raises(RateLimited):
        lim.hit("k")


def test_named_limits_come_from_settings(tmp_path):
    limits = Limits(Settings(data_dir=tmp_path, rate_shopper_per_minute=7))
    assert limits.get("shopper").capacity == 7 and limits.get("ingest").capacity == 6000
    with pytest.raises(ConfigError, match="known: login, key, address, shopper, ingest"):
        limits.get("nope")
    with pytest.raises(ConfigError):
        RateLimiter("bad", 0)
