"""The web studio through FastAPI's TestClient: pages, the product form, errors and links.

Form posts are built from the rendered HTML (``scrape_form``), the way a browser would send
them, so a field the template forgets or renders wrongly fails here.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from shopgen.core.settings import Settings
from shopgen.demo import loader
from shopgen.server import create_app
from shopgen.store import catalog
from shopgen.store.models import KBEntry, Order
from shopgen.store.schemas import ProductIn
from tests.auth import page_csrf, studio

HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}

TEE = {
    "sku": "T-TEE-01",
    "title": "纯棉宽松T恤",
    "category": "服装",
    "brand": "棉语",
    "price": "99.00",
    "description": "夏季基础款。",
    "attributes": {"面料": "纯棉", "版型": "宽松"},
    "variants": [
        {"sku": "T-TEE-01-W-M", "color": "白色", "size": "M", "stock": 12},
        {"sku": "T-TEE-01-W-L", "color": "白色", "size": "L", "stock": 0},
        {"sku": "T-TEE-01-B-M", "color": "黑色", "size": "M", "price": "109.00", "stock": 5},
    ],
    "images": [{"url": "/static/favicon.svg", "alt": "正面"}],
    "size_chart": {
        "unit": "cm",
        "rows": [
            {"size": "M", "height": [160, 170], "weight": [55, 65], "measurements": {"胸围": 100, "衣长": 68}},
            {"size": "L", "height": [170, 180], "weight": [65, 75], "measurements": {"胸围": 106, "衣长": 71.5}},
        ],
    },
}
LIPSTICK = {
    "sku": "T-LIP-01",
    "title": "丝绒雾面口红",
    "category": "美妆",
    "price": "129.00",
    "status": "draft",
    "variants": [{"sku": "T-LIP-01-RED", "color": "正红", "stock": 40}],
}
DEMO_READY = all((loader.DATA / f).exists() for f in ("products.jsonl", "kb.jsonl", "orders.jsonl"))


def _make_app(tmp_path, *, demo: bool):
    app = create_app(Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake"))
    if demo and DEMO_READY:
        loader.load_demo(app.state.db)
    ids = {}
    with app.state.db.session() as s:
        for data in (TEE, LIPSTICK):
            ids[data["sku"]] = catalog.create(s, ProductIn.model_validate(data)).id
    return app, ids


@pytest.fixture
def shop(tmp_path):
    """(client, app, {sku: id}) with the demo shop when its data exists, plus two known products."""
    app, ids = _make_app(tmp_path, demo=True)
    with studio(app, "operator") as client:  # logged in through the form
        yield client, app, ids
    app.state.db.dispose()


def product(app, product_id: int) -> dict:
    with app.state.db.session() as s:
        d = catalog.to_dict(catalog.get(s, product_id))
    d.pop("updated_at")
    return d


class _Form(HTMLParser):
    """Collects what a browser would submit from one form: inputs, textareas, selected options."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.in_template = form_id, False, 0
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        if tag == "input" and a.get("name") and a.get("type", "text") not in ("submit", "button"):
            self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag):
        if tag == "template" and self.in_template:
            self.in_template -= 1
        elif tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text))
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [v for v, sel in self._options if sel] or [self._options[0][0]]
            self.fields.append((self._select, chosen[0]))
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data


def scrape_form(html: str, form_id: str = "product-form") -> dict[str, list[str]]:
    parser = _Form(form_id)
    parser.feed(html)
    out: dict[str, list[str]] = {}
    for name, value in parser.fields:
        out.setdefault(name, []).append(value)
    return out


def edit_form(client, product_id: int) -> dict[str, list[str]]:
    r = client.get(f"/catalog/{product_id}")
    assert r.status_code == 200
    return scrape_form(r.text)


