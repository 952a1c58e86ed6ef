from types import SimpleNamespace

import pytest

from shopgen.copywriting.attrs import check_facts, format_attrs, parse_attrs, product_facts
from shopgen.core.errors import InvalidInput

from .conftest import demo_product


def test_parse_keeps_order_and_repeated_keys():
    facts = parse_attrs("类型#上衣*材质#牛仔布*颜色#白色*风格#简约*风格#街头")
    assert facts == [("类型", "上衣"), ("材质", "牛仔布"), ("颜色", "白色"), ("风格", "简约"), ("风格", "街头")]
    assert format_attrs(facts) == "类型#上衣*材质#牛仔布*颜色#白色*风格#简约*风格#街头"
    assert parse_attrs(" 类型 # 裙 ") == [("类型", "裙")]


@pytest.mark.parametrize(
    "bad, message",
    [
        ("", "attributes are empty"),
        ("类型上衣", "has no '#'"),
        ("类型#上衣*", "attribute 2 is empty"),
        ("类型#上衣**颜色#白", "attribute 2 is empty"),
        ("类型#", "needs both a key and a value"),
        ("#上衣", "needs both a key and a value"),
        ("类型#上#衣", "more than one '#'"),
    ],
)
def test_bad_attribute_strings_name_the_problem(bad, message):
    with pytest.raises(InvalidInput, match=message):
        parse_attrs(bad)


def test_product_dict_becomes_facts():
    facts = product_facts(demo_product("FZ-1001"))
    assert facts[:4] == [
        ("品名", "纯棉圆领短袖T恤 男女同款 基础百搭打底衫"),
        ("类型", "服装"),
        ("品牌", "棉田记"),
        ("价格", "69元"),
    ]
    assert [v for k, v in facts if k == "颜色"] == ["白色", "黑色", "浅灰色", "藏青色"]
    assert [v for k, v in facts if k == "尺码"] == ["S", "M", "L", "XL", "XXL"]
    assert ("材质", "100%棉（新疆长绒棉）") in facts


def test_orm_like_product_with_attribute_rows_and_variant_prices():
    p = SimpleNamespace(
        sku="X",
        title="羊毛围巾",
        category="配饰",
        brand=None,
        price="129.50",
        attributes=[SimpleNamespace(name="材质", value="羊毛")],
        variants=[
            SimpleNamespace(color="红色", size=None, price=None),
            SimpleNamespace(color="灰色", size=None, price="99"),
        ],
    )
    assert product_facts(p) == [
        ("品名", "羊毛围巾"),
        ("类型", "配饰"),
        ("价格", "129.50元"),
        ("价格", "99元"),
        ("颜色", "红色"),
        ("颜色", "灰色"),
        ("材质", "羊毛"),
    ]
    with pytest.raises(InvalidInput, match="has no title"):
        product_facts({"sku": "Y"})


def test_price_facts_are_what_a_shopper_pays():
    """A product price every variant overrides is no fact: after 69 → 65 with variants still
    priced 69, checkout charges 69, and 65 must not reach the copy or the live script."""
    p = SimpleNamespace(
        sku="FZ",
        title="T恤",
        category="服装",
        brand=None,
        price="65.00",
        attributes=[],
        variants=[SimpleNamespace(color="白色", size="M", price="69.00")] * 3,
    )
    assert [v for k, v in product_facts(p) if k == "价格"] == ["69元"]
    p.variants = [SimpleNamespace(color="白色", size="M", price=None)]
    assert [v for k, v in product_facts(p) if k == "价格"] == ["65元"]


def test_check_facts_accepts_strings_mappings_and_pairs():
    assert check_facts("颜色#白色") == [("颜色", "白色")]
    assert check_facts({"颜色": "白色"}) == [("颜色", "白色")]
    with pytest.raises(InvalidInput, match="no facts"):
        check_facts([])
    with pytest.raises(InvalidInput, match="fact 1"):
        check_facts(["颜色"])
