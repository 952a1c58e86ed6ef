"""The shop's forecast and plan on the demo shop: planned events visible, suggestions sane."""

import pytest

from shopgen.core.errors import InvalidInput, NotFound
from shopgen.core.settings import Settings
from shopgen.demo.loader import load_demo
from shopgen.inventory.service import InventoryService, parse_horizon, to_csv
from shopgen.security import audit
from shopgen.security.principal import CLI

pytest.importorskip("lightgbm", reason="needs shopgen[forecast]")


@pytest.fixture
def demo(sqlite_db, tmp_path):
    load_demo(sqlite_db)
    return sqlite_db, Settings(data_dir=tmp_path, inventory_model="seasonal_naive")


def test_parse_horizon():
    assert parse_horizon("8w", "W", 4) == 8
    assert parse_horizon("56d", "W", 4) == 8
    assert parse_horizon("2m", "W", 4) == 9
    assert parse_horizon(None, "W", 4) == 4
    with pytest.raises(InvalidInput, match="like 8, 8w"):
        parse_horizon("soon", "W", 4)


def test_forecast_plan_and_approval_on_the_demo_shop(demo):
    db, settings = demo
    svc = InventoryService(db, settings)
    fc = svc.forecast()
    assert (fc["freq"], fc["horizon"], fc["interval"], fc["as_of"]) == ("W", 8, 0.8, "2026-11-11")
    assert len(fc["series"]) == 51 and "the last week (2026-11-09) is incomplete and was left out" in fc["notes"]
    mz = next(x for x in fc["series"] if x["sku"] == "MZ-2001")
    live_week = next(p for p in mz["forecast"] if p["ds"] == "2026-11-30")
    assert live_week["effect"]["units"] > 0  # the scheduled 双12 live stream on 12-05
    assert [e["name"] for e in live_week["effect"]["because"]] == ["双12 美妆直播"]
    assert any(e["kind"] == "festival" and e["name"] == "双12" for e in fc["calendar"])
    assert svc.forecast() is fc  # cached until the data changes

    plan = svc.plan()
    by = {r["sku"]: r for r in plan["items"]}
    assert "below_reorder_point" in by["MZ-2009"]["warnings"] and by["MZ-2009"]["order_qty"] > 0
    assert "stockout_risk_before_live" in by["MZ-2009"]["warnings"]
    assert "dead_stock" in by["FZ-1009"]["warnings"] or "over_stock" in by["FZ-1009"]["warnings"]
    assert by["FZ-1009"]["order_qty"] == 0
    assert plan["items"][0]["warnings"]  # problems first
    csv_text = to_csv(plan)
    assert csv_text.splitlines()[0].startswith("sku,title,order_qty,on_hand")

    with db.session() as s:
        out = svc.approve(s, "MZ-2009", 300, CLI, "直播备货")
    assert out["quantity"] == 300 and out["suggested"] == by["MZ-2009"]["order_qty"]
    with db.session() as s:
        (entry,) = audit.query(s, action="inventory.")
        assert (entry.action, entry.target, entry.detail["quantity"]) == ("inventory.edit_approve", "sku:MZ-2009", 300)
    assert svc.plan(["MZ-2009"])["items"][0]["on_order"] == 300
    with pytest.raises(NotFound, match="no sales history for SKU NOPE"):
        svc.forecast(["NOPE"])


def test_the_service_measure_setting_reaches_the_plan(demo):
    db, settings = demo
    fill = InventoryService(db, settings).plan(["MZ-2001"])["items"][0]
    cycle = InventoryService(db, settings.model_copy(update={"inventory_service_measure": "cycle"})).plan(["MZ-2001"])
    cycle = cycle["items"][0]
    assert (fill["service_measure"], cycle["service_measure"]) == ("fill", "cycle")
    assert cycle["safety_factor"] == pytest.approx(1.645, abs=0.001)
    assert fill["safety_factor"] != cycle["safety_factor"]
    assert cycle["demand_protection"] == fill["demand_protection"]  # the same forecast


@pytest.mark.slow
def test_default_model_on_the_demo_shop(demo):
    db, settings = demo
    fc = InventoryService(db, settings.model_copy(update={"inventory_model": "auto"})).forecast()
    models = {x["model"] for x in fc["series"]}
    assert models and all(
        set(m.split("+")) <= {"lgbm", "ets", "seasonal_naive", "tsb", "croston", "adida"} for m in models
    )
