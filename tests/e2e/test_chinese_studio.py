"""Issue 15 in a real browser: Chinese user and room names, changing one's own password, the
host's 403 page, 停用 asking first, local times in the audit log, Chinese API errors in studio.js,
and the console's 关闭 (接管 gone after hand-back)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import skip_unless_browser

skip_unless_browser()

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.conftest import VIEWPORT  # noqa: E402

pytestmark = pytest.mark.browser


def _logout(page):
    page.click(".logout-form button")
    page.wait_for_url(re.compile(r"/login$"))


def test_a_chinese_named_user_is_created_and_changes_the_one_time_password(live_server, anon_page, screenshot):
    page = anon_page
    live_server.login(page, "e2e-admin")
    page.goto(f"{live_server.url}/admin/users")
    page.fill('#user-form input[name="name"]', "小美 客服")
    page.select_option('#user-form select[name="role"]', "agent")
    page.click('#user-form button[type="submit"]')
    expect(page.locator("#notice")).to_have_text("✓ 已创建用户 小美 客服")
    once = page.locator("[data-secret]").inner_text().strip()
    expect(page.locator('tr[data-user="小美 客服"]')).to_be_visible()
    screenshot(page, "admin-users-chinese-name.png")

    page.fill('#user-form input[name="name"]', "客" * 70)  # the browser no longer cuts it at 64
    page.click('#user-form button[type="submit"]')
    expect(page.locator("#form-errors")).to_have_text("用户名：最多 64 个字符，现在是 70 个")
    _logout(page)

    live_server.login(page, "小美 客服", once)
    expect(page.locator("[data-user]")).to_have_text("小美 客服")
    page.click("#change-password")
    expect(page.locator("h1")).to_have_text("修改密码")
    page.fill('input[name="old_password"]', once)
    page.fill('input[name="new_password"]', "xiaomei-new-1")
    page.fill('input[name="new_password2"]', "xiaomei-new-2")
    page.click('#password-form button[type="submit"]')
    expect(page.locator("#form-errors")).to_have_text("确认新密码：两次输入的新密码不一致")
    page.fill('input[name="old_password"]', once)
    page.fill('input[name="new_password"]', "xiaomei-new-1")
    page.fill('input[name="new_password2"]', "xiaomei-new-1")
    page.click('#password-form button[type="submit"]')
    expect(page.locator("#notice")).to_contain_text("密码已修改")
    screenshot(page, "account-password.png")
    _logout(page)

    page.fill('input[name="name"]', "小美 客服")
    page.fill('input[name="password"]', once)
    page.click('#login-form button[type="submit"]')
    expect(page.locator("#login-error")).to_have_text("用户名或密码错误。")  # the one-time password is gone
    live_server.login(page, "小美 客服", "xiaomei-new-1")
    expect(page.locator("[data-user]")).to_have_text("小美 客服")


def test_a_host_opens_a_chinese_room_and_meets_a_chinese_403(live_server, anon_page, screenshot):
    page = anon_page
    live_server.login(page, "e2e-host")
    page.goto(f"{live_server.url}/live")
    page.fill("#room", "我的直播间 1")
    page.click("#open-room")
    expect(page.locator("#panel")).to_be_visible()
    expect(page.locator("#live-error")).to_be_hidden()
    assert "room=%E6%88%91" in page.url

    page.fill("#room", "直播/间")
    page.click("#open-room")
    expect(page.locator("#live-error")).to_have_text("直播间名称：只能包含中英文字母、数字、- _ 和中间的单个空格")
    screenshot(page, "live-room-chinese.png")

    page.goto(f"{live_server.url}/catalog")
    expect(page.locator("h1")).to_have_text("没有权限")
    expect(page.locator(".error-message")).to_have_text(
        "当前账号的角色（主播）无权使用这里，需要运营权限；如需使用请联系管理员"
    )
    screenshot(page, "host-403.png")


def test_studio_js_shows_only_chinese(live_server, page):
    page.goto(f"{live_server.url}/playground")
    said = page.evaluate(
        """async () => {
            const s = window.shopgenStudio;
            const body = (m) => JSON.stringify({ error: { type: "x", message: m, detail: null } });
            return [
                await s.errorMessage(new Response(body("文案内容：不能为空"), { status: 422 })),
                await s.errorMessage(new Response(body("session abc is held by user:x"), { status: 409 })),
                await s.errorMessage(new Response(body("no active products in category 女装 to write copy for"), { status: 404 })),
                await s.errorMessage(new Response(body("商品 FZ-1001 已下架"), { status: 409 })),
                await s.errorMessage(new Response("<html>proxy</html>", { status: 502 })),
                s.errorText(new TypeError("Failed to fetch")),
                s.errorText({ type: "backend_error", message: "model crashed" }),
            ];
        }"""
    )
    assert said == [
        "文案内容：不能为空",
        "与已有数据冲突，请刷新后再试",
        "找不到要操作的内容",  # English quoting Chinese input is still English
        "商品 FZ-1001 已下架",
        "服务暂时不可用，请稍后再试",
        "无法连接服务，请检查网络后重试",
        "模型或后端服务出错了，请稍后再试",
    ]
    page.fill("#prompt", "好" * 8001)  # no longer cut by the browser: the server answers
    page.click("#send")
    expect(page.locator("#chat-error")).to_have_text("提示词：最多 8000 个字符")
    page.fill("#prompt", "你好")
    page.fill("#max-tokens", "5000")  # no browser bubble (in the browser's language): the server answers
    page.click("#send")
    expect(page.locator("#chat-error")).to_have_text("最大长度：不能大于 2048")

    page.goto(f"{live_server.url}/copy")
    page.fill("#batch-limit", "0")  # used to mean "no limit", silently
    page.click("#batch-start")
    expect(page.locator("#batch-error")).to_have_text("数量上限：不能小于 1")


def test_deactivating_asks_and_the_audit_log_shows_local_time(live_server, browser, screenshot):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="America/New_York")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        live_server.login(page, "e2e-admin")
        page.goto(f"{live_server.url}/admin/users")
        page.fill('#user-form input[name="name"]', "临时 运营")
        page.click('#user-form button[type="submit"]')
        row = page.locator('tr[data-user="临时 运营"]')
        asked = []
        page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
        row.get_by_role("button", name="停用").click()
        expect(row.locator(".status")).to_have_text("启用")  # dismissed: nothing happened
        assert asked == ["确定停用用户“临时 运营”吗？停用后其登录会立即失效，可以再启用。"]
        page.once("dialog", lambda d: d.accept())
        page.locator('tr[data-user="临时 运营"]').get_by_role("button", name="停用").click()
        expect(page.locator("#notice")).to_have_text("✓ 账号已停用")

        page.goto(f"{live_server.url}/admin/audit?action=user.")
        expect(page.locator("#audit thead [data-tz-label]")).to_have_text(re.compile(r"（本地时间 UTC-[45]）"))
        first = page.locator("#audit tbody tr").first.locator("time")
        utc = first.get_attribute("datetime")
        assert utc.endswith("Z")  # a stamp without an offset would be read as local time
        at = datetime.fromisoformat(utc.replace("Z", "+00:00"))
        expect(first).to_have_text(at.astimezone(ZoneInfo("America/New_York")).strftime("%Y-%m-%d %H:%M:%S"))
        expect(page.locator('#audit tr[data-action="user.update"]').first).to_contain_text("active=是 → 否")
        screenshot(page, "admin-audit-local-time.png")
    finally:
        context.close()
