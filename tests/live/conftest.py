"""Fixtures for the live copilot tests. ``redis`` mirrors the ``postgres`` requirement in
tests/conftest.py: skip with a visible reason when the server is unreachable, fail when
SHOPGEN_REQUIRE names redis."""

from __future__ import annotations

import os
import uuid

import pytest

from tests.conftest import need

REDIS_URL = os.environ.get("SHOPGEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def classifier(models):
    """A fresh comment classifier (empty cache) over the session's shipped models."""
    from shopgen.live.classify import Classifier

    return Classifier(models.live_intent(), models.sentiment("linear"))


@pytest.fixture
def redis_bus():
    """A RedisBus on the real server with a unique key prefix, deleted afterwards."""
    try:
        import redis
    except ImportError:
        need("redis", False, "the redis package is not installed (pip install 'shopgen[live]')")
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        need("redis", False, f"cannot reach {REDIS_URL}: {str(exc).splitlines()[0]}")
    from shopgen.live.bus import RedisBus

    bus = RedisBus(REDIS_URL, prefix=f"shopgen-test:{uuid.uuid4().hex[:10]}", client=client)
    bus.ensure_group()
    yield bus
    bus.delete_all()
    client.close()
