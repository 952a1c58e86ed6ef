"""推荐 (/recommend) and 用户洞察 (/behaviour) over the demo shop's behaviour."""

from __future__ import annotations

import re

import pytest

from shopgen.core.settings import Settings
from shopgen.demo import loader
from shopgen.server import create_app
from tests.auth import studio


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("shop"), llm_backend="fake", embed_backend="fake"))
    loader.load_demo(app.state.db, app.state.event_hub)
    yield app
    app.state.db.dispose()


@pytest.fixture(scope="module")
def page(app):
    with studio(app, "operator") as client:
        yield client


def _stat(html: str, name: str) -> str:
    return re.search(rf'data-stat="{name}">([^<]+)<', html).group(1)


def test_behaviour_page(page):
    r = page.get("/behaviour")
    assert r.status_code == 200
    html = r.text
    assert "<h1>用户洞察</h1>" in html
    assert _stat(html, "shoppers") == "150" and _stat(html, "events") == "5292"
    assert _stat(html, "repeat").endswith("%")
    segments = re.findall(r'<li data-segment="([^"]+)">', html)
    assert "重要价值客户" in segments and "仅浏览" in segments
    assert '<svg class="chart" id="chart-funnel"' in html and html.count('class="funnel-group"') == 5
    assert '<svg class="chart" id="chart-hours"' in html
    assert len(re.findall(r'<tr data-cohort="', html)) == 8
    assert len(re.findall(r'<tr data-sku="', html)) == 15
    assert '<script src="http' not in html


def test_recommend_page_shows_history_beside_recommendations(page):
    html = page.get("/recommend", params={"user": "c001"}).text
    assert "<h1>推荐</h1>" in html and "c001 的近期行为" in html
    recs = html[html.index('id="recommendations"') :]
    reasons = re.findall(r'data-reason="([^"]+)">([^<]+)<', recs)
    assert len(reasons) == 10 and all(text for _, text in reasons)
    assert any(code.startswith("because_") or code == "same_fabric" for code, _ in reasons)
    assert all(
        code
        in {
            "because_view",
            "because_purchase",
            "because_cart",
            "because_favorite",
            "same_fabric",
            "liked_with",
            "popular",
            "popular_in_category",
        }
        for code, _ in reasons
    )

    sim = page.get("/recommend", params={"sku": "FZ-1001", "surface": "live"}).text
    assert "与「纯棉圆领短袖T恤 男女同款 基础百搭打底衫」相似" in sim
    assert '<option value="live" selected>直播间</option>' in sim
    assert len(re.findall(r'<li class="rec" data-sku="', sim[sim.index('id="similar"') :])) == 10


def test_recommend_page_errors_in_chinese(page):
    r = page.get("/recommend", params={"user": "nobody"})
    assert r.status_code == 404 and "顾客「nobody」在本店没有任何行为记录" in r.text
    r = page.get("/recommend", params={"sku": "NOPE"})
    assert r.status_code == 404 and "商品「NOPE」不在本店" in r.text
    r = page.get("/recommend", params={"user": "c001", "surface": "feed"})
    assert r.status_code == 422 and "展示位「feed」不存在" in r.text


def test_an_empty_shop(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake"))
    with studio(app, "operator") as client:
        assert 'id="no-behaviour"' in client.get("/behaviour").text
        r = client.get("/recommend")
        assert r.status_code == 200 and 'id="recommendations"' not in r.text
    app.state.db.dispose()


def test_nav_lists_both_for_operators_only(app):
    with studio(app, "agent", name="agent-x") as client:
        html = client.get("/").text
        assert 'href="/recommend"' not in html and 'href="/behaviour"' not in html
        assert client.get("/recommend").status_code == 403
    with studio(app, "operator", name="op-x") as client:
        html = client.get("/").text
        assert '<a href="/behaviour">用户洞察</a>' in html and '<a href="/recommend">推荐</a>' in html
