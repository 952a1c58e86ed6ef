"""Inventory rows in the shop database: sales history, calendar entries, purchasing parameters and
approved purchase orders. Each function works inside the caller's transaction (``db.session()``),
so an import that fails half-way writes nothing."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta, timezone

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from shopgen.core.errors import InvalidInput, NotFound
from shopgen.inventory.calendar import KINDS, Calendar, Entry
from shopgen.inventory.history import SaleRow
from shopgen.store.models import (
    CalendarEntry,
    InventoryItem,
    Order,
    OrderItem,
    Product,
    PurchaseOrder,
    SalesDay,
    Variant,
)

SHOP_TZ = timezone(timedelta(hours=8))  # the day an order counts for is the shop's (Beijing) day
NOT_SOLD = {"cancelled", "canceled", "closed", "pending", "pending_payment", "unpaid"}
RETURNED = {"refunded", "returned"}


# ---- sales -----------------------------------------------------------------------------------


def save_sales(s: Session, rows: list[SaleRow], source: str = "import") -> dict:
    """Upsert rows by (sku, day): a day already stored is replaced. Returns counts."""
    skus = sorted({r.sku for r in rows})
    existing: dict[tuple[str, date], SalesDay] = {}
    for i in range(0, len(skus), 500):
        for row in s.scalars(select(SalesDay).where(SalesDay.sku.in_(skus[i : i + 500]))):
            existing[(row.sku, row.day)] = row
    new = []
    for r in rows:
        values = {
            "quantity": r.quantity, "returns": r.returns, "price": r.price, "promo": r.promo,
            "holiday": r.holiday, "event": (r.event or None) and r.event[:64], "source": source,
        }  # fmt: skip
        row = existing.get((r.sku, r.day))
        if row is None:
            new.append({"sku": r.sku, "day": r.day, **values})
        else:
            for k, v in values.items():
                setattr(row, k, v)
    if new:
        s.execute(SalesDay.__table__.insert(), new)
    return {"inserted": len(new), "replaced": len(rows) - len(new)}


def history(s: Session, skus: list[str] | None = None) -> list[SaleRow]:
    q = select(SalesDay).order_by(SalesDay.sku, SalesDay.day)
    if skus:
        q = q.where(SalesDay.sku.in_(skus))
    return [SaleRow(r.sku, r.day, r.quantity, r.returns, r.price, r.promo, r.holiday, r.event) for r in s.scalars(q)]


def known_skus(s: Session) -> list[str]:
    return list(s.scalars(select(SalesDay.sku).distinct().order_by(SalesDay.sku)))


def summary(s: Session) -> dict:
    n, first, last = s.execute(select(func.count(SalesDay.id), func.min(SalesDay.day), func.max(SalesDay.day))).one()
    return {
        "rows": n,
        "skus": len(known_skus(s)),
        "first": first and first.isoformat(),
        "last": last and last.isoformat(),
    }


def sync_orders(s: Session) -> dict:
    """Derive daily sales per product SKU from the shop's orders (cancelled and unpaid orders do not
    count; refunded/returned ones count as returns). Replaces earlier order-derived rows; a day that
    already holds imported or demo history is left alone and counted under ``skipped``."""
    sold: dict[tuple[str, date], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    rows = s.execute(
        select(OrderItem.product_sku, OrderItem.quantity, OrderItem.unit_price, Order.status, Order.created_at).join(
            Order, OrderItem.order_id == Order.id
        )
    )
    for sku, qty, price, status, created in rows:
        if status in NOT_SOLD:
            continue
        when = created if created.tzinfo else created.replace(tzinfo=UTC)
        acc = sold[(sku, when.astimezone(SHOP_TZ).date())]
        acc[0] += qty
        acc[1] += qty if status in RETURNED else 0
        acc[2] = float(price)
    s.execute(delete(SalesDay).where(SalesDay.source == "orders"))
    taken = {(r.sku, r.day) for r in s.scalars(select(SalesDay).where(SalesDay.source != "orders"))}
    keep = {k: v for k, v in sold.items() if k not in taken}
    if keep:
        s.execute(
            SalesDay.__table__.insert(),
            [
                {"sku": sku, "day": d, "quantity": q, "returns": r, "price": p, "promo": False, "holiday": False,
                 "event": None, "source": "orders"}
                for (sku, d), (q, r, p) in sorted(keep.items())
            ],
        )  # fmt: skip
    return {"days": len(keep), "skipped": len(sold) - len(keep), "skus": len({k[0] for k in keep})}


# ---- calendar --------------------------------------------------------------------------------


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str
    name: str = Field(min_length=1, max_length=100)
    start: date
    end: date | None = None
    skus: list[str] = Field(default_factory=list, max_length=1000)
    price: float | None = Field(default=None, ge=0)
    discount: float | None = Field(default=None, ge=0, lt=1)
    room: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def _check(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        self.end = self.end or self.start
        if self.end < self.start:
            raise ValueError("end is before start")
        if (self.end - self.start).days > 366:
            raise ValueError("an entry may span at most a year")
        if self.kind == "live" and not self.skus:
            raise ValueError("a live event needs the products on stage (skus)")
        return self


def parse_entry(data: dict) -> EntryIn:
    try:
        return EntryIn.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or "entry"
        detail = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        raise InvalidInput(f"{where}: {err['msg'].removeprefix('Value error, ')}", detail) from None


def add_entry(s: Session, e: EntryIn) -> Entry:
    row = CalendarEntry(
        kind=e.kind, name=e.name, start=e.start, end=e.end, skus=sorted(set(e.skus)), price=e.price,
        discount=e.discount, room=e.room,
    )  # fmt: skip
    s.add(row)
    s.flush()
    return _entry(row)


def delete_entry(s: Session, entry_id: int) -> None:
    row = s.get(CalendarEntry, entry_id)
    if row is None:
        raise NotFound(f"calendar entry {entry_id} does not exist", {"id": entry_id})
    s.delete(row)


def _entry(r: CalendarEntry) -> Entry:
    return Entry(r.kind, r.name, r.start, r.end, tuple(r.skus or ()), r.price, r.discount, r.room, r.id)


def calendar(s: Session) -> Calendar:
    return Calendar([_entry(r) for r in s.scalars(select(CalendarEntry).order_by(CalendarEntry.start))])


# ---- stock and purchasing parameters ----------------------------------------------------------


def stock_by_sku(s: Session) -> dict[str, int]:
    """On-hand units per product SKU (the sum of its variants) and per variant SKU."""
    out: dict[str, int] = {}
    for psku, vsku, stock in s.execute(select(Product.sku, Variant.sku, Variant.stock).join(Product)):
        out[psku] = out.get(psku, 0) + stock
        out[vsku] = stock
    for item in s.scalars(select(InventoryItem).where(InventoryItem.stock.is_not(None))):
        out[item.sku] = item.stock
    return out


def items(s: Session) -> dict[str, InventoryItem]:
    return {i.sku: i for i in s.scalars(select(InventoryItem))}


def titles(s: Session) -> dict[str, str]:
    return dict(s.execute(select(Product.sku, Product.title)).all())


def set_item(s: Session, sku: str, **values) -> InventoryItem:
    row = s.get(InventoryItem, sku)
    if row is None:
        row = InventoryItem(sku=sku)
        s.add(row)
    for k, v in values.items():
        if v is not None:
            setattr(row, k, v)
    return row


# ---- purchase orders ---------------------------------------------------------------------------


def approve(s: Session, sku: str, quantity: int, suggestion: dict, actor: str, note: str = "") -> PurchaseOrder:
    if quantity < 0:
        raise InvalidInput("quantity must not be negative")
    po = PurchaseOrder(
        sku=sku, quantity=quantity, suggested=int(suggestion.get("order_qty", 0)), note=note[:2000],
        suggestion=suggestion, decided_by=actor, status="approved",
    )  # fmt: skip
    s.add(po)
    item = set_item(s, sku)
    item.on_order = (item.on_order or 0) + quantity
    s.flush()
    return po


def purchase_orders(s: Session, limit: int = 100) -> list[dict]:
    rows = s.scalars(select(PurchaseOrder).order_by(PurchaseOrder.id.desc()).limit(limit))
    return [
        {"id": p.id, "sku": p.sku, "quantity": p.quantity, "suggested": p.suggested, "status": p.status,
         "note": p.note, "decided_by": p.decided_by, "at": _iso(p.created_at)}
        for p in rows
    ]  # fmt: skip


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None
