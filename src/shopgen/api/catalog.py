"""Catalog CRUD under /api/catalog."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile

from shopgen.api.deps import DbDep, SessionDep
from shopgen.core.errors import InvalidInput
from shopgen.store import catalog, importer
from shopgen.store.schemas import ProductIn, ProductPatch

router = APIRouter(prefix="/api/catalog", tags=["catalog"])

MAX_IMPORT_BYTES = 20 * 1024 * 1024


@router.get("/products")
def list_products(
    s: SessionDep,
    category: str | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict:
    items, total = catalog.list_products(s, category=category, q=q, limit=limit, offset=offset)
    return {"items": [catalog.to_dict(p) for p in items], "total": total, "limit": limit, "offset": offset}


@router.get("/categories")
def categories(s: SessionDep) -> dict:
    return {"items": [{"category": c, "products": n} for c, n in catalog.categories(s)]}


@router.get("/products/{product_id}")
def get_product(product_id: int, s: SessionDep) -> dict:
    return catalog.to_dict(catalog.get(s, product_id))


@router.post("/products", status_code=201)
def create_product(body: ProductIn, s: SessionDep) -> dict:
    return catalog.to_dict(catalog.create(s, body))


@router.patch("/products/{product_id}")
def update_product(product_id: int, body: ProductPatch, s: SessionDep) -> dict:
    return catalog.to_dict(catalog.update(s, product_id, body))


@router.delete("/products/{product_id}", status_code=204)
def delete_product(product_id: int, s: SessionDep) -> Response:
    catalog.delete(s, product_id)
    return Response(status_code=204)


@router.post("/import")
def import_catalog(db: DbDep, file: Annotated[UploadFile, File()]) -> dict:
    """Import a CSV or JSONL file; any bad line rejects the whole file (detail lists the lines)."""
    import tempfile
    from pathlib import Path

    data = file.file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInput(f"file larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB")
    suffix = Path(file.filename or "upload").suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        return importer.import_file(db, path)
