"""Load the demo shop idempotently: a second load updates in place and adds nothing."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import delete, select

from shopgen.demo import sales
from shopgen.events import formats
from shopgen.events import store as events
from shopgen.inventory import repo as inventory_repo
from shopgen.store import catalog, importer
from shopgen.store.models import CalendarEntry, KBEntry, Order, OrderItem, SalesDay

DATA = Path(__file__).parent / "data"


def _jsonl(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _load_kb(s) -> int:
    n = 0
    for e in _jsonl("kb.jsonl"):
        row = s.scalars(select(KBEntry).where(KBEntry.kind == e["kind"], KBEntry.question == e["question"])).first()
        if row is None:
            row = KBEntry(kind=e["kind"], question=e["question"])
            s.add(row)
        row.topic, row.answer, row.source = e["topic"], e["answer"], "demo"
        n += 1
    return n


def _load_orders(s) -> int:
    n = 0
    for o in _jsonl("orders.jsonl"):
        row = s.scalars(select(Order).where(Order.order_no == o["order_no"])).first()
        if row is None:
            row = Order(order_no=o["order_no"])
            s.add(row)
        for k in ("customer_id", "customer_name", "phone", "address", "status", "carrier", "tracking_no"):
            setattr(row, k, o.get(k))
        row.total = Decimal(o["total"])
        row.created_at = datetime.fromisoformat(o["created_at"])
        row.items.clear()
        row.items.extend(
            OrderItem(
                product_sku=i["product_sku"],
                variant_sku=i.get("variant_sku"),
                title=i["title"],
                quantity=i["quantity"],
                unit_price=Decimal(i["unit_price"]),
            )
            for i in o["items"]
        )
        n += 1
    return n


def _load_sales(s) -> dict:
    """The seeded sales history (replacing the previous demo rows) and the demo calendar."""
    products = _jsonl("products.jsonl")
    rows = sales.generate(products, _jsonl("orders.jsonl"))
    s.execute(delete(SalesDay).where(SalesDay.source == "demo"))
    inventory_repo.save_sales(s, rows, "demo")
    by_cat: dict[str, list[str]] = {}
    for p in products:
        by_cat.setdefault(p["category"], []).append(p["sku"])
    for e in sales.calendar_entries():
        skus = e.get("skus") or (by_cat[e["category"]] if e.get("category") else [])
        row = s.scalars(
            select(CalendarEntry).where(
                CalendarEntry.kind == e["kind"], CalendarEntry.name == e["name"], CalendarEntry.start == e["start"]
            )
        ).first()
        if row is None:
            row = CalendarEntry(kind=e["kind"], name=e["name"], start=e["start"])
            s.add(row)
        row.end, row.skus, row.discount, row.room = e["end"], sorted(skus), e.get("discount"), e.get("room")
    return {"sales_days": len(rows), "calendar_entries": len(sales.calendar_entries())}


def load_demo(db, hub=None) -> dict:
    """Load products, knowledge base, orders, shopper behaviour and the sales history with its
    calendar in one transaction. Returns counts. Events keep their ids, so loading again stores none
    twice; ``hub`` (an EventHub) is told what was stored."""
    rows = importer.read_file(DATA / "products.jsonl")
    behaviour = formats.events(DATA / "events.jsonl")
    with db.session() as s:
        for r in rows:
            catalog.upsert(s, r.product)
        kb = _load_kb(s)
        orders = _load_orders(s)
        stored = events.ingest(s, behaviour, source="demo")
        history = _load_sales(s)
    if hub is not None:
        hub.publish(stored)
    return {"products": len(rows), "kb_entries": kb, "orders": orders, "events": len(behaviour), **history}
