"""Logging in and out in a real browser, and what each role may open."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import skip_unless_browser

skip_unless_browser()

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.conftest import PASSWORD  # noqa: E402

pytestmark = pytest.mark.browser


def test_login_see_catalog_logout(live_server, anon_page, screenshot):
    page = anon_page
    page.goto(f"{live_server.url}/catalog")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fcatalog$"))
    expect(page.locator("h1")).to_have_text("登录创作台")
    screenshot(page, "login.png")

    page.fill('input[name="name"]', "e2e-operator")
    page.fill('input[name="password"]', "wrong-password")
    page.click('#login-form button[type="submit"]')
    expect(page.locator("#login-error")).to_have_text("用户名或密码错误。")

    page.fill('input[name="password"]', PASSWORD)
    page.click('#login-form button[type="submit"]')
    expect(page).to_have_url(f"{live_server.url}/catalog")  # back where we wanted to go
    expect(page.locator("[data-user]")).to_have_text("e2e-operator")
    expect(page.locator("[data-role]")).to_have_text("运营")
    expect(page.locator("table#products tbody tr").first).to_be_visible()
    assert page.locator(".nav a").all_inner_texts() == [
        "概览",
        "商品",
        "模型试用",
        "评论洞察",
        "用户洞察",
        "推荐",
        "商品文案",
        "视觉工坊",
        "库存",
        "客服试用",
        "待审 FAQ",
        "数据标注",
    ]
    cookie = next(c for c in page.context.cookies() if c["name"] == "shopgen_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    page.click(".logout-form button")
    expect(page).to_have_url(f"{live_server.url}/login")
    page.goto(f"{live_server.url}/catalog")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fcatalog$"))


def test_operator_cannot_open_admin_pages(live_server, page):
    response = page.goto(f"{live_server.url}/admin/users")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("没有权限")
    assert "用户" not in page.locator(".nav a").all_inner_texts()
    expect(page.locator('.nav a[href^="/admin"]')).to_have_count(0)
    expect(page.locator("details[data-nav-menu]")).to_have_count(0)


def test_admin_creates_key_once_and_revokes_it(live_server, anon_page, screenshot):
    page = anon_page
    live_server.login(page, "e2e-admin")
    menu = page.locator("details[data-nav-menu]")
    expect(menu.locator("a")).to_have_count(3)
    assert "API 密钥" not in page.locator(".nav").inner_text()  # admin pages sit in the 「管理」 menu
    menu.locator("summary").click()
    expect(menu.locator("a")).to_have_text(["用户", "API 密钥", "审计日志"])
    page.locator("h1").click()  # a click elsewhere closes the menu
    expect(menu.locator("a").first).to_be_hidden()
    menu.locator("summary").click()
    menu.locator('a:has-text("API 密钥")').click()
    expect(page).to_have_url(f"{live_server.url}/admin/keys")
    expect(menu.locator("summary")).to_have_class("active")
    page.fill('#key-form input[name="name"]', "直播评论接入")
    page.select_option('#key-form select[name="role"]', "ingest")
    page.click('#key-form button[type="submit"]')
    key = page.locator("[data-secret]").inner_text()
    assert re.fullmatch(r"sg_[a-z0-9]{8}_[A-Za-z0-9_-]{43}", key)
    screenshot(page, "admin-keys.png")
    key_id = key.split("_")[1]
    page.goto(f"{live_server.url}/admin/keys")
    assert key not in page.content()  # shown once only
    page.once("dialog", lambda d: d.accept())
    page.click(f'tr[data-key="{key_id}"] button')
    expect(page.locator("#notice")).to_contain_text("密钥已吊销")
    expect(page.locator(f'tr[data-key="{key_id}"]')).to_contain_text("已吊销")
