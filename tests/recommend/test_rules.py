"""Business rules: what may be shown where, and diversity across categories."""

from __future__ import annotations

import pytest

from shopgen.core.errors import InvalidInput
from shopgen.recommend import reasons, rules


def p(status="active", stock=50, price=99.0, category="服装", variants=True):
    return {"status": status, "stock": stock, "has_variants": variants, "price": price, "category": category}


def test_allowed():
    products = [p(), p(status="draft"), p(stock=0), None, p(stock=0, variants=False), p(stock=5), p(price=299.0)]
    assert rules.allowed(products, rules.surface(None)).tolist() == [True, False, False, False, True, True, True]
    assert rules.allowed(products, rules.surface("live")).tolist() == [True, False, False, False, True, False, True]
    assert rules.allowed(products, rules.surface("cart")).tolist() == [True, False, False, False, True, True, False]
    with pytest.raises(InvalidInput, match="unknown surface 'feed'; valid: recommend, detail, search, live, cart"):
        rules.surface("feed")


def test_diversify_caps_a_category_then_fills():
    cats = ["a", "a", "a", "a", "b", "c"]
    assert rules.diversify([0, 1, 2, 3, 4, 5], cats, k=5, max_share=0.4) == [0, 1, 4, 5, 2]
    assert rules.diversify([0, 1, 2], cats, k=10) == [0, 1, 2]


def test_fabric_and_reason_texts():
    assert reasons.fabric({"材质": "50%羊毛 30%锦纶 20%腈纶"}) == "羊毛"
    assert reasons.fabric({"面料": "科技布（100%聚酯纤维）"}) == "聚酯纤维"
    assert reasons.fabric({"材质": "PP（聚丙烯）"}) is None and reasons.fabric({}) is None
    assert (
        reasons.because("view", "纯棉圆领短袖T恤 男女同款 基础百搭打底衫", "FZ-1001")["text"]
        == "因为你看过「纯棉圆领短袖T恤 男女同款…」"
    )
    assert reasons.because("purchase", "短标题", "X")["text"] == "因为你买过「短标题」"
    assert reasons.popular("美妆", True)["text"] == "同类热卖 · 美妆"
    assert reasons.same_fabric("棉")["text"] == "同款面料：棉"
    assert reasons.liked_with("九色眼影盘", "MZ-2008")["text"] == "看过「九色眼影盘」的人也喜欢"