def nav_links(html: str) -> list[str]:
    """The header's links: the main navigation, then the admin 「管理」 menu (when shown)."""
    nav = re.search(r'<nav class="nav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    menu = re.search(r'<details class="nav-menu"[^>]*>(.*?)</details>', html, re.S)
    return re.findall(r'href="([^"]+)"', nav + (menu.group(1) if menu else ""))


# ---- pages --------------------------------------------------------------------------------


def test_pages_render_in_chinese(shop):
    client, _, ids = shop
    expected = {
        "/": ["店铺概览", "类目分布", "订单状态", "低库存规格", "知识库条目"],
        "/catalog?q=T-": ["纯棉宽松T恤", "丝绒雾面口红", "全部类目", "搜索", "在售", "草稿"],
        f"/catalog/{ids['T-TEE-01']}": ["基本信息", "规格与库存", "尺码表", "保存", "删除商品"],
        "/catalog/new": ["新建商品", "创建商品"],
        "/playground": ["模型试用", "提示词", "生成", 'data-endpoint="/api/llm/chat"'],
    }
    for path, texts in expected.items():
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        assert '<html lang="zh-CN">' in r.text
        assert "shopgen v0.1.0" in r.text  # footer version
        for text in texts:
            assert text in r.text, (path, text)


def test_nav_lists_only_working_pages(shop):
    client, _, ids = shop
    for page in ("/", "/catalog", f"/catalog/{ids['T-TEE-01']}", "/playground", "/no-such-page"):
        links = nav_links(client.get(page).text)
        assert links == [
            "/",
            "/catalog",
            "/playground",
            "/insight",
            "/behaviour",
            "/recommend",
            "/copy",
            "/visual",
            "/inventory",
            "/assist/chat",
            "/assist/candidates",
            "/labelling",
        ]
    footer = re.search(r'<footer class="footer">(.*?)</footer>', client.get("/").text, re.S).group(1)
    for href in ["/", "/catalog", "/playground", *re.findall(r'href="([^"]+)"', footer)]:
        assert client.get(href).status_code == 200, href


def test_nav_marks_current_page(shop):
    client, _, ids = shop
    html = client.get(f"/catalog/{ids['T-LIP-01']}").text
    assert '<a href="/catalog" class="active" aria-current="page">商品</a>' in html
    assert '<a href="/" class="active"' not in html


def test_assets_are_local(shop):
    client, *_ = shop
    assert client.get("/static/favicon.svg").status_code == 200
    for path in ("/static/studio.css", "/static/studio.js"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", r.text) and "@import" not in r.text, path
    css = client.get("/static/studio.css").text
    assert '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;' in css
    for page in ("/", "/catalog", "/playground"):
        assert not re.search(r'(src|href)="(https?:)?//', client.get(page).text), page


def test_dashboard_figures(tmp_path):
    app, ids = _make_app(tmp_path, demo=False)
    with app.state.db.session() as s:
        s.add_all(
            [
                KBEntry(kind="faq", topic="发货", question="多久发货？", answer="48 小时内。"),
                KBEntry(kind="policy", topic="退货", question="七天无理由", answer="支持。"),
            ]
        )
        for no, status in (("A1", "shipped"), ("A2", "shipped"), ("A3", "paid")):
            s.add(
                Order(
                    order_no=no, customer_name="张三", phone="138", address="上海", status=status, total=Decimal("99")
                )
            )
    with studio(app, "operator") as client:
        html = client.get("/").text
    stat = dict(re.findall(r'data-stat="(\w+)">([^<]+)<', html))
    assert stat == {"products": "2", "stock": "57", "low": "2", "kb": "2", "orders": "3"}
    assert "常见问题 1 · 店铺政策 1" in html
    assert re.search(r"已发货</span>.*?<span class=\"bar-value\">2</span>", html, re.S)
    assert re.search(r"待发货</span>.*?<span class=\"bar-value\">1</span>", html, re.S)
    low = re.search(r'<table class="table" id="low-stock">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(r"<code>([^<]+)</code>", low)
    assert rows == ["T-TEE-01-W-L", "T-TEE-01-B-M"]  # emptiest first
    assert "缺货" in low and f'href="/catalog/{ids["T-TEE-01"]}"' in low


def test_catalog_table_labels_and_filters(shop):
    client, _, ids = shop
    r = client.get("/catalog", params={"q": "T-"})
    assert r.status_code == 200
    row = re.search(r"<tr>\s*<td class=\"thumb-col\">.*?T-TEE-01.*?</tr>", r.text, re.S).group(0)
    assert 'src="/static/favicon.svg"' in row
    assert "¥99.00" in row and "服装" in row and "在售" in row
    assert re.search(r'<td class="num">\s*17\s*</td>', row)  # total stock 12 + 0 + 5
    lip = client.get("/catalog", params={"q": "T-LIP"}).text
    assert "草稿" in lip and "纯棉宽松T恤" not in lip
    beauty = client.get("/catalog", params={"category": "美妆", "q": "T-"}).text
    assert "丝绒雾面口红" in beauty and "纯棉宽松T恤" not in beauty
    assert "没有符合条件的商品" in client.get("/catalog", params={"q": "不存在的商品名"}).text


def test_catalog_pagination(tmp_path):
    app, _ = _make_app(tmp_path, demo=False)
    with app.state.db.session() as s:
        for i in range(23):
            data = ProductIn(sku=f"P-{i:02d}", title=f"商品{i:02d}", category="家居", price="1", status="archived")
            catalog.create(s, data)
    with studio(app, "operator") as client:
        first = client.get("/catalog").text
        second = client.get("/catalog", params={"page": 2}).text
        filtered = client.get("/catalog", params={"category": "家居", "page": 2}).text
    count = lambda html: len(re.findall(r'class="product-link"', html))  # noqa: E731
    assert count(first) == 20 and count(second) == 5
    assert "第 1 / 2 页" in first and 'href="/catalog?page=2"' in first
    assert "已下架" in first
    assert count(filtered) == 3 and "第 2 / 2 页" in filtered
    assert 'href="/catalog?category=%E5%AE%B6%E5%B1%85&amp;page=1"' in filtered


def test_product_page_shows_size_chart_and_form(shop):
    client, _, ids = shop
    html = client.get(f"/catalog/{ids['T-TEE-01']}").text
    chart = re.search(r'<table class="table table-compact" id="size-chart">(.*?)</table>', html, re.S).group(1)
    assert "胸围（cm）" in chart and "160–170" in chart and "71.5" in chart
    form = scrape_form(html)
    assert form["title"] == ["纯棉宽松T恤"] and form["price"] == ["99.00"] and form["category"] == ["服装"]
    assert form["size_chart"] == ["M 160-170 55-65 胸围=100 衣长=68\nL 170-180 65-75 胸围=106 衣长=71.5"]
    assert form["attributes"] == ["面料=纯棉\n版型=宽松"]
    assert form["images"] == ["/static/favicon.svg 正面"]
    assert form["v_sku"] == ["T-TEE-01-W-M", "T-TEE-01-W-L", "T-TEE-01-B-M", "", "", ""]  # 3 empty rows
    assert form["v_price"][:3] == ["", "", "109.00"]
    assert "sku" not in form  # the product SKU is not editable


def test_saving_untouched_form_changes_nothing(shop):
    client, app, ids = shop
    for product_id in ids.values():
        before = product(app, product_id)
        r = client.post(f"/catalog/{product_id}", data=edit_form(client, product_id), follow_redirects=False)
        assert r.status_code == 303
        assert product(app, product_id) == before


@pytest.mark.skipif(not DEMO_READY, reason="the demo shop data (src/shopgen/demo/data) is not written yet")
def test_every_demo_product_renders_and_round_trips(shop):
    client, app, _ = shop
    with app.state.db.session() as s:
        items, total = catalog.list_products(s, limit=1000)
        ids = [p.id for p in items]
    assert f"共 <strong data-total>{total}</strong> 件" in client.get("/catalog").text
    for product_id in ids:
        before = product(app, product_id)
        r = client.post(f"/catalog/{product_id}", data=edit_form(client, product_id), follow_redirects=False)
        assert r.status_code == 303, (before["sku"], r.text[:2000])
        assert product(app, product_id) == before


# ---- editing ------------------------------------------------------------------------------


def test_valid_edit_is_saved(shop):
    client, app, ids = shop
    pid = ids["T-TEE-01"]
    form = edit_form(client, pid)
    form["price"] = ["89.90"]
    form["title"] = ["纯棉宽松T恤 2025 新款"]
    form["status"] = ["archived"]
    form["v_stock"][1] = "30"
    form["v_sku"][3], form["v_color"][3], form["v_size"][3], form["v_stock"][3] = "T-TEE-01-B-L", "黑色", "L", "8"
    form["attributes"] = ["面料=纯棉\n版型=宽松\n产地=新疆"]
    r = client.post(f"/catalog/{pid}", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/catalog/{pid}?saved=1"
    saved = client.get(r.headers["location"]).text
    assert "已保存" in saved and "¥89.90" in saved
    p = product(app, pid)
    assert p["price"] == "89.90" and p["title"] == "纯棉宽松T恤 2025 新款" and p["status"] == "archived"
    assert [(v["sku"], v["stock"]) for v in p["variants"]] == [
        ("T-TEE-01-W-M", 12),
        ("T-TEE-01-W-L", 30),
        ("T-TEE-01-B-M", 5),
        ("T-TEE-01-B-L", 8),
    ]
    assert p["attributes"]["产地"] == "新疆"
    assert client.get(f"/api/catalog/products/{pid}").json()["price"] == "89.90"


def test_blank_sku_row_is_dropped_and_blank_chart_removes_it(shop):
    client, app, ids = shop
    pid = ids["T-TEE-01"]
    form = edit_form(client, pid)
    form["v_sku"][2] = ""  # remove the black M
    form["size_chart"] = [""]
    assert client.post(f"/catalog/{pid}", data=form, follow_redirects=False).status_code == 303
    p = product(app, pid)
    assert [v["sku"] for v in p["variants"]] == ["T-TEE-01-W-M", "T-TEE-01-W-L"]
    assert p["size_chart"] is None
    assert "这个商品没有尺码表" in client.get(f"/catalog/{pid}").text


INVALID = [
    ("price", None, "-5", "价格：必须是不小于 0 的数字"),
    ("price", None, "九十九", "价格：必须是不小于 0 的数字"),
    ("price", None, "9.999", "价格：最多两位小数"),
    ("price", None, "", "价格：不能为空"),
    ("title", None, "  ", "标题：不能为空"),
    ("status", None, "sold", "状态：请选择 在售、草稿 或 已下架"),
    ("size_chart", None, "M 160-170 55-65 胸围=100\nL 170到180 65-75", "尺码表第 2 行：身高范围应写成 160-170"),
    ("size_chart", None, "M 160-170 55-65\nL 170-180 75-65", "尺码表第 2 行：体重范围应先小后大"),
    ("size_chart", None, "M 160-170 55-65 胸围=宽松\nL", "尺码表第 1 行：“胸围=宽松”应写成 名称=数值"),
    ("size_chart", None, "M 160-170\nM 170-180\nL", "尺码表第 2 行：尺码“M”与第 1 行重复"),
    ("size_chart", None, "M 160-170 55-65", "尺码表：缺少在售尺码 L"),
    ("attributes", None, "面料=纯棉\n宽松", "属性第 2 行：应写成 名称=值"),
    ("v_stock", 0, "-1", "规格第 1 行 库存：必须是不小于 0 的整数"),
    ("v_price", 1, "abc", "规格第 2 行 价格：必须是不小于 0 的数字"),
    ("v_sku", 1, "T-TEE-01-W-M", "规格第 2 行：SKU T-TEE-01-W-M 与第 1 行重复"),
    ("v_sku", 2, "带 空格", "规格第 3 行 SKU：只能由字母、数字和 - _ . 组成"),
    ("v_sku", 2, "T-LIP-01-RED", "规格 SKU T-LIP-01-RED 已被其他商品使用"),  # raised by the store
]


@pytest.mark.parametrize(("field", "index", "value", "message"), INVALID, ids=[m for *_, m in INVALID])
def test_invalid_input_is_422_with_message_and_saves_nothing(shop, field, index, value, message):
    client, app, ids = shop
    pid = ids["T-TEE-01"]
    before = product(app, pid)
    form = edit_form(client, pid)
    form["title"] = ["改过但不该保存的标题"]
    if index is None:
        form[field] = [value]
    else:
        form[field][index] = value
    r = client.post(f"/catalog/{pid}", data=form, follow_redirects=False)
    assert r.status_code == 422
    assert message in r.text
    assert "未保存" in r.text
    kept = scrape_form(r.text)
    assert kept["title"] == [value if field == "title" else "改过但不该保存的标题"]  # typed values come back
    assert len(kept["v_sku"]) == 3 + 3  # the typed rows, then fresh empty ones (not piling up)
    assert (kept[field] if index is None else kept[field][index : index + 1]) == [value] or field == "status"
    assert product(app, pid) == before


def test_several_problems_are_listed_together(shop):
    client, app, ids = shop
    form = edit_form(client, ids["T-TEE-01"])
    form["price"], form["attributes"] = ["-1"], ["没有等号"]
    form["v_stock"][0] = "很多"
    html = client.post(f"/catalog/{ids['T-TEE-01']}", data=form).text
    items = re.findall(r"<li>([^<]+)</li>", re.search(r'id="form-errors">(.*?)</div>', html, re.S).group(1))
    assert items == [
        "价格：必须是不小于 0 的数字",
        "属性第 1 行：应写成 名称=值，如 面料=纯棉",
        "规格第 1 行 库存：必须是不小于 0 的整数",
    ]


def test_everything_is_escaped(shop):
    client, app, ids = shop
    pid = ids["T-LIP-01"]
    form = edit_form(client, pid)
    evil = '<script>alert("x")</script>'
    form["title"], form["description"] = [evil], [f"</textarea>{evil}"]
    assert client.post(f"/catalog/{pid}", data=form, follow_redirects=False).status_code == 303
    for page in (f"/catalog/{pid}", "/catalog?q=T-LIP"):
        html = client.get(page).text
        assert evil not in html and "&lt;script&gt;" in html
    form["price"] = ["-1"]  # the 422 re-render escapes typed values too
    assert evil not in client.post(f"/catalog/{pid}", data=form).text


# ---- create, delete, not found ----------------------------------------------------------------


def test_create_then_delete(shop):
    client, app, _ = shop
    form = scrape_form(client.get("/catalog/new").text)
    form.update(sku=["T-MUG-01"], title=["陶瓷马克杯"], price=["39"], category=["家居"], attributes=["容量=350ml"])
    form["v_sku"][0], form["v_color"][0], form["v_stock"][0] = "T-MUG-01-W", "白色", "20"
    r = client.post("/catalog/new", data=form, follow_redirects=False)
    assert r.status_code == 303
    pid = int(re.fullmatch(r"/catalog/(\d+)\?created=1", r.headers["location"]).group(1))
    assert "已创建" in client.get(r.headers["location"]).text
    p = product(app, pid)
    assert (p["sku"], p["price"], p["category"], p["stock"]) == ("T-MUG-01", "39.00", "家居", 20)

    again = client.post("/catalog/new", data=form, follow_redirects=False)
    assert again.status_code == 422 and "商品 SKU T-MUG-01 已存在" in again.text
    bad = client.post("/catalog/new", data={**form, "sku": ["杯子"]}, follow_redirects=False)
    assert bad.status_code == 422 and "SKU：只能由字母、数字和 - _ . 组成" in bad.text

    gone = client.post(f"/catalog/{pid}/delete", data={"csrf_token": page_csrf(client)}, follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"] == "/catalog?deleted=T-MUG-01"
    assert "已删除商品 T-MUG-01" in client.get(gone.headers["location"]).text
    assert client.get(f"/catalog/{pid}").status_code == 404


def test_delete_form_asks_for_confirmation(shop):
    client, _, ids = shop
    html = client.get(f"/catalog/{ids['T-TEE-01']}").text
    assert re.search(rf'action="/catalog/{ids["T-TEE-01"]}/delete"\s+data-confirm="确定删除商品', html)


def test_unknown_product_is_a_404_page(shop):
    client, *_ = shop
    token = page_csrf(client)
    for r in (client.get("/catalog/999999"), client.post("/catalog/999999", data={"title": "x", "csrf_token": token})):
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("text/html")
        assert "找不到这个页面" in r.text and "商品 999999 不存在" in r.text
        assert '<a class="btn btn-primary" href="/">返回概览</a>' in r.text
    assert client.post("/catalog/999999/delete", data={"csrf_token": token}).status_code == 404
    assert client.get("/catalog/abc").status_code == 404
    api = client.get("/api/catalog/products/999999")
    assert api.status_code == 404 and api.json()["error"]["type"] == "not_found"
