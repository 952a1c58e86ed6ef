"""Test helpers for HTTP answers: the one JSON error shape and Server-Sent Event streams."""

from __future__ import annotations

import json


def error(resp, status: int, kind: str) -> dict:
    """Assert ``resp`` is ``status`` with the one error shape of type ``kind``; return the error."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"type", "message", "detail"}
    assert body["error"]["type"] == kind
    return body["error"]


def events(resp) -> list[tuple[str, dict]]:
    """The ``(event, data)`` pairs of a complete text/event-stream answer."""
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("text/event-stream")
    out = []
    for block in resp.text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        out.append((lines["event"], json.loads(lines["data"])))
    return out
