"""The studio in a real browser (Debian's Chromium through Playwright): catalog editing,
validation messages, the variant table's JavaScript, deleting, and the streaming playground."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from tests.e2e.conftest import skip_unless_browser

skip_unless_browser()

from playwright.sync_api import expect  # noqa: E402  (only importable when the skip above did not happen)

from shopgen.store import catalog  # noqa: E402
from shopgen.store.schemas import ProductIn  # noqa: E402


@pytest.fixture
def tee(live_server) -> dict:
    """A fresh product of our own in the live shop: {"id", "sku", "title"}."""
    sku = f"E2E-{uuid.uuid4().hex[:8].upper()}"
    data = {
        "sku": sku,
        "title": f"测试短袖 {sku}",
        "category": "服装",
        "price": "79.00",
        "attributes": {"面料": "纯棉"},
        "variants": [
            {"sku": f"{sku}-M", "color": "白色", "size": "M", "stock": 10},
            {"sku": f"{sku}-L", "color": "白色", "size": "L", "stock": 3},
        ],
        "size_chart": {
            "rows": [
                {"size": "M", "height": [160, 170], "weight": [55, 65], "measurements": {"胸围": 100}},
                {"size": "L", "height": [170, 180], "weight": [65, 75], "measurements": {"胸围": 106}},
            ]
        },
    }
    with live_server.db.session() as s:
        pid = catalog.create(s, ProductIn.model_validate(data)).id
    return {"id": pid, "sku": sku, "title": data["title"]}


def api_product(page, live_server, pid: int) -> dict:
    r = page.request.get(f"{live_server.url}/api/catalog/products/{pid}")
    assert r.status == 200
    return r.json()


@pytest.mark.browser
def test_edit_price_and_stock_persists(live_server, page, tee, screenshot):
    page.goto(f"{live_server.url}/catalog")
    expect(page.locator("h1")).to_have_text("商品")
    screenshot(page, "catalog.png")

    page.fill('input[name="q"]', tee["sku"])
    page.click('button:has-text("筛选")')
    expect(page.locator("a.product-link")).to_have_count(1)
    page.click(f'a.product-link:has-text("{tee["title"]}")')
    expect(page).to_have_url(f"{live_server.url}/catalog/{tee['id']}")
    expect(page.locator("#size-chart")).to_contain_text("160–170")

    page.fill('input[name="price"]', "88.80")
    page.locator('input[name="v_stock"]').nth(1).fill("42")
    page.click("#save")
    expect(page).to_have_url(f"{live_server.url}/catalog/{tee['id']}?saved=1")
    expect(page.locator("#notice")).to_contain_text("已保存")
    screenshot(page, "product.png")

    page.reload()
    expect(page.locator('input[name="price"]')).to_have_value("88.80")
    expect(page.locator('input[name="v_stock"]').nth(1)).to_have_value("42")
    expect(page.locator('[data-fact="stock"]')).to_have_text("52")
    p = api_product(page, live_server, tee["id"])
    assert p["price"] == "88.80"
    assert [(v["sku"], v["stock"]) for v in p["variants"]] == [(f"{tee['sku']}-M", 10), (f"{tee['sku']}-L", 42)]


@pytest.mark.browser
def test_a_price_change_warns_about_variants_at_the_old_price(live_server, page, screenshot):
    """FZ-1001 in the demo: 20 variants each priced 69.00. Changing the product to 65 warns, and
    one click lets the variants follow the product's price."""
    with live_server.db.session() as s:
        pid = catalog.get_by_sku(s, "FZ-1001").id
    page.goto(f"{live_server.url}/catalog/{pid}")
    expect(page.locator("#price-warning")).to_have_count(0)
    page.fill('input[name="price"]', "65")
    page.click("#save")
    warning = page.locator("#price-warning")
    expect(warning).to_contain_text("价格不一致")
    expect(warning).to_contain_text("69.00")
    expect(page.locator("#sync-variant-prices")).to_contain_text("跟随商品价格（¥65.00）")
    n = int(re.search(r"有 (\d+) 个规格", warning.inner_text()).group(1))
    assert n >= 1
    screenshot(page, "product-price-warning.png")

    page.click("#sync-variant-prices")
    expect(page.locator("#notice")).to_contain_text(f"已把 {n} 个规格改为跟随商品价格")
    expect(page.locator("#price-warning")).to_have_count(0)
    p = api_product(page, live_server, pid)
    assert p["price"] == "65.00" and all(v["price"] != "69.00" for v in p["variants"])
    # back as it was, for the other tests sharing the live shop
    page.fill('input[name="price"]', "69.00")
    page.click("#save")
    expect(page.locator("#notice")).to_contain_text("已保存")


@pytest.mark.browser
def test_invalid_price_shows_message_and_saves_nothing(live_server, page, tee, screenshot):
    page.goto(f"{live_server.url}/catalog/{tee['id']}")
    page.fill('input[name="title"]', "不该被保存的标题")
    page.fill('input[name="price"]', "-3")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("#save")
    assert posted.value.status == 422
    expect(page.locator("#form-errors")).to_contain_text("价格：必须是不小于 0 的数字")
    expect(page.locator('input[name="price"]')).to_have_value("-3")  # what was typed stays
    expect(page.locator('input[name="title"]')).to_have_value("不该被保存的标题")
    p = api_product(page, live_server, tee["id"])
    assert (p["price"], p["title"]) == ("79.00", tee["title"])

    page.fill('input[name="price"]', "79.00")
    page.fill('textarea[name="size_chart"]', "M 160-170 55-65\nL 一七零")
    page.click("#save")
    expect(page.locator("#form-errors")).to_contain_text("尺码表第 2 行：身高范围应写成 160-170")
    assert api_product(page, live_server, tee["id"])["size_chart"]["rows"][1]["height"] == [170, 180]
    screenshot(page, "product_invalid.png")

    page.goto(f"{live_server.url}/catalog/987654")
    expect(page.locator(".error-code")).to_have_text("404")
    expect(page.locator(".error-message")).to_have_text("商品 987654 不存在，可能已被删除")
    screenshot(page, "not_found.png")


