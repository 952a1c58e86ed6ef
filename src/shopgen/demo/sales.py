"""The demo shop's sales history: a seeded, synthetic two years of daily sales per product, plus the
demo orders' own items, and the calendar that shaped it (promotions, live events) and that lies
ahead (a scheduled live event and a 双12 promotion). Regenerated identically on every load.

Demand per product is a Poisson–gamma draw around a base rate set from its stock (weeks of cover
between about 3 and 40), with a weekend bump, a yearly wave by category, the shopping festivals
(618, 双11, 双12: ×1.4 over the window, ×3 on the peak day), promotions (lift 1 + 3 × discount) and
live events (×8 on the day for the products on stage). A few products are special on purpose: an
expensive, mostly-zero one (SM-3010), one that stopped selling (FZ-1009: dead stock) and fast movers
with little stock (MZ-2009, SP-4002, JJ-5007: below their reorder points).
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta

from shopgen.inventory.history import SaleRow
from shopgen.inventory.holidays import holidays_between

SEED = 20261111
START, END = date(2024, 11, 4), date(2026, 11, 11)  # END: the last demo order's day
COVER_DAYS = {"MZ-2009": 9, "SP-4002": 6, "JJ-5007": 8, "SM-3010": 400, "FZ-1009": 300}
INTERMITTENT = {"SM-3010"}
STOPPED = {"FZ-1009": date(2026, 6, 1)}
SEASON_PEAK = {"服装": 170, "美妆": 200, "数码": 320, "食品": 20, "家居": 300}  # day of year

PROMOTIONS = [  # (name, start, end, discount, category or None for the whole shop)
    ("618 年中大促", date(2025, 6, 14), date(2025, 6, 18), 0.2, None),
    ("双11 狂欢", date(2025, 11, 8), date(2025, 11, 11), 0.25, None),
    ("春季服装上新", date(2026, 3, 16), date(2026, 3, 22), 0.15, "服装"),
    ("618 年中大促", date(2026, 6, 14), date(2026, 6, 18), 0.2, None),
    ("双11 狂欢", date(2026, 11, 8), date(2026, 11, 11), 0.25, None),
    ("双12 年终促销", date(2026, 12, 10), date(2026, 12, 12), 0.2, "美妆"),  # planned
]
LIVES = [  # (name, room, day, skus)
    ("美妆专场直播", "主播间A", date(2025, 9, 20), ["MZ-2001", "MZ-2002", "MZ-2003"]),
    ("服装秋冬直播", "主播间B", date(2025, 10, 25), ["FZ-1001", "FZ-1004", "FZ-1006"]),
    ("年货节直播", "主播间A", date(2026, 1, 24), ["SP-4001", "SP-4003", "SP-4008"]),
    ("美妆专场直播", "主播间A", date(2026, 4, 18), ["MZ-2001", "MZ-2002", "MZ-2009"]),
    ("数码新品直播", "主播间B", date(2026, 8, 22), ["SM-3002", "SM-3003", "SM-3006"]),
    ("美妆专场直播", "主播间A", date(2026, 10, 17), ["MZ-2001", "MZ-2002", "MZ-2003"]),
    ("双12 美妆直播", "主播间A", date(2026, 12, 5), ["MZ-2001", "MZ-2002", "MZ-2009"]),  # scheduled
]


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _festival(day: date) -> float:
    f = 1.0
    for h in holidays_between(day, day, "festival"):
        f = max(f, 3.0 if day == h.peak else 1.4)
    return f


def calendar_entries() -> list[dict]:
    out = [
        {"kind": "promotion", "name": n, "start": s, "end": e, "discount": d, "category": c}
        for n, s, e, d, c in PROMOTIONS
    ]
    out += [{"kind": "live", "name": n, "room": r, "start": d, "end": d, "skus": skus} for n, r, d, skus in LIVES]
    return out


def generate(products: list[dict], orders: list[dict]) -> list[SaleRow]:
    """Daily rows for every product from START to END (the demo orders' items added on their day)."""
    rng = random.Random(SEED)
    ordered: dict[tuple[str, date], int] = {}
    for o in orders:
        day = datetime.fromisoformat(o["created_at"]).date()
        if o["status"] in ("cancelled", "pending_payment"):
            continue
        for i in o["items"]:
            ordered[(i["product_sku"], day)] = ordered.get((i["product_sku"], day), 0) + i["quantity"]
    rows = []
    for p in products:
        sku, cat, price = p["sku"], p["category"], float(p["price"])
        stock = sum(v.get("stock", 0) for v in p.get("variants", []))
        cover = COVER_DAYS.get(sku, rng.uniform(25, 150))
        base = max(0.05, stock / cover)
        shape = 0.3 if sku in INTERMITTENT else 4.0
        day = START
        while day <= END:
            lam = base * (1.2 if day.weekday() >= 5 else 1.0)
            lam *= 1 + 0.25 * math.cos(2 * math.pi * (day.timetuple().tm_yday - SEASON_PEAK[cat]) / 365)
            lam *= _festival(day)
            disc = max([d for _, s, e, d, c in PROMOTIONS if s <= day <= e and c in (None, cat)], default=0.0)
            lam *= 1 + 3 * disc
            live = any(d == day and sku in skus for _, _, d, skus in LIVES)
            lam *= 8 if live else 1
            if sku in STOPPED and day >= STOPPED[sku]:
                lam = 0.0
            qty = _poisson(rng, rng.gammavariate(shape, lam / shape) if lam > 0 else 0.0)
            qty += ordered.get((sku, day), 0)
            if qty or day.weekday() == 0:  # Mondays always get a row, so the series never looks cut short
                rows.append(SaleRow(sku, day, float(qty), 0.0, round(price * (1 - disc), 2), disc > 0, False, None))
            day += timedelta(days=1)
    return rows
