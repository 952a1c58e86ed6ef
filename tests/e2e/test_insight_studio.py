"""评论洞察 in a real browser: an operator opens the dashboard from the navigation, sees the
charts and the demo shop's down-jacket alert, and narrows it to one product."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import skip_unless_browser

skip_unless_browser()

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser


def test_operator_sees_charts_and_the_jacket_alert(live_server, page, screenshot):
    page.click('.nav a[href="/insight"]')
    expect(page).to_have_url(f"{live_server.url}/insight")
    expect(page.locator("h1")).to_have_text("评论洞察")
    chart = page.locator("svg#chart-sentiment")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 400  # drawn at page width, not collapsed
    expect(page.locator("svg#chart-aspects")).to_be_visible()
    expect(page.locator('svg#chart-sentiment g.week-alert[data-week="2026-11-05"]')).to_have_count(1)
    jacket = page.locator('li.alert[data-scope="product:FZ-1002"]')
    expect(jacket).to_be_visible()
    expect(jacket).to_contain_text("评论量")
    expect(jacket).to_contain_text("2026-11-05 至 11-11")
    expect(jacket.locator(".evidence li")).to_have_count(3)
    screenshot(page, "insight.png")

    with page.expect_navigation():  # studio.js submits the filter when a select changes
        page.select_option('#insight-filter select[name="product_sku"]', "FZ-1002")
    expect(page).to_have_url(re.compile(r"/insight\?product_sku=FZ-1002"))
    expect(page.locator('[data-stat="reviews"]')).to_have_text("39")
    expect(page.locator("li.alert")).to_have_count(1)
    expect(page.locator(".theme").first).to_be_visible()
