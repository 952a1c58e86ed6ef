"""Catalog CRUD under /api/catalog (role ``operator``; every change is audited)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field

from shopgen.core.errors import TooLarge
from shopgen.http.auth import Operator, client_address, require
from shopgen.http.deps import DbDep, SessionDep, SettingsDep
from shopgen.http.params import IdPath, Offset
from shopgen.security import audit
from shopgen.store import catalog, importer
from shopgen.store.schemas import ProductIn, ProductPatch

router = APIRouter(prefix="/api/catalog", tags=["catalog"], dependencies=[Depends(require("operator"))])

IMPORT_PATH = "/api/catalog/import"  # has its own body limit: settings.import_max_bytes


@router.get("/products")
def list_products(
    s: SessionDep,
    category: str | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> dict:
    items, total = catalog.list_products(s, category=category, q=q, limit=limit, offset=offset)
    return {"items": [catalog.to_dict(p) for p in items], "total": total, "limit": limit, "offset": offset}


@router.get("/categories")
def categories(s: SessionDep) -> dict:
    return {"items": [{"category": c, "products": n} for c, n in catalog.categories(s)]}


@router.get("/products/{product_id}")
def get_product(product_id: IdPath, s: SessionDep) -> dict:
    return catalog.to_dict(catalog.get(s, product_id))


@router.post("/products", status_code=201)
def create_product(body: ProductIn, s: SessionDep, who: Operator, request: Request) -> dict:
    product = catalog.create(s, body)
    audit.record(
        s, who, "catalog.create", f"product:{product.id}", {"sku": product.sku}, address=client_address(request)
    )
    return catalog.to_dict(product)


class InheritIn(BaseModel):
    price: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


@router.patch("/products/{product_id}")
def update_product(product_id: IdPath, body: ProductPatch, s: SessionDep, who: Operator, request: Request) -> dict:
    """Edit a product. When its price changes while variants still carry the old price as their
    own, the answer's ``warnings`` says so (``variant_price_stale``, with their SKUs); POST
    ``variant-prices/inherit`` with the old price lets them follow the product's price."""
    old_price = catalog.get(s, product_id).price
    product = catalog.update(s, product_id, body)
    changed = sorted(body.model_dump(exclude_unset=True))
    audit.record(
        s,
        who,
        "catalog.update",
        f"product:{product_id}",
        {"sku": product.sku, "fields": changed},
        address=client_address(request),
    )
    return {**catalog.to_dict(product), "warnings": catalog.price_warnings(product, old_price)}


@router.post("/products/{product_id}/variant-prices/inherit")
def inherit_variant_prices(product_id: IdPath, body: InheritIn, s: SessionDep, who: Operator, request: Request) -> dict:
    """Variants priced exactly ``price`` (the product's former price) follow the product's price again."""
    skus = catalog.inherit_variant_prices(s, product_id, body.price)
    product = catalog.get(s, product_id)
    audit.record(
        s,
        who,
        "catalog.update",
        f"product:{product_id}",
        {"sku": product.sku, "fields": ["variants.price"], "variants": len(skus)},
        address=client_address(request),
    )
    return {**catalog.to_dict(product), "updated": skus}


@router.delete("/products/{product_id}", status_code=204)
def delete_product(product_id: IdPath, s: SessionDep, who: Operator, request: Request) -> Response:
    sku = catalog.get(s, product_id).sku
    catalog.delete(s, product_id)
    audit.record(s, who, "catalog.delete", f"product:{product_id}", {"sku": sku}, address=client_address(request))
    return Response(status_code=204)


@router.post("/import")
def import_catalog(
    db: DbDep, settings: SettingsDep, who: Operator, request: Request, file: Annotated[UploadFile, File()]
) -> dict:
    """Import a CSV or JSONL file; any bad line rejects the whole file (detail lists the lines).
    Files up to ``settings.import_max_bytes`` (20 MB by default) are accepted."""
    import tempfile
    from pathlib import Path

    limit = settings.import_max_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"file larger than {limit // (1024 * 1024)} MB")
    suffix = Path(file.filename or "upload").suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        result = importer.import_file(db, path, source=file.filename or "upload")
    with db.session() as s:
        audit.record(
            s, who, "catalog.import", file.filename or "upload", _summary(result), address=client_address(request)
        )
    return result


def _summary(result: dict) -> dict:
    return {k: v for k, v in result.items() if isinstance(v, int | str | float)}
