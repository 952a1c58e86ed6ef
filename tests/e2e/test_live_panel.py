"""The host panel in a real browser: open the demo room with the T-shirt on stage, replay the
demo recording, and watch the panel fill in (counts, intent chart, merged questions)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import skip_unless_browser, wait_until

skip_unless_browser()

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser
HOST = "e2e-host"


@pytest.fixture
def host_page(anon_page, live_server):
    live_server.login(anon_page, HOST)  # created with the live server (conftest.USERS)
    return anon_page


def test_replay_fills_the_host_panel(live_server, host_page, screenshot):
    page = host_page
    page.goto(f"{live_server.url}/live?room=e2e-room")
    expect(page.locator("h1")).to_have_text("直播助手")
    expect(page.locator("nav.nav a.active")).to_have_text("直播助手")
    page.select_option("#sku", "FZ-1001")
    page.click("#open-room")
    expect(page.locator("#panel")).to_be_visible()
    expect(page.locator("#stage-sku")).to_have_text("FZ-1001")
    expect(page.locator("#product-title")).to_contain_text("纯棉圆领短袖T恤")
    page.select_option("#speed", "max")
    page.click("#replay-demo")
    expect(page.locator("#replay-status")).to_contain_text("已完成", timeout=30_000)
    wait_until(page, "Number(document.querySelector('#stat-comments').textContent) > 100")
    counts = page.locator("#questions li").first.get_attribute("data-count")
    assert int(counts) >= 5  # the burst of 「多少钱包邮」 merged into one question
    expect(page.locator('#intent-chart rect[data-intent="buy"]')).to_have_count(1)
    # the demo recording has buy signals: the bar is drawn to scale, not the 1-pixel stub of zero
    assert float(page.locator('#intent-chart rect[data-intent="buy"]').get_attribute("width")) > 1
    assert float(page.locator('#intent-chart rect[data-intent="ask"]').get_attribute("width")) > 50
    expect(page.locator("#complaints li").first).to_contain_text("负面")
    # the same complaint is listed once, with how many said it
    complaints = [t.strip() for t in page.locator("#complaints li").all_inner_texts()]
    texts = [c.split(" ", 2)[-1].split(" ×")[0] for c in complaints]
    assert len(texts) == len(set(texts)), complaints
    # the trend chart has labelled axes
    ticks = page.locator("#trend-chart text.chart-tick").all_text_contents()
    assert {"0%", "100%", "比例", "现在", "时间（分钟前）"} <= set(ticks), ticks
    replies = [t.split("朗读")[0] for t in page.locator("#replies li").all_inner_texts()]
    assert len(replies) == len(set(replies))
    expect(page.locator("#talking-points li").first).not_to_have_class("muted")
    screenshot(page, "live-panel.png")

    # the teleprompter: the fake model's script comes back with its checks
    page.click("#script-btn")
    expect(page.locator("#script-text")).to_have_attribute("data-state", "done")
    expect(page.locator("#script-say")).to_be_visible()
    expect(page.locator("#live-error")).to_be_hidden()
    for flag in page.locator("#script-flags li").all_inner_texts():  # findings in Chinese, not "claim not in the facts"
        assert not any(c.isascii() and c.isalpha() for c in flag.replace("XL", "").replace("SKU", "")), flag
    screenshot(page, "live-panel-script.png")


def test_an_operator_cannot_open_the_panel(live_server, page):
    r = page.goto(f"{live_server.url}/live")
    assert r.status == 403