@pytest.mark.browser
def test_variant_rows_can_be_added_and_removed(live_server, page, tee):
    page.goto(f"{live_server.url}/catalog/{tee['id']}")
    rows = page.locator("#variants tbody tr")
    expect(rows).to_have_count(5)  # two variants and three empty rows
    page.click("[data-add-row]")
    expect(rows).to_have_count(6)
    expect(rows.nth(5).locator("[data-row-no]")).to_have_text("6")
    rows.nth(0).locator("[data-remove-row]").click()  # drop the M variant
    expect(rows).to_have_count(5)
    expect(rows.nth(0).locator("[data-row-no]")).to_have_text("1")
    new = rows.nth(4)
    new.locator('input[name="v_sku"]').fill(f"{tee['sku']}-BL")
    new.locator('input[name="v_color"]').fill("黑色")
    new.locator('input[name="v_size"]').fill("L")
    new.locator('input[name="v_price"]').fill("85")
    new.locator('input[name="v_stock"]').fill("7")
    page.click("#save")
    expect(page.locator("#notice")).to_contain_text("已保存")
    variants = api_product(page, live_server, tee["id"])["variants"]
    assert [(v["sku"], v["color"], v["price"], v["stock"]) for v in variants] == [
        (f"{tee['sku']}-L", "白色", None, 3),
        (f"{tee['sku']}-BL", "黑色", "85.00", 7),
    ]


@pytest.mark.browser
def test_delete_asks_first(live_server, page, tee):
    page.goto(f"{live_server.url}/catalog/{tee['id']}")
    messages = []

    def answer(dialog, accept):
        messages.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.click('button:has-text("删除商品")')
    expect(page).to_have_url(f"{live_server.url}/catalog/{tee['id']}")
    assert api_product(page, live_server, tee["id"])["sku"] == tee["sku"]

    page.once("dialog", lambda d: answer(d, True))
    page.click('button:has-text("删除商品")')
    expect(page.locator(".notice-ok")).to_have_text(f"已删除商品 {tee['sku']}")
    assert all(tee["title"] in m for m in messages) and len(messages) == 2
    assert page.request.get(f"{live_server.url}/api/catalog/products/{tee['id']}").status == 404


@pytest.mark.browser
def test_pages_render_chinese_and_take_screenshots(live_server, page, tee, screenshot):
    page.goto(f"{live_server.url}/")
    expect(page.locator("h1")).to_have_text("店铺概览")
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"')")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    nav = page.locator("nav.nav a")
    expect(nav).to_have_text(
        [
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
    )
    screenshot(page, "dashboard.png")
    page.click('nav.nav a:has-text("商品")')
    expect(page).to_have_url(f"{live_server.url}/catalog")
    expect(page.locator("nav.nav a.active")).to_have_text("商品")
    first = page.locator("a.product-link").first  # a demo product when the demo shop is loaded
    title = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_contain_text(title)
    expect(page.locator("#product-form")).to_be_visible()
    screenshot(page, "product_demo.png")


@pytest.mark.browser
def test_playground_streams_tokens(live_server, page, screenshot):
    page.goto(f"{live_server.url}/playground")
    page.fill("#prompt", "给白色纯棉T恤写一句卖点")
    page.click("#send")
    expect(page.locator("#output")).to_have_text("回声：给白色纯棉T恤写一句卖点")
    expect(page.locator("#meta")).to_contain_text("模型 fake-echo")
    expect(page.locator("#meta")).to_contain_text(re.compile(r"用时 \d+\.\d\d 秒 · 15 段"))
    expect(page.locator("#chat-error")).to_be_hidden()
    expect(page.locator("#send")).to_be_enabled()
    screenshot(page, "playground.png")


@pytest.mark.browser
def test_playground_shows_errors(live_server, page):
    page.goto(f"{live_server.url}/playground")
    failure = {"error": {"type": "backend_error", "message": "模型文件不存在", "detail": None}}
    page.route("**/api/llm/chat", lambda route: route.fulfill(status=503, json=failure))
    page.fill("#prompt", "你好")
    page.click("#send")
    expect(page.locator("#chat-error")).to_have_text("模型文件不存在")  # no technical "HTTP 503" prefix

    stream = (
        'event: token\ndata: {"text": "半"}\n\nevent: error\ndata: '
        + json.dumps({"error": {"type": "backend_error", "message": "生成中断", "detail": None}}, ensure_ascii=False)
        + "\n\n"
    )
    page.unroute("**/api/llm/chat")
    page.route(
        "**/api/llm/chat",
        lambda route: route.fulfill(status=200, body=stream, headers={"content-type": "text/event-stream"}),
    )
    page.click("#send")
    expect(page.locator("#chat-error")).to_have_text("生成失败：生成中断")
    expect(page.locator("#output")).to_have_text("半")
