"""Studio pages: 概览 (/, any logged-in user), 商品 (/catalog …) and 模型试用 (/playground)
(both ``operator``). Catalog changes made here are audited like the API's.

Pages read through the same repositories as the API. Form posts follow post/redirect/get:
a valid edit is saved in one transaction and answered with 303; an invalid one is answered
422 with the form as typed and one Chinese line per problem, and nothing is written.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from shopgen.core.errors import Conflict, InvalidInput, NotFound, ShopgenError
from shopgen.http.auth import LoggedIn, Operator, client_address
from shopgen.http.deps import SessionDep
from shopgen.http.params import IdPath, Page
from shopgen.security import audit
from shopgen.store import catalog
from shopgen.store.schemas import CATEGORIES, ProductIn, ProductPatch
from shopgen.web import labels, messages, queries
from shopgen.web.forms import ProductForm

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
EMPTY_VARIANT_ROWS = 3
NOTICES = {"saved": "已保存", "created": "已创建"}


async def read_form(request: Request) -> FormData:
    # a product with many variants posts 5 fields per row; Starlette's default cap is 1000
    return await request.form(max_fields=5000)


FormDep = Annotated[FormData, Depends(read_form)]


def render(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    context = {"labels": labels, **context}
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


def _product(s, product_id: int):
    try:
        return catalog.get(s, product_id)
    except NotFound:
        raise NotFound(f"商品 {product_id} 不存在，可能已被删除", {"id": product_id}) from None


# ---- 概览 ----------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, s: SessionDep, _: LoggedIn):
    try:  # from the cached plan only: the dashboard never fits a forecasting model
        stock_alerts = request.app.state.inventory.alerts()
    except ShopgenError:
        stock_alerts = []
    return render(
        request,
        "dashboard.html",
        {"o": queries.overview(s), "low_threshold": queries.LOW_STOCK, "stock_alerts": stock_alerts},
    )


# ---- 商品 ----------------------------------------------------------------------------------


@router.get("/catalog", response_class=HTMLResponse)
def catalog_list(
    request: Request, s: SessionDep, _: Operator, category: str = "", q: str = "", page: Page = 1, deleted: str = ""
):
    q, page = q.strip()[:100], max(1, page)
    items, total = catalog.list_products(
        s, category=category or None, q=q or None, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    pages = max(1, math.ceil(total / PAGE_SIZE))

    def page_url(n: int) -> str:
        params = {k: v for k, v in (("category", category), ("q", q)) if v}
        return "/catalog?" + urlencode({**params, "page": n})

    return render(
        request,
        "catalog.html",
        {
            "products": [catalog.to_dict(p) for p in items],
            "total": total,
            "page": page,
            "pages": pages,
            "prev_url": page_url(page - 1) if page > 1 else None,
            "next_url": page_url(page + 1) if page < pages else None,
            "category": category,
            "q": q,
            "categories": catalog.categories(s),
            "deleted": deleted[:64],
        },
    )


def _category_options(current: str) -> list[str]:
    return list(CATEGORIES) + ([current] if current and current not in CATEGORIES else [])


def _product_page(request, product: dict | None, form: ProductForm, *, errors=(), notice="", status=200, warnings=()):
    chart = product["size_chart"] if product else None
    columns = list(dict.fromkeys(k for r in chart["rows"] for k in r["measurements"])) if chart else []
    return render(
        request,
        "product.html",
        {
            "product": product,
            "form": form,
            "errors": list(errors),
            "notice": notice,
            "warnings": list(warnings),
            "category_options": _category_options(form.category),
            "chart_columns": columns,
            "empty_rows": EMPTY_VARIANT_ROWS,
        },
        status,
    )


@router.get("/catalog/new", response_class=HTMLResponse)
def product_new(request: Request, _: Operator):
    return _product_page(request, None, ProductForm(category=CATEGORIES[0]))


@router.post("/catalog/new", response_class=HTMLResponse)
def product_create(request: Request, who: Operator, form: FormDep):
    pf = ProductForm.from_post(form)
    try:
        with request.app.state.db.session() as s:
            product = catalog.create(s, catalog.parse(ProductIn, pf.to_data(new=True)))
            product_id = product.id
            audit.record(
                s, who, "catalog.create", f"product:{product_id}", {"sku": product.sku}, address=client_address(request)
            )
    except (InvalidInput, Conflict) as exc:
        return _product_page(request, None, pf, errors=messages.explain(exc), status=422)
    return RedirectResponse(f"/catalog/{product_id}?created=1", status_code=303)


def _old_price(text: str) -> Decimal | None:
    try:
        value = Decimal(text[:16])
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() and value >= 0 else None


@router.get("/catalog/{product_id:int}", response_class=HTMLResponse)
def product_page(
    request: Request,
    product_id: IdPath,
    s: SessionDep,
    _: Operator,
    saved: str = "",
    created: str = "",
    stale_from: str = "",
    synced: Annotated[int, Query(ge=0, le=100_000)] = 0,
):
    """``stale_from`` (set by a save that changed the price): warn about variants still at that price."""
    current = _product(s, product_id)
    warnings = catalog.price_warnings(current, _old_price(stale_from)) if stale_from else []
    product = catalog.to_dict(current)
    notice = NOTICES["created"] if created else NOTICES["saved"] if saved else ""
    if synced:
        notice = f"已把 {synced} 个规格改为跟随商品价格（¥{product['price']}）"
    return _product_page(request, product, ProductForm.from_product(product), notice=notice, warnings=warnings)


@router.post("/catalog/{product_id:int}/variant-prices")
def product_variant_prices(request: Request, product_id: IdPath, who: Operator, form: FormDep):
    """The price warning's button: variants still at the old price follow the product's price."""
    old = _old_price(str(form.get("price") or ""))
    if old is None:
        raise InvalidInput("价格：请填写原来的商品价格", {"field": "price"})
    with request.app.state.db.session() as s:
        sku = _product(s, product_id).sku
        skus = catalog.inherit_variant_prices(s, product_id, old)
        audit.record(
            s,
            who,
            "catalog.update",
            f"product:{product_id}",
            {"sku": sku, "fields": ["variants.price"], "variants": len(skus)},
            address=client_address(request),
        )
    return RedirectResponse(f"/catalog/{product_id}?" + urlencode({"synced": len(skus)}), status_code=303)


def _changed_fields(current, patch, unit: str) -> list[str]:
    """The fields the form really changed: the stored product goes through the same form and
    schema, so a field left as it was compares equal (the form always posts every field)."""
    before = catalog.parse(ProductPatch, ProductForm.from_product(catalog.to_dict(current)).to_data(unit=unit))
    new, old = patch.model_dump(exclude_unset=True), before.model_dump()
    return sorted(k for k, v in new.items() if old.get(k) != v)


@router.post("/catalog/{product_id:int}", response_class=HTMLResponse)
def product_save(request: Request, product_id: IdPath, who: Operator, form: FormDep):
    pf = ProductForm.from_post(form)
    db = request.app.state.db
    try:
        with db.session() as s:
            current = _product(s, product_id)
            old_price = current.price
            unit = current.size_chart.unit if current.size_chart else "cm"
            patch = catalog.parse(ProductPatch, pf.to_data(unit=unit))
            changed = _changed_fields(current, patch, unit)
            catalog.update(s, product_id, patch)
            stale = bool(catalog.stale_variant_prices(current, old_price))
            audit.record(
                s,
                who,
                "catalog.update",
                f"product:{product_id}",
                {"sku": current.sku, "fields": changed},
                address=client_address(request),
            )
    except (InvalidInput, Conflict) as exc:
        with db.session() as s:
            product = catalog.to_dict(_product(s, product_id))
        pf.sku = product["sku"]
        return _product_page(request, product, pf, errors=messages.explain(exc), status=422)
    query = {"saved": 1, **({"stale_from": catalog.money(old_price)} if stale else {})}
    return RedirectResponse(f"/catalog/{product_id}?" + urlencode(query), status_code=303)


@router.post("/catalog/{product_id:int}/delete")
def product_delete(request: Request, product_id: IdPath, who: Operator):
    with request.app.state.db.session() as s:
        sku = _product(s, product_id).sku
        catalog.delete(s, product_id)
        audit.record(s, who, "catalog.delete", f"product:{product_id}", {"sku": sku}, address=client_address(request))
    return RedirectResponse("/catalog?" + urlencode({"deleted": sku}), status_code=303)


# ---- 模型试用 ------------------------------------------------------------------------------


@router.get("/playground", response_class=HTMLResponse)
def playground(request: Request, _: Operator):
    settings = request.app.state.settings
    return render(
        request,
        "playground.html",
        {"backend": settings.llm_backend, "max_tokens": settings.llm_max_tokens},
    )
