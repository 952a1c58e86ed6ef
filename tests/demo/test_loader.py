"""The demo shop meets what the studio and the assistant need, and loads idempotently."""

from collections import Counter

from sqlalchemy import func, select

from shopgen.demo.loader import load_demo
from shopgen.store import catalog
from shopgen.store.models import KBEntry, Order, OrderItem, Product, Variant


def _count(s, model):
    return s.scalar(select(func.count()).select_from(model))


def test_demo_shop_contents_and_idempotence(db):
    first = load_demo(db)
    second = load_demo(db)
    assert first == second
    with db.session() as s:
        assert _count(s, Product) == first["products"] >= 40
        assert _count(s, KBEntry) == first["kb_entries"] >= 30
        assert _count(s, Order) == first["orders"]
        cats = Counter(c for c, n in catalog.categories(s) for _ in range(n))
        assert set(cats) >= {"服装", "美妆", "数码", "食品", "家居"} and min(cats.values()) >= 5
        clothes, _ = catalog.list_products(s, category="服装", limit=500)
        assert clothes and all(p.size_chart is not None and p.variants for p in clothes)
        kinds = Counter(s.scalars(select(KBEntry.kind)))
        assert kinds["faq"] >= 20 and kinds["policy"] >= 5
        statuses = set(s.scalars(select(Order.status)))
        assert {"paid", "shipped", "delivered", "refunded"} <= statuses
        # every order line points at a real product and variant
        variant_skus = set(s.scalars(select(Variant.sku)))
        product_skus = set(s.scalars(select(Product.sku)))
        for item in s.scalars(select(OrderItem)):
            assert item.product_sku in product_skus
            assert item.variant_sku is None or item.variant_sku in variant_skus
        for order in s.scalars(select(Order)):
            assert order.total == sum(i.unit_price * i.quantity for i in order.items)
