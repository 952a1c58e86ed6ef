"""/api/recommend: personalised lists and similar products (a ``shopper`` key for shop
front-ends, or an operator).

Answers are cached by the service and refreshed when the model, the catalog or the behaviour
changes. An id the shop has never seen is 404; a shopper it knows but the model has not seen
gets a cold-start answer (``"cold_start": true``). Scoring is CPU work: plain ``def`` handlers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from shopgen.http.auth import require

router = APIRouter(prefix="/api/recommend", tags=["recommend"], dependencies=[Depends(require("shopper|operator"))])

Id = Annotated[str, Path(min_length=1, max_length=64)]
K = Annotated[int, Query(ge=1, le=100)]
SurfaceQ = Annotated[str | None, Query(max_length=32, description="推荐位 recommend | detail | search | live | cart")]


@router.get("/users/{user_id}")
def for_user(user_id: Id, request: Request, k: K = 10, surface: SurfaceQ = None) -> dict:
    """``{user, cold_start, surface, model, history, items: [{sku, title, …, reason: {code, text}}]}``."""
    return request.app.state.recommend.for_user(user_id, k, surface)


@router.get("/items/{sku}/similar")
def similar(sku: Id, request: Request, k: K = 10, surface: SurfaceQ = None) -> dict:
    """``{sku, product, surface, model, items: [{sku, title, …, reason}]}``."""
    return request.app.state.recommend.similar(sku, k, surface)
