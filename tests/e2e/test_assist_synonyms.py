"""同义词 in a real browser: from 待审 FAQ an operator opens the page, adds groups, tries a shopper's
question, edits a group and deletes one after confirming."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import skip_unless_browser

skip_unless_browser()

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser


def test_operator_adds_tries_edits_and_deletes(live_server, page, screenshot):
    from tests.assistant.test_synonyms import _asked

    _asked(live_server.db, "小白瓶是不是要卸妆才能洗掉", "abstain")
    _asked(live_server.db, "小白瓶买一送一吗", "abstain")
    page.goto(f"{live_server.url}/assist/candidates")
    page.click("#synonyms-link")
    expect(page.locator("h1")).to_have_text("同义词")
    expect(page.locator("#unknown-words")).to_contain_text("小白瓶")
    page.fill('#synonyms-add textarea[name="lines"]', "防晒霜 防晒乳 防晒露\n保温壶、保温杯")
    page.click('#synonyms-add button[type="submit"]')
    expect(page.locator("#notice")).to_contain_text("已保存")
    rows = page.locator("#synonyms tbody tr[data-group]")
    expect(rows).to_have_count(2)

    page.fill('#preview input[name="q"]', "防晒霜要卸妆吗")
    page.click('#preview button[type="submit"]')
    expect(page.locator("#preview-added")).to_contain_text("防晒乳")
    expect(page.locator("#preview-with li")).to_have_count(3)
    screenshot(page, "assist-synonyms.png")

    first = rows.nth(0)
    first.locator('input[name="words"]').fill("防晒霜 防晒乳")
    first.locator('button[value="save"]').click()
    expect(page.locator("#notice")).to_contain_text("已保存")
    expect(rows.nth(0).locator('input[name="words"]')).to_have_value("防晒霜 防晒乳")

    page.once("dialog", lambda d: d.dismiss())  # 取消: nothing is deleted
    rows.nth(1).locator('button[value="delete"]').click()
    expect(rows).to_have_count(2)
    page.once("dialog", lambda d: d.accept())
    rows.nth(1).locator('button[value="delete"]').click()
    expect(page.locator("#notice")).to_contain_text("已删除")
    expect(rows).to_have_count(1)
