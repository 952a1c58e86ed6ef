"""/api/recommend: shopper keys and operators, 404 for ids the shop never had, fresh after ingest."""

from __future__ import annotations

from fastapi.testclient import TestClient

from shopgen.events import store as events
from tests.auth import bearer
from tests.recommend.conftest import load_catalog, shop_events


def test_shopper_key_and_operator(app, client):
    load_catalog(app.state.db)
    with app.state.db.session() as s:
        events.ingest(s, shop_events())
    with TestClient(app, headers=bearer(app.state.db, "shopper")) as shopper:
        r = shopper.get("/api/recommend/users/s00", params={"k": 3})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["cold_start"] is False and len(body["items"]) == 3
        assert all(i["reason"]["text"] for i in body["items"])
        sim = shopper.get("/api/recommend/items/FZ-1001/similar", params={"k": 2, "surface": "live"})
        assert sim.status_code == 200 and len(sim.json()["items"]) == 2 and sim.json()["surface"] == "live"
        for path in ("/api/recommend/users/ghost", "/api/recommend/items/NOPE/similar"):
            r = shopper.get(path)
            assert r.status_code == 404 and r.json()["error"]["type"] == "not_found"
        assert shopper.get("/api/recommend/users/s00", params={"surface": "feed"}).status_code == 422
        assert shopper.get("/api/recommend/users/s00", params={"k": 0}).status_code == 422
    assert client.get("/api/recommend/users/s00").status_code == 200  # operator
    with TestClient(app, headers=bearer(app.state.db, "ingest")) as ingest:
        assert ingest.get("/api/recommend/users/s00").status_code == 403
        # a brand-new shopper's first view, through the ingest API: answered at once, from it
        r = ingest.post(
            "/api/events", json={"events": [{"user": "n1", "item": "MZ-2001", "type": "view", "ts": 1_762_500_000}]}
        )
        assert r.json()["inserted"] == 1
    r = client.get("/api/recommend/users/n1", params={"k": 2}).json()
    assert r["cold_start"] is True and r["items"][0]["reason"]["because"] == "MZ-2001"
