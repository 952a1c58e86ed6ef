"""POST /api/events: role ingest, batched, idempotent, all or nothing, subscribers told."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.auth import bearer


def _ev(i: int, **kw) -> dict:
    return {"id": f"e{i}", "user": "u1", "item": "FZ-1001", "type": "view", "ts": 1_762_000_000 + i, **kw}


def test_ingest_is_idempotent_and_publishes(app):
    seen = []
    app.state.event_hub.subscribe(seen.append)
    with TestClient(app, headers=bearer(app.state.db, "ingest")) as c:
        r = c.post("/api/events", json={"events": [_ev(1), _ev(2), _ev(1)]})
        assert r.status_code == 200, r.text
        assert r.json() == {"received": 3, "inserted": 2, "duplicates": 1}
        assert c.post("/api/events", json={"events": [_ev(2), _ev(3)]}).json() == {
            "received": 2,
            "inserted": 1,
            "duplicates": 1,
        }
    assert [x.inserted for x in seen] == [2, 1] and seen[0].users == ("u1",)


def test_a_bad_event_fails_the_whole_batch(app):
    with TestClient(app, headers=bearer(app.state.db, "ingest")) as c:
        r = c.post("/api/events", json={"events": [_ev(1), _ev(2, type="like")]})
        assert r.status_code == 422
        err = r.json()["error"]
        assert err["message"].startswith("events[1]: type: ") and err["detail"] == {"index": 1}
        assert c.post("/api/events", json={"events": []}).status_code == 422
        assert c.post("/api/events", json={"events": [_ev(1)]}).json()["inserted"] == 1  # nothing was kept before


def test_only_ingest_keys(app, client):
    assert client.post("/api/events", json={"events": [_ev(1)]}).status_code == 403  # operator
