"""Studio page 推荐 (/recommend, role ``operator``): pick a shopper and see their recent behaviour
beside what they would be recommended, with the reasons; pick a product and see its neighbours.
Read through the same RecommendService as /api/recommend."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from shopgen.core.errors import NotFound
from shopgen.events import store as events
from shopgen.events.schema import TYPE_LABELS
from shopgen.http.auth import Operator
from shopgen.http.deps import SessionDep
from shopgen.recommend.rules import SURFACES
from shopgen.store.catalog import names_by_sku
from shopgen.web.routes import render

router = APIRouter(include_in_schema=False)
Param = Annotated[str, Query(max_length=64)]


@router.get("/recommend", response_class=HTMLResponse)
def recommend_page(
    request: Request, s: SessionDep, _: Operator, user: Param = "", sku: Param = "", surface: Param = ""
):
    user, sku, surface = user.strip(), sku.strip(), surface.strip() or "recommend"
    service = request.app.state.recommend
    errors: dict[str, str] = {}
    if surface not in SURFACES:
        errors["surface"] = f"展示位「{surface}」不存在，可选：{'、'.join(x.label for x in SURFACES.values())}"
        surface = "recommend"
    shoppers = events.shoppers(s, limit=100)
    if not user and shoppers and not sku:
        user = shoppers[0][0]
    recs = similar = None
    if user:
        try:
            recs = service.for_user(user, 10, surface)
        except NotFound:
            errors["user"] = f"顾客「{user}」在本店没有任何行为记录"
    if sku:
        try:
            similar = service.similar(sku, 10, surface)
        except NotFound:
            errors["sku"] = f"商品「{sku}」不在本店"
    status = 404 if errors.keys() & {"user", "sku"} else 422 if errors else 200
    return render(
        request,
        "recommend.html",
        {
            "user": user,
            "sku": sku,
            "surface": surface,
            "surfaces": SURFACES,
            "shoppers": shoppers,
            "products": names_by_sku(s),
            "recs": recs,
            "similar": similar,
            "errors": errors,
            "type_labels": TYPE_LABELS,
        },
        status=status,
    )
