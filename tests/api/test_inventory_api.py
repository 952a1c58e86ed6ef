"""/api/inventory: forecast, plan (JSON and CSV), calendar, sync and audited approvals."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shopgen.core.settings import Settings
from shopgen.demo import loader
from shopgen.security import audit
from shopgen.server import create_app
from tests.auth import bearer

pytest.importorskip("lightgbm", reason="needs shopgen[forecast]")


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("inv"),
        llm_backend="fake",
        embed_backend="fake",
        inventory_model="seasonal_naive",
    )
    app = create_app(settings)
    loader.load_demo(app.state.db)
    yield app
    app.state.db.dispose()


@pytest.fixture
def op(demo_app):
    with TestClient(demo_app, headers=bearer(demo_app.state.db, "operator")) as c:
        yield c


def test_forecast_and_plan(op):
    r = op.get("/api/inventory/forecast", params={"sku": "MZ-2001", "horizon": "4w"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["horizon"], out["interval"], [s["sku"] for s in out["series"]]) == (4, 0.8, ["MZ-2001"])
    points = out["series"][0]["forecast"]
    assert len(points) == 4 and all(p["lo"] <= p["yhat"] <= p["hi"] for p in points)
    plan = op.get("/api/inventory/plan").json()
    assert len(plan["items"]) == 51 and {"reorder_point", "order_up_to", "order_qty", "warnings"} <= set(
        plan["items"][0]
    )
    csv = op.get("/api/inventory/plan.csv")
    assert csv.headers["content-type"].startswith("text/csv") and "attachment" in csv.headers["content-disposition"]
    assert csv.text.lstrip("\ufeff").startswith("sku,title,order_qty")


def test_errors_have_the_one_shape(op):
    r = op.get("/api/inventory/forecast", params={"sku": "NOPE"})
    assert r.status_code == 404 and r.json()["error"]["type"] == "not_found"
    r = op.get("/api/inventory/forecast", params={"horizon": "200w"})
    assert r.status_code == 422
    assert "beyond what the history supports: at most" in r.json()["error"]["message"]
    r = op.post("/api/inventory/calendar", json={"kind": "live", "name": "直播", "start": "2026-12-20"})
    assert r.status_code == 422 and "products on stage" in r.json()["error"]["message"]
    r = op.post("/api/inventory/orders", json={"sku": "MZ-2009", "quantity": -1})
    assert r.status_code == 422


def test_calendar_and_audited_approval(op, demo_app):
    r = op.post(
        "/api/inventory/calendar",
        json={"kind": "live", "name": "周末直播", "start": "2026-11-21", "skus": ["MZ-2001"], "room": "A"},
    )
    assert r.status_code == 201, r.text
    entry = r.json()
    assert entry["end"] == "2026-11-21" and entry["skus"] == ["MZ-2001"]
    assert any(e["id"] == entry["id"] for e in op.get("/api/inventory/calendar").json()["entries"])
    assert op.delete(f"/api/inventory/calendar/{entry['id']}").status_code == 204
    r = op.post("/api/inventory/orders", json={"sku": "MZ-2009"})
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["quantity"] == order["suggested"] > 0
    assert op.get("/api/inventory/orders").json()["items"][0]["id"] == order["id"]
    with demo_app.state.db.session() as s:
        actions = [e.action for e in audit.query(s, action="inventory.")]
    assert actions == ["inventory.approve", "inventory.calendar_delete", "inventory.calendar_add"]


def test_agents_may_not(demo_app):
    with TestClient(demo_app, headers=bearer(demo_app.state.db, "agent")) as c:
        assert c.get("/api/inventory/plan").status_code == 403
