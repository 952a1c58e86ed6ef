"""The shop's catalog as the recommender needs it: per SKU, what the rules, the reasons and the
text model read; and a version that changes whenever the catalog (or its stock) does."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from shopgen.recommend.items import product_text
from shopgen.recommend.reasons import fabric
from shopgen.store.models import Product, Variant


def version(s: Session) -> tuple:
    products = s.execute(select(func.count(), func.max(Product.updated_at))).one()
    variants = s.execute(select(func.count(), func.coalesce(func.sum(Variant.stock), 0), func.max(Variant.id))).one()
    return (*(str(x) for x in products), *(str(x) for x in variants))


def snapshot(s: Session) -> dict[str, dict]:
    """``{sku: {title, category, brand, price, status, stock, has_variants, fabric, image, text}}``."""
    out = {}
    stmt = select(Product).options(
        selectinload(Product.variants), selectinload(Product.attributes), selectinload(Product.images)
    )
    for p in s.scalars(stmt.order_by(Product.id)):
        attrs = {a.name: a.value for a in p.attributes}
        d = {
            "sku": p.sku,
            "title": p.title,
            "category": p.category,
            "brand": p.brand,
            "price": float(p.price),
            "status": p.status,
            "stock": sum(v.stock for v in p.variants),
            "has_variants": bool(p.variants),
            "fabric": fabric(attrs),
            "image": p.images[0].url if p.images else None,
        }
        d["text"] = product_text({**d, "attributes": attrs, "description": p.description})
        out[p.sku] = d
    return out


def card(p: dict | None, sku: str) -> dict:
    """What a list shows of an item."""
    if p is None:
        return {"sku": sku, "title": sku, "category": None, "price": None, "image": None}
    return {k: p[k] for k in ("sku", "title", "category", "brand", "price", "image")}
