"""Where the behaviour comes from: the shop's event store and catalog, or an event file."""

from __future__ import annotations

from sqlalchemy import select

from shopgen.events import formats
from shopgen.events import store as events
from shopgen.events.store import Row
from shopgen.store.models import Product


def catalog(s) -> dict[str, dict]:
    return {
        sku: {"category": cat, "price": float(price), "title": title}
        for sku, cat, price, title in s.execute(select(Product.sku, Product.category, Product.price, Product.title))
    }


def from_store(db) -> tuple[list[Row], dict]:
    with db.session() as s:
        return list(events.rows(s)), catalog(s)


def from_file(path, db=None) -> tuple[list[Row], dict]:
    """Events of a file; the catalog from ``db`` when given (else every product is 「已下架」)."""
    rows = [Row(e.user, e.item, e.type, e.ts, e.value, e.surface, e.context) for e in formats.events(path)]
    products = {}
    if db is not None:
        with db.session() as s:
            products = catalog(s)
    return rows, products
