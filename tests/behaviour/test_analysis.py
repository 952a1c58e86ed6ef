"""Behaviour analysis on a hand-made week: exact segments, funnels, repeat rate, cohorts, profiles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shopgen.behaviour import analysis
from shopgen.core.errors import InvalidInput
from shopgen.events.store import Row

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in the shop (UTC+8)
PRODUCTS = {
    "A": {"category": "服装", "price": 100.0, "title": "T恤"},
    "B": {"category": "美妆", "price": 50.0, "title": "面霜"},
}


def r(user, item, kind, day, value=None) -> Row:
    return Row(user, item, kind, T0 + timedelta(days=day), value)


ROWS = [
    # u1: bought A twice on two days (2 pieces the second time), recent → 重要价值客户
    r("u1", "A", "view", 0),
    r("u1", "A", "cart", 0),
    r("u1", "A", "purchase", 0),
    r("u1", "A", "purchase", 9, value=2),
    # u2: bought B once, long ago → 一般挽留客户
    r("u2", "B", "view", 0),
    r("u2", "B", "cart", 0),
    r("u2", "B", "purchase", 0),
    # u3: views only, in week 2 → 仅浏览; u4 only saw an impression → not a shopper at all
    r("u3", "A", "view", 7),
    r("u3", "B", "view", 8),
    r("u4", "A", "impression", 8),
    # a product the catalog no longer has
    r("u3", "GONE-1", "view", 8),
]


def test_rfm_segments():
    seg = {x["user"]: x for x in analysis.rfm(ROWS, PRODUCTS)}
    assert seg["u1"] == {"user": "u1", "recency_days": 0, "frequency": 2, "monetary": 300.0, "segment": "重要价值客户"}
    assert (seg["u2"]["recency_days"], seg["u2"]["segment"]) == (9, "一般挽留客户")
    assert seg["u3"]["segment"] == "仅浏览" and "u4" not in seg


def test_funnels_repeat_and_cohorts():
    cats = {f["key"]: f for f in analysis.funnel(ROWS, PRODUCTS)}
    assert (cats["服装"]["view"], cats["服装"]["cart"], cats["服装"]["purchase"]) == (2, 1, 1)
    assert cats["服装"]["view_to_cart"] == 0.5 and cats["已下架"]["view"] == 1
    prods = {f["key"]: f for f in analysis.funnel(ROWS, PRODUCTS, by="product")}
    assert prods["B"]["title"] == "面霜" and prods["B"]["cart_to_purchase"] == 1.0
    rep = analysis.repeat(ROWS, PRODUCTS)
    assert (rep["purchasers"], rep["repeat"], rep["rate"]) == (2, 1, 0.5)
    assert rep["by_category"]["服装"]["rate"] == 1.0 and rep["by_category"]["美妆"]["rate"] == 0.0
    assert analysis.cohorts(ROWS) == [
        {"cohort": "2026-11-02", "size": 2, "retention": [1.0, 0.5]},  # u1 came back in week 2, u2 did not
        {"cohort": "2026-11-09", "size": 1, "retention": [1.0]},
    ]


def test_analyse_in_shop_time_with_profiles():
    a = analysis.analyse(ROWS, PRODUCTS)
    assert a["summary"]["shoppers"] == 3 and a["summary"]["purchasers"] == 2
    assert a["summary"]["first"] == "2026-11-02T10:00:00"
    assert a["hours"][10] == 10 and sum(a["hours"]) == 10  # impressions are not activity
    prof = {p["segment"]: p for p in a["profiles"]}
    assert prof["重要价值客户"]["top_categories"] == ["服装"] and prof["重要价值客户"]["price_band"] == "100–300 元"
    assert prof["一般挽留客户"]["price_band"] == "100 元以下" and prof["仅浏览"]["avg_monetary"] == 0.0
    with pytest.raises(InvalidInput, match="no shopper behaviour"):
        analysis.analyse([r("u4", "A", "impression", 0)], PRODUCTS)
    with pytest.raises(InvalidInput):
        analysis.analyse([], PRODUCTS)
