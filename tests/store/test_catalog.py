"""Catalog repository, run on SQLite and on PostgreSQL."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.store import catalog
from shopgen.store.models import ProductAttribute, SizeChartRow, Variant
from shopgen.store.schemas import ProductIn, ProductPatch

from .factories import tshirt


def _create(db, **over):
    with db.session() as s:
        return catalog.create(s, ProductIn.model_validate(tshirt(**over))).id


def test_create_and_read_back_everything(db):
    pid = _create(db)
    with db.session() as s:
        d = catalog.to_dict(catalog.get(s, pid))
    assert d["sku"] == "T-100"
    assert d["price"] == "79.00"
    assert d["attributes"] == {"材质": "100%棉", "领型": "圆领"}
    assert [(v["sku"], v["price"], v["stock"]) for v in d["variants"]] == [
        ("T-100-WH-M", None, 10),
        ("T-100-WH-L", "85.00", 0),
    ]
    assert d["stock"] == 10
    assert d["size_chart"]["rows"][1] == {
        "size": "L",
        "height": [170, 178],
        "weight": [60, 70],
        "measurements": {"胸围": 106},
    }


def test_list_filters_by_category_and_text(db):
    _create(db)
    _create(db, sku="CUP-1", title="不锈钢保温杯", category="家居", variants=[], size_chart=None)
    with db.session() as s:
        items, total = catalog.list_products(s, category="家居")
        assert total == 1 and items[0].sku == "CUP-1"
        items, total = catalog.list_products(s, q="T恤")
        assert [p.sku for p in items] == ["T-100"]
        assert set(catalog.categories(s)) == {("家居", 1), ("服装", 1)}


def test_duplicate_sku_is_a_conflict_and_writes_nothing(db):
    _create(db)
    with pytest.raises(Conflict, match="T-100 already exists"):
        _create(db)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Variant)) == 2


def test_variant_sku_owned_by_another_product_is_refused(db):
    _create(db)
    other = tshirt("T-200")
    other["variants"][0]["sku"] = "T-100-WH-M"
    with pytest.raises(Conflict, match="T-100-WH-M already belongs"):
        with db.session() as s:
            catalog.create(s, ProductIn.model_validate(other))
    with db.session() as s:
        assert catalog.get_by_sku(s, "T-200") is None


def test_patch_changes_only_given_fields_and_replaces_lists(db):
    pid = _create(db)
    patch = ProductPatch.model_validate(
        {
            "price": "69.90",
            "attributes": {"材质": "100%棉", "领型": "V领"},
            "variants": [
                {"sku": "T-100-WH-M", "color": "白色", "size": "M", "stock": 7},
                {"sku": "T-100-BK-M", "color": "黑色", "size": "M", "stock": 3},
            ],
        }
    )
    with db.session() as s:
        catalog.update(s, pid, patch)
    with db.session() as s:
        d = catalog.to_dict(catalog.get(s, pid))
        n_attr = s.scalar(select(func.count()).select_from(ProductAttribute))
    assert d["price"] == "69.90" and d["title"] == "纯棉圆领短袖T恤"
    assert d["attributes"]["领型"] == "V领" and n_attr == 2
    assert {v["sku"]: v["stock"] for v in d["variants"]} == {"T-100-WH-M": 7, "T-100-BK-M": 3}


def test_patch_that_breaks_size_chart_rule_is_rolled_back(db):
    pid = _create(db)
    patch = ProductPatch.model_validate({"variants": [{"sku": "T-100-X", "color": "白色", "size": "XXL", "stock": 1}]})
    with pytest.raises(InvalidInput, match="XXL"):
        with db.session() as s:
            catalog.update(s, pid, patch)
    with db.session() as s:
        assert [v.sku for v in catalog.get(s, pid).variants] == ["T-100-WH-M", "T-100-WH-L"]


def test_price_is_exact_decimal(db):
    pid = _create(db, price="0.10")
    with db.session() as s:
        p = catalog.get(s, pid)
        assert p.price == Decimal("0.10")


def test_delete_cascades_to_children(db):
    pid = _create(db)
    with db.session() as s:
        catalog.delete(s, pid)
    with db.session() as s:
        with pytest.raises(NotFound):
            catalog.get(s, pid)
        assert s.scalar(select(func.count()).select_from(Variant)) == 0
        assert s.scalar(select(func.count()).select_from(SizeChartRow)) == 0


@pytest.mark.parametrize(
    "over, message",
    [
        ({"price": "-1"}, "price"),
        ({"sku": "含中文"}, "sku"),
        ({"title": "  "}, "title"),
        ({"variants": [{"sku": "A", "stock": -2}]}, "stock"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_invalid_products_are_refused_with_field_names(over, message):
    with pytest.raises(InvalidInput) as exc:
        catalog.parse(ProductIn, tshirt(**over))
    assert message in exc.value.message
