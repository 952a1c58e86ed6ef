"""推荐 and 用户洞察 in a real browser: an operator opens both from the navigation, reads a
shopper's history beside their recommendations with reasons, and a product's neighbours."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import skip_unless_browser

skip_unless_browser()

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser


def test_operator_reads_recommendations_and_neighbours(live_server, page, screenshot):
    page.click('.nav a[href="/recommend"]')
    expect(page).to_have_url(f"{live_server.url}/recommend")
    expect(page.locator("h1")).to_have_text("推荐")
    page.fill('#recommend-form input[name="user"]', "c001")
    page.select_option('#recommend-form select[name="sku"]', "FZ-1001")
    with page.expect_navigation():
        page.click('#recommend-form button[type="submit"]')
    expect(page).to_have_url(re.compile(r"/recommend\?user=c001&sku=FZ-1001"))
    expect(page.locator("#history h2")).to_have_text("c001 的近期行为")
    expect(page.locator("#history li.rec").first).to_be_visible()
    recs = page.locator("#recommendations li.rec")
    expect(recs).to_have_count(10)
    expect(recs.first.locator(".reason")).not_to_be_empty()
    expect(page.locator("#similar li.rec")).to_have_count(10)
    expect(page.locator("#similar h2")).to_contain_text("纯棉圆领短袖T恤")
    screenshot(page, "recommend.png")

    page.locator("#similar li.rec a.rec-title").first.click()  # a neighbour's own neighbours
    expect(page).to_have_url(re.compile(r"/recommend\?sku=[A-Z]{2}-\d{4}"))
    expect(page.locator("#similar li.rec").first).to_be_visible()


def test_operator_reads_the_behaviour_dashboard(live_server, page, screenshot):
    page.click('.nav a[href="/behaviour"]')
    expect(page).to_have_url(f"{live_server.url}/behaviour")
    expect(page.locator("h1")).to_have_text("用户洞察")
    expect(page.locator('[data-stat="shoppers"]')).to_have_text("150")
    chart = page.locator("svg#chart-funnel")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 300
    expect(page.locator("svg#chart-funnel g.funnel-group")).to_have_count(5)
    expect(page.locator('#segments li[data-segment="重要价值客户"]')).to_be_visible()
    expect(page.locator("#cohorts tr[data-cohort]")).to_have_count(8)
    expect(page.locator("#profiles tbody tr").first).to_be_visible()
    screenshot(page, "behaviour.png")
    with page.expect_navigation():
        page.locator("#product-funnel tbody a").first.click()
    expect(page.locator("#similar li.rec").first).to_be_visible()
