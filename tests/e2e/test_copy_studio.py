"""商品文案 in a real browser: an operator picks a demo product, generates a description (streamed,
then replaced by the checked text), sees the flags, saves it as a draft and approves it; then
starts a small batch and follows it to the end. The live server's fake LLM is scripted here."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import skip_unless_browser

skip_unless_browser()

from playwright.sync_api import expect  # noqa: E402

from shopgen.models.llm.fake import FakeGenerator  # noqa: E402

pytestmark = pytest.mark.browser

# grounded in FZ-1001's facts, with one superlative (最百搭) that the copywriter rewrites
REPLY = (
    "这款圆领短袖T恤采用100%棉面料，手感柔软、透气吸汗，是衣橱里最百搭的基础款。白色、黑色、浅灰色和藏青色"
    "四种颜色可选，男女同款，直筒版型不挑身材。日常通勤、周末出游都合适，到手价69元，春夏天天穿也不腻。"
)


@pytest.fixture
def scripted(live_server, monkeypatch):
    """The live server's model answers REPLY for the length of one test."""
    gen = FakeGenerator(replies=[REPLY])
    monkeypatch.setattr(live_server.app.state.runtime, "llm", lambda: gen)
    return gen


def test_generate_save_approve_and_batch(live_server, page, scripted, screenshot):
    page.goto(f"{live_server.url}/copy")
    expect(page.locator("h1")).to_have_text("商品文案")
    page.select_option("#copy-sku", "FZ-1001")
    page.select_option("#copy-kind", "description")
    page.select_option("#copy-audience-preset", "学生党")
    page.select_option("#copy-tone-preset", "活泼")
    page.click("#copy-generate")

    out = page.locator("#copy-output")
    expect(out).to_contain_text("很百搭")  # the checked text replaced the streamed one
    expect(out).not_to_contain_text("最百搭")
    flag = page.locator('#copy-flags li[data-flag="compliance"]')
    expect(flag).to_have_count(1)
    expect(flag).to_contain_text("极限词")
    expect(flag).to_contain_text("已改为「很」")
    expect(page.locator("#copy-meta")).to_contain_text("商品描述")
    expect(page.locator("#copy-error")).to_be_hidden()

    page.click("#copy-save")
    expect(page.locator("#copy-saved")).to_contain_text("已保存为草稿")
    draft = page.locator("#draft-list article.draft").first
    expect(draft).to_have_attribute("data-status", "pending")
    expect(draft).to_contain_text("FZ-1001")
    expect(draft).to_contain_text("人群：学生党")
    expect(draft.locator('[data-role="text"]')).to_contain_text("很百搭")
    draft_id = draft.get_attribute("data-draft")
    screenshot(page, "copy-studio.png")

    # edit: the checks run again on the new text
    draft.locator('[data-action="edit"]').click()
    draft.locator('[data-role="edit"]').fill("这款红色T恤是最好的选择，柔软透气。")
    draft.locator('[data-action="save-edit"]').click()
    edited = page.locator(f'#draft-list article[data-draft="{draft_id}"]')
    expect(edited.locator('[data-role="text"]')).to_have_text("这款红色T恤是最好的选择，柔软透气。")
    expect(edited.locator('li[data-type="contradicted"]')).to_contain_text("红色")
    expect(edited.locator('li[data-flag="compliance"]')).to_contain_text("建议改为")
    screenshot(page, "copy-studio-edited.png")

    # approval gate: a draft with open issues needs the reviewer's acknowledgement
    expect(edited.locator('[data-role="open-issues"]')).to_contain_text("个问题待处理")
    edited.locator('[data-action="approve"]').click()
    confirm = edited.locator('[data-role="confirm"]')
    expect(confirm).to_contain_text("未处理的问题")
    expect(confirm.locator('[data-action="confirm-approve"]')).to_be_disabled()
    expect(edited).to_have_attribute("data-status", "pending")
    screenshot(page, "copy-studio-confirm.png")
    confirm.locator('[data-role="ack"]').check()
    confirm.locator('[data-action="confirm-approve"]').click()
    expect(page.locator(f'#draft-list article[data-draft="{draft_id}"]')).to_have_count(0)  # left the 待审核 tab
    page.click('#draft-tabs button[data-status="approved"]')
    approved = page.locator(f'#draft-list article[data-draft="{draft_id}"]')
    expect(approved).to_have_attribute("data-status", "approved")
    expect(approved).to_contain_text("已通过")
    expect(approved.locator('[data-action="approve"]')).to_have_count(0)

    # a small batch: progress to 已完成, then its drafts
    page.select_option("#batch-kind", "title")
    page.select_option("#batch-category", "服装")
    page.fill("#batch-limit", "2")
    page.click("#batch-start")
    expect(page.locator("#batch-status")).to_have_text("已完成")
    expect(page.locator("#batch-counts")).to_contain_text("已生成 2 / 2")
    page.click("#batch-link")
    expect(page.locator("#draft-job")).to_be_visible()
    expect(page.locator("#draft-list article.draft")).to_have_count(2)
    expect(page.locator("#draft-list article.draft").first).to_contain_text("商品标题")

    # bulk review: the batch's clean drafts are approved together
    page.click("#draft-job-clear")
    expect(page.locator("#draft-bulk")).to_be_visible()
    page.check("#draft-bulk-all")
    page.click("#draft-bulk-approve")
    expect(page.locator("#draft-bulk-msg")).to_contain_text("已通过")
    screenshot(page, "copy-studio-bulk.png")


def test_an_interrupted_batch_is_shown_on_load_and_resumed(live_server, page, scripted):
    import socket

    from shopgen.copywriting import jobs
    from tests.procs import dead_pid

    params = {"kind": "title", "audience": None, "tone": None, "lang": "zh", "category": "美妆", "limit": 2}
    with live_server.app.state.db.session() as s:  # what a server stopped mid-batch leaves behind
        job = jobs.start(s, params, 2, "user:e2e-operator")
        job.owner = f"{socket.gethostname()[:60]}:{dead_pid()}:0123456789ab"
        job_id = job.id
    jobs.release(job_id)

    page.goto(f"{live_server.url}/copy")
    expect(page.locator("#batch-status")).to_have_text("已中断")
    expect(page.locator("#batch-progress")).to_have_attribute("data-job", job_id)
    page.click("#batch-resume")
    # taken over (running, then done) or refused: a refusal's message is what the assertion shows
    expect(page.locator('#batch-status:not([data-status="interrupted"]), #batch-error:visible').first).to_be_visible()
    assert page.locator("#batch-error").is_hidden(), page.locator("#batch-error").text_content()
    expect(page.locator("#batch-status")).to_have_text("已完成")
    expect(page.locator("#batch-counts")).to_contain_text("已生成 2 / 2")
    expect(page.locator("#batch-resume")).to_be_hidden()
    expect(page.locator("#batch-start")).to_be_enabled()
