"""Read-only figures for the dashboard (概览): one small SELECT each, no ORM objects loaded."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shopgen.store import catalog
from shopgen.store.models import KBEntry, Order, Product, Variant

LOW_STOCK = 10  # a variant at or below this many units is listed as running low


@dataclass(frozen=True)
class LowStock:
    product_id: int
    title: str
    sku: str
    color: str | None
    size: str | None
    stock: int


@dataclass(frozen=True)
class Overview:
    products: int
    categories: list[tuple[str, int]]
    variants: int
    stock: int
    low_stock: list[LowStock]
    low_stock_total: int
    kb_entries: int
    kb_by_kind: list[tuple[str, int]]
    orders: list[tuple[str, int]]
    orders_total: int


def _count(s: Session, column) -> int:
    return s.scalar(select(func.count(column))) or 0


def low_stock(s: Session, *, threshold: int = LOW_STOCK, limit: int = 12) -> tuple[list[LowStock], int]:
    """Variants with ``stock <= threshold``, emptiest first; also how many there are in all."""
    where = Variant.stock <= threshold
    total = s.scalar(select(func.count(Variant.id)).where(where)) or 0
    rows = s.execute(
        select(Product.id, Product.title, Variant.sku, Variant.color, Variant.size, Variant.stock)
        .join(Product, Variant.product_id == Product.id)
        .where(where)
        .order_by(Variant.stock, Variant.sku)
        .limit(limit)
    )
    return [LowStock(*r) for r in rows], total


def _grouped(s: Session, column) -> list[tuple[str, int]]:
    rows = s.execute(select(column, func.count()).group_by(column).order_by(func.count().desc(), column))
    return [(k, n) for k, n in rows]


def overview(s: Session) -> Overview:
    low, low_total = low_stock(s)
    orders = _grouped(s, Order.status)
    return Overview(
        products=_count(s, Product.id),
        categories=catalog.categories(s),
        variants=_count(s, Variant.id),
        stock=s.scalar(select(func.coalesce(func.sum(Variant.stock), 0))) or 0,
        low_stock=low,
        low_stock_total=low_total,
        kb_entries=_count(s, KBEntry.id),
        kb_by_kind=_grouped(s, KBEntry.kind),
        orders=orders,
        orders_total=sum(n for _, n in orders),
    )
