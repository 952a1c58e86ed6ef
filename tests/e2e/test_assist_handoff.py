"""The hand-off in two real browsers: a shopper on 客服试用 asks for a human, an agent on
客服工作台 takes over and replies, the shopper sees it, the agent hands back and the bot answers
again. Fake LLM and fake embedder (the live server's settings), selected by name."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import skip_unless_browser

skip_unless_browser()

from playwright.sync_api import expect  # noqa: E402

from shopgen.assistant.answer import HANDOFF  # noqa: E402
from tests.e2e.conftest import VIEWPORT  # noqa: E402

pytestmark = pytest.mark.browser
AGENT = "e2e-agent-xiaomei"


@pytest.fixture
def agent_page(browser, live_server):
    """A second browser context, logged in as an agent (created with the live server)."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(15_000)
    p = context.new_page()
    live_server.login(p, AGENT)
    yield p
    context.close()


def test_shopper_is_handed_to_an_agent_and_back(live_server, page, agent_page, screenshot):
    shopper = page
    shopper.goto(f"{live_server.url}/assist/chat")
    expect(shopper.locator("h1")).to_have_text("客服试用")
    chat = shopper.locator("#assist-chat")
    # an attribute wait, not wait_for_function: the studio's CSP forbids the eval that needs
    expect(chat).to_have_attribute("data-session", re.compile(r".+"))
    sid = chat.get_attribute("data-session")

    shopper.fill("#chat-input", "转人工")
    shopper.click("#chat-send")
    expect(shopper.locator("li.msg-assistant .msg-text").last).to_have_text(HANDOFF)
    expect(shopper.locator("#chat-status")).to_have_text("排队等待人工")

    agent = agent_page
    agent.goto(f"{live_server.url}/assist/console")
    expect(agent.locator("h1")).to_have_text("客服工作台")
    row = agent.locator(f'#queue li[data-session="{sid}"]')
    expect(row).to_have_attribute("data-status", "queued")
    row.locator("button").click()
    expect(agent.locator("#conv-log li.msg-user .msg-text").first).to_have_text("转人工")
    agent.click("#take")
    expect(agent.locator("#conv-status")).to_have_text("人工客服接待中")
    expect(agent.locator("#reply-input")).to_be_enabled()
    agent.fill("#reply-input", "您好，我是客服小美")
    agent.click("#reply-send")
    expect(agent.locator("#conv-log li.msg-agent .msg-text")).to_have_text("您好，我是客服小美")
    screenshot(agent, "assist-console.png")

    expect(shopper.locator("li.msg-agent .msg-text")).to_have_text("您好，我是客服小美")  # polled in
    expect(shopper.locator("#chat-status")).to_have_text("人工客服接待中")
    screenshot(shopper, "assist-chat-human.png")

    agent.click("#release")
    expect(agent.locator("#conv-status")).to_have_text("智能客服")
    expect(row).to_have_count(0)  # no longer waiting for a human
    expect(agent.locator("#take")).to_be_hidden()  # nothing to take over after a hand-back
    expect(agent.locator("#release")).to_be_hidden()
    expect(agent.locator("#close")).to_be_hidden()
    expect(shopper.locator("#chat-status")).to_have_text("智能客服")

    shopper.fill("#chat-input", "纯棉T恤会缩水吗")
    shopper.click("#chat-send")
    answer = shopper.locator("li.msg-assistant").last
    expect(answer).to_have_attribute("data-route", "llm")
    expect(answer.locator(".sources li").first).to_be_visible()  # the sources under the answer
    assert answer.locator(".msg-text").inner_text().startswith("回声：")  # the fake model's echo
    expect(shopper.locator("#chat-status")).to_have_text("智能客服")


def test_an_agent_closes_a_conversation(live_server, page, agent_page, screenshot):
    shopper = page
    shopper.goto(f"{live_server.url}/assist/chat")
    expect(shopper.locator("#assist-chat")).to_have_attribute("data-session", re.compile(r".+"))
    sid = shopper.locator("#assist-chat").get_attribute("data-session")
    shopper.fill("#chat-input", "转人工")
    shopper.click("#chat-send")
    expect(shopper.locator("#chat-status")).to_have_text("排队等待人工")

    agent = agent_page
    agent.goto(f"{live_server.url}/assist/console")
    agent.locator(f'#queue li[data-session="{sid}"] button').click()
    expect(agent.locator("#take")).to_be_visible()
    agent.click("#take")
    expect(agent.locator("#conv-status")).to_have_text("人工客服接待中")
    expect(agent.locator("#take")).to_be_hidden()
    expect(agent.locator("#close")).to_be_visible()
    screenshot(agent, "assist-console-close.png")
    asked = []
    agent.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    agent.click("#close")
    expect(agent.locator("#conv-status")).to_have_text("已结束")
    assert asked == ["确定关闭这个会话吗？关闭后买家需要重新发起咨询。"]
    for button in ("#take", "#release", "#close", "#reply-form"):
        expect(agent.locator(button)).to_be_hidden()
    expect(agent.locator(f'#queue li[data-session="{sid}"]')).to_have_count(0)
    expect(shopper.locator("#chat-status")).to_have_text("已结束")
