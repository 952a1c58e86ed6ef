"""待审 FAQ in a real browser: an agent resolved a conversation; an operator mines it, edits the
answer and approves it, and the pair is in the knowledge base."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import skip_unless_browser

skip_unless_browser()

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser
QUESTION = "寄到西藏大概要几天呀"


def test_operator_mines_edits_and_approves(live_server, page, screenshot):
    from sqlalchemy import select

    from shopgen.store.models import KBEntry
    from tests.assistant.test_mining import resolved

    with live_server.db.session() as s:
        resolved(
            s, [("user", QUESTION), ("agent", "您好，我是客服小美"), ("agent", "西藏一般七到十天送达，请耐心等待。")]
        )
    page.goto(f"{live_server.url}/assist/candidates")
    expect(page.locator("h1")).to_have_text("待审 FAQ")
    page.click("#mine")
    expect(page.locator("#notice")).to_contain_text("新增")
    card = page.locator(f'section.candidate:has(input[name="question"][value="{QUESTION}"])')
    expect(card.locator('textarea[name="answer"]')).to_have_value("西藏一般七到十天送达，请耐心等待。")
    screenshot(page, "assist-candidates.png")
    card.locator('textarea[name="answer"]').fill("西藏一般 7–10 天送达。")
    card.locator('button[value="approve"]').click()
    expect(page.locator("#notice")).to_contain_text("已加入知识库")
    expect(card).to_have_count(0)
    with live_server.db.session() as s:
        entry = s.scalars(select(KBEntry).where(KBEntry.question == QUESTION)).one()
        assert entry.answer == "西藏一般 7–10 天送达。" and entry.kind == "faq"
