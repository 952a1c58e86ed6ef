"""评论洞察 (/insight): the review dashboard over the demo reviews, its charts, alerts and filter."""

from __future__ import annotations

import re

import pytest

from shopgen.core.settings import Settings
from shopgen.demo import loader
from shopgen.server import create_app
from tests.auth import studio


@pytest.fixture
def app(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake"))
    loader.load_demo(app.state.db)
    yield app
    app.state.db.dispose()


@pytest.fixture
def page(app):
    with studio(app, "operator") as client:
        yield client


def _stat(html: str, name: str) -> str:
    return re.search(rf'data-stat="{name}">([^<]+)<', html).group(1)


def test_dashboard_shows_the_down_jacket_alert(page):
    r = page.get("/insight")
    assert r.status_code == 200
    html = r.text
    assert "<h1>评论洞察</h1>" in html
    assert _stat(html, "reviews") == "310"
    assert _stat(html, "negative").endswith("%")
    alerts = re.findall(r'<li class="alert" data-scope="([^"]+)" data-metric="([^"]+)">', html)
    assert ("product:FZ-1002", "volume") in alerts and ("all", "negative_rate") in alerts
    assert _stat(html, "alerts") == str(len(alerts))
    start = html.index('data-scope="product:FZ-1002"')
    ends = [i for i in (html.find('<li class="alert"', start), html.find("</section>", start)) if i > 0]
    jacket = html[start : min(ends)]
    assert "商品 FZ-1002 · " in jacket and "评论量" in jacket and "20 条" in jacket and "基线 3 条" in jacket
    assert "2026-11-05 至 11-11" in jacket
    # the charts are inline SVG drawn on the server, the alert week marked
    assert '<svg class="chart" id="chart-sentiment"' in html and '<svg class="chart" id="chart-aspects"' in html
    assert 'class="week week-alert" data-week="2026-11-05"' in html
    assert html.count('class="week"') + html.count('class="week week-alert"') == 9
    assert 'data-aspect="质量"' in html
    assert html.count('<article class="theme">') >= 2
    # nothing is loaded from another host (a CDN); not a substring test: the CSP nonce is random text
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)


def test_filter_by_product_and_brand(page, app):
    html = page.get("/insight", params={"product_sku": "FZ-1002"}).text
    assert _stat(html, "reviews") == "39"
    assert '<option value="FZ-1002" selected>' in html
    scopes = re.findall(r'<li class="alert" data-scope="([^"]+)"', html)
    assert scopes == ["product:FZ-1002"]  # the shop-wide alert is outside this filter
    assert "跑绒" in html  # a theme keyword or example of the bad batch
    assert 'href="/insight">清除</a>' in html

    other = page.get("/insight", params={"product_sku": "SM-3010"}).text
    assert _stat(other, "reviews") == "7"
    assert "暂无预警" in other and 'data-scope="product:FZ-1002"' not in other

    with app.state.db.session() as s:
        from sqlalchemy import select

        from shopgen.store.models import Product

        brand = s.scalar(select(Product.brand).where(Product.sku == "FZ-1002"))
    by_brand = page.get("/insight", params={"brand": brand}).text
    assert f'<option value="{brand}" selected>' in by_brand
    assert 39 <= int(_stat(by_brand, "reviews")) < 310
    assert re.findall(r'<li class="alert" data-scope="([^"]+)"', by_brand) == ["product:FZ-1002"]

    empty = page.get("/insight", params={"brand": "没有这个品牌"}).text
    assert _stat(empty, "reviews") == "0" and "没有符合筛选条件的评论" in empty


def test_nav_and_roles(app):
    with studio(app, "operator") as client:
        assert '<a href="/insight"' in client.get("/").text
    with studio(app, "agent") as client:
        assert '<a href="/insight"' not in client.get("/").text
        assert client.get("/insight").status_code == 403
    with studio(app, "admin") as client:
        assert client.get("/insight").status_code == 200
