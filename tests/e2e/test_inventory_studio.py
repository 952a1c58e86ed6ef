"""库存 in a real browser: 概览 shows the stockout risk before the scheduled live stream, the
operator reads the forecast chart with the live event marked and its effect explained, approves an
edited order (audited) and gets a Chinese error for a live event without products."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import skip_unless_browser

skip_unless_browser()

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser


def test_operator_plans_purchases_around_a_live_event(live_server, page, screenshot):
    pytest.importorskip("lightgbm", reason="needs shopgen[forecast]")
    live_server.app.state.inventory.forecast()  # the first forecast fits the models (tens of seconds)

    page.goto(f"{live_server.url}/")
    alert = page.locator('#stock-alerts li[data-alert="live_risk"][data-sku="MZ-2009"]')
    expect(alert).to_contain_text("双12 美妆直播")

    page.click('.nav a[href="/inventory"]')
    expect(page.locator("h1")).to_have_text("库存")
    expect(page.locator("svg#chart-forecast")).to_be_visible()
    expect(page.locator("#plan-table tbody tr")).to_have_count(51)
    with page.expect_navigation():
        page.select_option("#sku-select", "MZ-2001")
    expect(page).to_have_url(re.compile(r"/inventory\?sku=MZ-2001"))
    chart = page.locator("svg#chart-forecast")
    assert chart.bounding_box()["width"] > 500
    expect(chart.locator('g.event-live[data-event="双12 美妆直播"]')).to_have_count(1)
    expect(chart.locator("polygon.band")).to_have_count(1)
    expect(page.locator("#effects")).to_contain_text("双12 美妆直播")
    expect(page.locator(".forecast-note").first).to_contain_text("数据不完整")
    screenshot(page, "inventory.png")

    csv = page.request.get(f"{live_server.url}/inventory/plan.csv")
    assert csv.status == 200 and csv.text().lstrip("\ufeff").startswith("sku,title,order_qty")

    row = page.locator('#plan-table tr[data-sku="MZ-2009"]')
    expect(row.locator(".badge-danger").first).to_be_visible()
    row.locator('input[name="quantity"]').fill("300")
    with page.expect_navigation():
        row.locator('button[type="submit"]').click()
    expect(page.locator("#notice")).to_contain_text("已批准采购单")
    expect(page.locator("#orders-table")).to_contain_text("MZ-2009")
    expect(page.locator("#orders-table tbody tr").first).to_contain_text("300")

    form = page.locator("#calendar-form")
    form.locator('select[name="kind"]').select_option("live")
    form.locator('input[name="name"]').fill("临时直播")
    form.locator('input[name="start"]').fill("2026-11-20")
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    expect(page.locator("#form-errors")).to_have_text("SKU：直播需要填写上架的商品")

    from shopgen.security import audit

    with live_server.db.session() as s:
        (entry,) = audit.query(s, action="inventory.")
        assert (entry.action, entry.target, entry.actor) == (
            "inventory.edit_approve",
            "sku:MZ-2009",
            "user:e2e-operator",
        )
