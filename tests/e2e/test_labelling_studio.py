"""数据标注 in a real browser: an operator uploads shoppers' messages, labels them with the
keyboard only (a digit, Enter for the suggestion, S to skip, Z to undo), sees the progress and
counts move, and exports JSONL that ``shopgen intent train`` reads."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import skip_unless_browser

skip_unless_browser()

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser

TURNS = ["我的快递到哪了，三天没更新", "这件外套有XL码吗", "质量太差了，我要投诉"]


def test_operator_labels_with_the_keyboard_and_exports(live_server, page, screenshot, tmp_path):
    upload = tmp_path / "turns.jsonl"
    upload.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in TURNS), encoding="utf-8")

    page.click('.nav a[href="/labelling"]')
    expect(page.locator("h1")).to_have_text("数据标注")
    page.fill('#task-form input[name="name"]', "买家消息意图（键盘）")
    page.select_option('#task-form select[name="kind"]', "intent")
    page.set_input_files('#task-form input[name="file"]', str(upload))
    with page.expect_navigation():
        page.click("#create-task")
    expect(page.locator("h1")).to_contain_text("买家消息意图（键盘）")
    expect(page.locator(".label-key")).to_have_count(10)
    expect(page.locator("#key-hints")).to_contain_text("Enter 采纳模型建议")

    text = page.locator("#item-text")
    expect(text).not_to_have_text("正在取下一条…")
    expect(page.locator(".label-key.suggested")).to_have_count(1)  # the suggestion is highlighted
    expect(page.locator("#suggestion-confidence")).to_contain_text("置信度")
    screenshot(page, "labelling-queue.png")

    first = text.inner_text()
    page.keyboard.press("Enter")  # accept the model's suggestion
    expect(page.locator("#done")).to_have_text("1")
    expect(text).not_to_have_text(first)
    expect(page.locator("#status")).to_contain_text("已标为")

    second = text.inner_text()
    page.keyboard.press("s")  # skip: it comes back after the others
    expect(page.locator("#skipped")).to_have_text("1")
    expect(text).not_to_have_text(second)

    third = text.inner_text()
    page.keyboard.press("2")  # 2 = complaint (投诉)
    expect(page.locator("#done")).to_have_text("2")
    expect(page.locator('#counts [data-count="complaint"] strong')).not_to_have_text("0")
    expect(text).to_have_text(second)  # only the skipped one is left
    expect(page.locator("#item-again")).to_be_visible()

    page.keyboard.press("z")  # undo the "2"
    expect(text).to_have_text(third)
    expect(page.locator("#done")).to_have_text("1")
    page.keyboard.press("0")  # 0 = the tenth label, shipping (物流配送)
    expect(page.locator("#done")).to_have_text("2")
    expect(page.locator('#counts [data-count="shipping"] strong')).not_to_have_text("0")
    expect(text).to_have_text(second)
    page.keyboard.press("7")  # 7 = product (商品咨询)
    expect(page.locator("#all-done")).to_be_visible()
    expect(page.locator("#done")).to_have_text("3")
    expect(page.locator("#skipped")).to_have_text("0")
    assert page.locator("#progress-fill").evaluate("el => el.style.width") == "100%"
    screenshot(page, "labelling-done.png")

    with page.expect_download() as download:
        page.click("#export")
    lines = [json.loads(x) for x in download.value.path().read_text(encoding="utf-8").splitlines()]
    assert [x["text"] for x in lines] == TURNS  # upload order
    labels = dict((x["text"], x["label"]) for x in lines)
    assert labels[third] == "shipping" and labels[second] == "product"
    assert set(lines[0]) == {"text", "label"}


def test_the_header_still_fits_at_1280(live_server, anon_page):
    live_server.login(anon_page, "e2e-admin")
    nav = anon_page.locator("nav.nav")
    expect(nav.locator('a[href="/labelling"]')).to_have_text("数据标注")
    assert nav.evaluate("el => el.scrollWidth <= el.clientWidth"), "the admin's navigation scrolls at 1280 px"


def test_suggestions_learn_a_shops_own_labels_as_they_are_given(live_server, page, screenshot, tmp_path, monkeypatch):
    """A label set the model knows nothing of (物流, 尺码): no suggestion at first; once enough
    labels are given (4 here, 20 shipped) the page says so and the next text comes with a
    suggestion learnt from them, which Enter accepts."""
    from shopgen.labelling import learn

    monkeypatch.setattr(learn, "LEARN_FROM", 4)
    texts = ["快递三天没更新", "尺码偏大吗", "物流到哪了", "175穿什么码", "快递怎么还没到", "M码会不会偏小"]
    upload = tmp_path / "own.txt"
    upload.write_text("\n".join(texts), encoding="utf-8")
    page.click('.nav a[href="/labelling"]')
    page.fill('#task-form input[name="name"]', "自定义标签")
    page.select_option('#task-form select[name="kind"]', "intent")
    page.fill('#task-form input[name="labels"]', "物流,尺码")
    page.set_input_files('#task-form input[name="file"]', str(upload))
    with page.expect_navigation():
        page.click("#create-task")
    text = page.locator("#item-text")
    expect(page.locator("#learned")).to_be_hidden()
    for n, want in enumerate(["1", "2", "1", "2"], start=1):
        expect(text).to_have_text(texts[n - 1])
        expect(page.locator(".label-key.suggested")).to_have_count(0)  # nothing learnt yet
        page.keyboard.press(want)
        expect(page.locator("#done")).to_have_text(str(n))
    expect(text).to_have_text(texts[4])
    expect(page.locator("#learned")).to_be_visible()
    expect(page.locator("#learned-n")).to_have_text("4")
    expect(page.locator('.label-key.suggested[data-label="物流"]')).to_have_count(1)
    screenshot(page, "labelling-learned.png")
    page.keyboard.press("Enter")
    expect(page.locator("#done")).to_have_text("5")
    expect(page.locator('.label-key.suggested[data-label="尺码"]')).to_have_count(1)
