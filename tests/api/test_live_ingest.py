"""Live comment ingest's validation at the API boundary."""

import pytest

from shopgen.api.live import comments_of
from shopgen.core.errors import InvalidInput


def test_live_ingest_refuses_a_ts_far_past_the_servers_clock():
    now = 1_700_000_000.0
    assert comments_of("r", [{"text": "扣1", "ts": now + 60}], now=now)[0].ts == now + 60
    with pytest.raises(InvalidInput, match=r"^comment 1: ts .* ahead of the server's clock"):
        comments_of("r", [{"text": "扣1"}, {"text": "扣1", "ts": now * 1000}], now=now)
