"""Secrets never reach a log line: API keys anywhere, and secret query values in access logs."""

import logging

import pytest
from uvicorn.logging import AccessFormatter

from shopgen.security import logfilter

KEY = "sg_abcd1234_Zk3-9xQ_longsecretvalue0123"


@pytest.mark.parametrize(
    "line, shown",
    [
        (f"/api/live/rooms/r/ws?key={KEY}", "/api/live/rooms/r/ws?key=[hidden]"),
        (f"/x?a=1&api_key={KEY}&b=2", "/x?a=1&api_key=[hidden]&b=2"),
        ("/reset?token=abc123&next=/", "/reset?token=[hidden]&next=/"),
        ("/login?password=hunter2", "/login?password=[hidden]"),
        (f"Authorization: Bearer {KEY}", "Authorization: Bearer [hidden]"),
        ("/api/catalog/products?keyword=T恤&limit=5", "/api/catalog/products?keyword=T恤&limit=5"),
    ],
)
def test_redact(line, shown):
    assert logfilter.redact(line) == shown


def test_uvicorns_websocket_access_line_hides_the_key():
    logfilter.install()
    record = logging.getLogger("uvicorn.error").makeRecord(
        "uvicorn.error",
        logging.INFO,
        __file__,
        1,
        '%s - "WebSocket %s" [accepted]',
        ("127.0.0.1:5000", f"/api/live/rooms/r/ws?key={KEY}"),
        None,
    )
    assert record.getMessage() == '127.0.0.1:5000 - "WebSocket /api/live/rooms/r/ws?key=[hidden]" [accepted]'
    access = logging.getLogger("uvicorn.access").makeRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/api/x?key={KEY}", "1.1", 200),
        None,
    )
    assert KEY not in AccessFormatter("%(message)s", use_colors=False).format(access)
