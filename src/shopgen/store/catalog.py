"""Catalog repository: list, read, create, upsert, edit and delete products.

Functions take an open ``Session`` (see ``Database.session``) so that callers decide the
transaction; nothing here commits.

Raises NotFound for a missing product and Conflict for a SKU that belongs to another product.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ValidationError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.store.models import Product, ProductAttribute, ProductImage, SizeChart, SizeChartRow, Variant
from shopgen.store.schemas import ProductIn, ProductPatch

_LOAD = (
    selectinload(Product.attributes),
    selectinload(Product.variants),
    selectinload(Product.images),
    selectinload(Product.size_chart).selectinload(SizeChart.rows),
)


def validation_message(exc: ValidationError) -> str:
    """One readable line per pydantic error: ``field.path: message``."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "product"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def parse(model: type[BaseModel], data) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(validation_message(exc), exc.errors(include_url=False, include_context=False)) from exc


def money(v: Decimal | None) -> str | None:
    return None if v is None else f"{v:.2f}"


def to_dict(p: Product) -> dict:
    chart = p.size_chart
    return {
        "id": p.id,
        "sku": p.sku,
        "title": p.title,
        "category": p.category,
        "brand": p.brand,
        "description": p.description,
        "price": money(p.price),
        "currency": p.currency,
        "status": p.status,
        "attributes": {a.name: a.value for a in p.attributes},
        "variants": [
            {"sku": v.sku, "color": v.color, "size": v.size, "price": money(v.price), "stock": v.stock}
            for v in p.variants
        ],
        "stock": sum(v.stock for v in p.variants),
        "images": [{"url": i.url, "alt": i.alt} for i in p.images],
        "size_chart": None
        if chart is None
        else {
            "unit": chart.unit,
            "rows": [
                {
                    "size": r.size,
                    "height": [r.height_min, r.height_max] if r.height_min is not None else None,
                    "weight": [r.weight_min, r.weight_max] if r.weight_min is not None else None,
                    "measurements": r.measurements,
                }
                for r in chart.rows
            ],
        },
        "updated_at": p.updated_at.isoformat() if p.updated_at else None,
    }


def list_products(
    s: Session,
    *,
    category: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
    status: str | None = None,
) -> tuple[list[Product], int]:
    stmt = select(Product)
    if status:
        stmt = stmt.where(Product.status == status)
    if category:
        stmt = stmt.where(Product.category == category)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Product.title.ilike(like), Product.sku.ilike(like), Product.brand.ilike(like)))
    total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = s.scalars(stmt.options(*_LOAD).order_by(Product.id).limit(limit).offset(offset)).all()
    return list(rows), total


def categories(s: Session) -> list[tuple[str, int]]:
    rows = s.execute(select(Product.category, func.count()).group_by(Product.category).order_by(Product.category))
    return [(c, n) for c, n in rows]


def names_by_sku(s: Session) -> dict[str, dict]:
    """``{sku: {"title", "brand"}}``: reviews and events name products by SKU only."""
    return {
        sku: {"title": title, "brand": brand}
        for sku, title, brand in s.execute(select(Product.sku, Product.title, Product.brand))
    }


def active_choices(s: Session) -> list[dict]:
    """``[{"sku", "title", "category"}]`` of the products on sale, in catalog order (page pickers)."""
    rows = s.execute(
        select(Product.sku, Product.title, Product.category).where(Product.status == "active").order_by(Product.id)
    )
    return [{"sku": sku, "title": title, "category": cat} for sku, title, cat in rows]


def get(s: Session, product_id: int) -> Product:
    p = s.scalars(select(Product).where(Product.id == product_id).options(*_LOAD)).first()
    if p is None:
        raise NotFound(f"product {product_id} does not exist", {"id": product_id})
    return p


def get_by_sku(s: Session, sku: str) -> Product | None:
    return s.scalars(select(Product).where(Product.sku == sku).options(*_LOAD)).first()


def _check_variant_skus(s: Session, skus: list[str], product_id: int | None) -> None:
    if not skus:
        return
    taken = s.execute(select(Variant.sku, Variant.product_id).where(Variant.sku.in_(skus))).all()
    clash = sorted(sku for sku, owner in taken if owner != product_id)
    if clash:
        raise Conflict(f"variant SKU {', '.join(clash)} already belongs to another product", {"skus": clash})


def _attributes(data) -> list[ProductAttribute]:
    return [ProductAttribute(name=k, value=v, position=i) for i, (k, v) in enumerate(data.attributes.items())]


def _variants(data) -> list[Variant]:
    return [Variant(**v.model_dump()) for v in data.variants]


def _images(data) -> list[ProductImage]:
    return [ProductImage(url=i.url, alt=i.alt, position=n) for n, i in enumerate(data.images)]


def _chart(chart) -> SizeChart | None:
    if chart is None:
        return None
    return SizeChart(
        unit=chart.unit,
        rows=[
            SizeChartRow(
                size=r.size,
                height_min=r.height[0] if r.height else None,
                height_max=r.height[1] if r.height else None,
                weight_min=r.weight[0] if r.weight else None,
                weight_max=r.weight[1] if r.weight else None,
                measurements=r.measurements,
                position=n,
            )
            for n, r in enumerate(chart.rows)
        ],
    )


