"""/api/inventory (role ``operator``): demand forecasts, purchase suggestions, the calendar and order
approval. Forecasting fits models (seconds for a shop's SKUs; cached until the history or the
calendar changes), so the handlers are plain ``def`` and run in the thread pool.

Calendar changes and approvals are audited (``inventory.calendar_add``, ``inventory.calendar_delete``,
``inventory.approve``, ``inventory.edit_approve``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shopgen.http.auth import Operator, client_address
from shopgen.http.deps import SessionDep
from shopgen.http.params import IdPath
from shopgen.inventory import repo
from shopgen.inventory.service import InventoryService, to_csv
from shopgen.security import audit

router = APIRouter(prefix="/api/inventory", tags=["inventory"])

Sku = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
SkuQuery = Annotated[list[str] | None, Query(max_length=200)]
Horizon = Annotated[str | None, Query(max_length=8)]


class ApproveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sku: Sku
    quantity: int | None = Field(default=None, ge=0, le=10_000_000)  # None: as suggested
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


def _svc(request: Request) -> InventoryService:
    return request.app.state.inventory


@router.get("/forecast")
def get_forecast(
    request: Request, _: Operator, sku: SkuQuery = None, horizon: Horizon = None,
    freq: Annotated[str | None, Query(max_length=1)] = None, model: Annotated[str | None, Query(max_length=32)] = None,
) -> dict:  # fmt: skip
    """Per SKU: recent history, point forecast with its 80% interval, and the units planned promotions
    and live events add (``effect``), plus the calendar around it."""
    return _svc(request).forecast(sku or None, horizon, freq, model)


@router.get("/plan")
def get_plan(request: Request, _: Operator, sku: SkuQuery = None, horizon: Horizon = None) -> dict:
    return _svc(request).plan(sku or None, horizon)


@router.get("/plan.csv")
def get_plan_csv(request: Request, _: Operator, sku: SkuQuery = None, horizon: Horizon = None) -> Response:
    body = "\ufeff" + to_csv(_svc(request).plan(sku or None, horizon))  # BOM: Excel opens UTF-8 Chinese correctly
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="purchase-plan.csv"'})  # fmt: skip


@router.get("/history")
def get_history(s: SessionDep, _: Operator) -> dict:
    return repo.summary(s)


@router.post("/sync")
def post_sync(request: Request, s: SessionDep, who: Operator) -> dict:
    """Derive daily sales from the shop's orders."""
    out = repo.sync_orders(s)
    audit.record(s, who, "inventory.sync", "", out, address=client_address(request))
    return out


@router.get("/calendar")
def get_calendar(s: SessionDep, _: Operator) -> dict:
    return {"entries": [e.to_dict() for e in repo.calendar(s).entries]}


@router.post("/calendar", status_code=201)
def post_calendar(request: Request, body: dict, s: SessionDep, who: Operator) -> dict:
    """A holiday, promotion (price or discount, dates, SKUs) or live event (room, date, SKUs on stage)."""
    entry = repo.add_entry(s, repo.parse_entry(body))
    audit.record(
        s, who, "inventory.calendar_add", f"calendar:{entry.id}", entry.to_dict(), address=client_address(request)
    )
    return entry.to_dict()


@router.delete("/calendar/{entry_id}", status_code=204)
def delete_calendar(request: Request, entry_id: IdPath, s: SessionDep, who: Operator) -> Response:
    repo.delete_entry(s, entry_id)
    audit.record(s, who, "inventory.calendar_delete", f"calendar:{entry_id}", address=client_address(request))
    return Response(status_code=204)


@router.get("/orders")
def get_orders(s: SessionDep, _: Operator) -> dict:
    return {"items": repo.purchase_orders(s)}


@router.post("/orders", status_code=201)
def post_order(request: Request, body: ApproveIn, s: SessionDep, who: Operator) -> dict:
    """Approve the suggested order for a SKU, or an edited ``quantity``."""
    return _svc(request).approve(s, body.sku, body.quantity, who, body.note, client_address(request))
