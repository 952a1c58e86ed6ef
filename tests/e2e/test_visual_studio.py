"""视觉工坊 in a real browser: an operator opens it from the navigation, cuts out a demo product
(original beside the cut-out), makes poster candidates with scores, edits the best one's title
and sees it re-rendered, and makes a main image."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import skip_unless_browser, wait_until

skip_unless_browser()

from playwright.sync_api import expect  # noqa: E402

from shopgen.models.vision.fake import FakeSegmenter  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture
def fake_cutout(live_server, monkeypatch):
    """The studio's segmenter is the fake one for this test (fast and deterministic)."""
    pytest.importorskip("PIL", reason="pip install 'shopgen[visual]'")
    seg = FakeSegmenter()
    monkeypatch.setattr(live_server.app.state.visual, "_segmenter", lambda: seg)


def _loaded(page, selector: str) -> bool:
    return page.eval_on_selector(selector, "img => img.complete && img.naturalWidth > 0")


def test_cutout_posters_edit_and_main_image(live_server, page, fake_cutout, screenshot):
    page.click('.nav a[href="/visual"]')
    expect(page).to_have_url(f"{live_server.url}/visual")
    expect(page.locator("h1")).to_have_text("视觉工坊")
    page.select_option("#vis-sku", "JJ-5001")
    page.click("#vis-cut")
    expect(page.locator("#vis-pair")).to_be_visible()
    expect(page.locator("#vis-cut-meta")).to_contain_text("主体占")
    wait_until(page, "document.querySelector('#vis-cutout').naturalWidth > 0")
    expect(page.locator("#vis-title")).not_to_have_value("")

    page.select_option("#vis-format", "feed")
    page.click("#vis-make-posters")
    cards = page.locator(".vis-card")
    expect(cards.first).to_be_visible(timeout=30_000)
    assert cards.count() >= 3
    expect(cards.first.locator(".badge")).to_have_text("符合规则")
    expect(cards.first).to_contain_text("重叠 0 像素")
    wait_until(page, "document.querySelector('.vis-card img').naturalWidth === 1080")

    title = page.locator('#vis-edit-fields input[name="text:title"]')
    title.fill("保温杯上新")
    page.click("#vis-edit button[type=submit]")
    expect(page.locator("#vis-edit-status")).to_contain_text("已重新渲染")
    expect(page.locator("#vis-edit-fields input[name='text:title']")).to_have_value("保温杯上新")
    expect(page.locator("#vis-error")).to_be_hidden()

    page.click("#vis-make-main")
    expect(page.locator("#vis-pictures-out figure")).to_contain_text("主图 800×800")
    screenshot(page, "visual-studio.png")


def test_too_long_title_is_refused_naming_the_field(live_server, page, fake_cutout):
    page.goto(f"{live_server.url}/visual")
    page.select_option("#vis-sku", "SM-3001")
    page.click("#vis-cut")
    expect(page.locator("#vis-pair")).to_be_visible()
    page.fill("#vis-title", "超长的标题" * 12)  # 60 characters: allowed, but no banner template can hold it
    page.select_option("#vis-format", "banner")
    page.click("#vis-make-posters")
    expect(page.locator("#vis-error")).to_contain_text("标题（title）")