def _replace_children(s: Session, p: Product, data: ProductIn | ProductPatch) -> None:
    """Swap child lists; flush the removals first so unique keys can be reused."""
    fields = data.model_fields_set if isinstance(data, ProductPatch) else set(type(data).model_fields)
    if "attributes" in fields and data.attributes is not None:
        p.attributes.clear()
        s.flush()
        p.attributes.extend(_attributes(data))
    if "variants" in fields and data.variants is not None:
        _check_variant_skus(s, [v.sku for v in data.variants], p.id)
        p.variants.clear()
        s.flush()
        p.variants.extend(_variants(data))
    if "images" in fields and data.images is not None:
        p.images.clear()
        p.images.extend(_images(data))
    if "size_chart" in fields:
        if p.size_chart is not None:
            p.size_chart = None
            s.flush()
        if data.size_chart is not None:
            p.size_chart = _chart(data.size_chart)


_SCALARS = ("title", "category", "brand", "description", "price", "status")


def build(data: ProductIn) -> Product:
    """A new product with all its children, not yet added to a session (no lazy loads, one flush)."""
    return Product(
        sku=data.sku,
        **{k: getattr(data, k) for k in _SCALARS},
        attributes=_attributes(data),
        variants=_variants(data),
        images=_images(data),
        size_chart=_chart(data.size_chart),
    )


def create(s: Session, data: ProductIn) -> Product:
    if get_by_sku(s, data.sku) is not None:
        raise Conflict(f"SKU {data.sku} already exists", {"sku": data.sku})
    _check_variant_skus(s, [v.sku for v in data.variants], None)
    p = build(data)
    s.add(p)
    s.flush()
    return p


def by_skus(s: Session, skus: list[str]) -> dict[str, Product]:
    """The products with these SKUs (children loaded), by SKU."""
    return {p.sku: p for p in s.scalars(select(Product).where(Product.sku.in_(skus)).options(*_LOAD))}


def variant_owners(s: Session, variant_skus: list[str]) -> dict[str, str]:
    """``{variant SKU: its product's SKU}`` for the variant SKUs already stored."""
    rows = s.execute(select(Variant.sku, Product.sku).join(Product).where(Variant.sku.in_(variant_skus)))
    return dict(rows.all())


def upsert(s: Session, data: ProductIn) -> tuple[Product, bool]:
    """Create the product, or replace every field of the one with the same SKU. Returns (product, created)."""
    p = get_by_sku(s, data.sku)
    if p is None:
        return create(s, data), True
    for k in _SCALARS:
        setattr(p, k, getattr(data, k))
    _replace_children(s, p, data)
    s.flush()
    return p, False


def update(s: Session, product_id: int, patch: ProductPatch) -> Product:
    p = get(s, product_id)
    for k in _SCALARS:
        if k in patch.model_fields_set:
            value = getattr(patch, k)
            if value is None and k in ("title", "category", "price", "status"):
                raise InvalidInput(f"{k} cannot be empty")
            setattr(p, k, value)
    _replace_children(s, p, patch)
    s.flush()
    # the whole product must still be valid (e.g. sizes sold vs. size chart)
    parse(ProductIn, {k: v for k, v in to_dict(p).items() if k in ProductIn.model_fields})
    return p


def delete(s: Session, product_id: int) -> None:
    s.delete(get(s, product_id))
    s.flush()


# ---- prices a shopper pays ----------------------------------------------------------------------
#
# A variant's ``price`` is its own price; None means it follows the product's price. A catalog
# imported with every variant priced (the demo shop) keeps the old price on its variants when only
# the product's price changes: those variants are what :func:`stale_variant_prices` finds.


def shopper_price(product: Product, variant: Variant | None = None) -> Decimal:
    """What a shopper pays for ``variant`` (its own price when set, else the product's)."""
    if variant is not None and variant.price is not None:
        return variant.price
    return product.price


def stale_variant_prices(product: Product, old_price: Decimal | None) -> list[Variant]:
    """Variants that still carry ``old_price`` as their own price after the product's price moved away from it."""
    if old_price is None or product.price == old_price:
        return []
    return [v for v in product.variants if v.price is not None and v.price == old_price]


def price_warnings(product: Product, old_price: Decimal | None) -> list[dict]:
    """A Chinese warning (for the API answer and the editor) when a price change left variants behind."""
    stale = stale_variant_prices(product, old_price)
    if not stale:
        return []
    return [
        {
            "type": "variant_price_stale",
            "field": "variants.price",
            "message": (
                f"商品价格已从 {money(old_price)} 元改为 {money(product.price)} 元，但有 {len(stale)} 个规格仍单独标价 "
                f"{money(old_price)} 元，顾客会按规格价付款；可把它们改为跟随商品价格"
            ),
            "variants": [v.sku for v in stale],
            "old_price": money(old_price),
            "price": money(product.price),
        }
    ]


def inherit_variant_prices(s: Session, product_id: int, price: Decimal) -> list[str]:
    """Let the variants priced exactly ``price`` (an old product price) follow the product's price
    again (``price`` None); returns their SKUs. Variants with another own price are left alone."""
    p = get(s, product_id)
    changed = [v for v in stale_variant_prices(p, price)]
    for v in changed:
        v.price = None
    s.flush()
    return [v.sku for v in changed]
