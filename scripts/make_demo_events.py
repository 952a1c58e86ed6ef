"""Writes src/shopgen/demo/data/events.jsonl: eight weeks of shopper behaviour in the demo shop,
simulated with a fixed seed so the 推荐 and 用户洞察 pages have something true to show.

Nothing here is real data. 150 shoppers join over the eight weeks (2026-09-28 … 2026-11-23,
the same weeks as the demo reviews). Each has a main and a second category, a price band and a
loyalty level (how likely they come back in a later week). A visit views a few products,
mostly in their categories and in their price band, and moves on to related products (same
category, same brand or same main fibre), so co-views carry signal; some views are carted and
some carts bought (consumables — food and beauty — are bought again). Visits happen at lunch and
in the evening; each visit also logs the 推荐位 impressions shown, and some visits come from the
live room (直播间). Purchases carry the quantity as ``value``.

    python scripts/make_demo_events.py
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src/shopgen/demo/data"
START = datetime(2026, 9, 28, tzinfo=timezone(timedelta(hours=8)))
WEEKS = 8
SHOPPERS = 150
CATEGORY_SHARE = {"服装": 0.32, "美妆": 0.26, "数码": 0.18, "食品": 0.14, "家居": 0.10}
BANDS = {"budget": (0, 120), "mid": (60, 400), "premium": (150, 5000)}
HOURS = [8, 9, 10, 11, 12, 12, 13, 13, 14, 15, 17, 19, 20, 20, 21, 21, 21, 22, 22, 23]
CONSUMABLE = {"食品", "美妆"}


def fibre(attrs: dict) -> str | None:
    value = attrs.get("面料") or attrs.get("材质") or ""
    for f in ("羊毛", "聚酯纤维", "棉"):
        if f in value:
            return f
    return None


def main() -> None:
    rng = random.Random(20261206)
    products = [json.loads(line) for line in (ROOT / "products.jsonl").open(encoding="utf-8")]
    for p in products:
        p["_price"] = float(p["price"])
        p["_fibre"] = fibre(p["attributes"])
        p["_appeal"] = rng.uniform(0.3, 1.0)  # some products simply sell better
    by_cat: dict[str, list[dict]] = {}
    for p in products:
        by_cat.setdefault(p["category"], []).append(p)
    cats = list(CATEGORY_SHARE)
    events: list[dict] = []

    def add(user, sku, kind, when, **extra):
        events.append(
            {"id": f"d{len(events) + 1:05d}", "user": user, "item": sku, "type": kind, "ts": when.isoformat(), **extra}
        )

    for n in range(1, SHOPPERS + 1):
        user = f"c{n:03d}"
        main_cat = rng.choices(cats, weights=list(CATEGORY_SHARE.values()))[0]
        second = rng.choice([c for c in cats if c != main_cat])
        lo, hi = BANDS[rng.choices(list(BANDS), weights=[0.4, 0.45, 0.15])[0]]
        loyalty = rng.choice([0.15, 0.3, 0.5, 0.7])
        first_week = min(WEEKS - 1, int(rng.triangular(0, WEEKS, 1)))
        hour_bias = rng.choice([HOURS[:10], HOURS[10:], HOURS])

        def pick(cat: str, near: dict | None = None, lo: float = lo, hi: float = hi) -> dict:
            pool = by_cat[cat]
            weights = []
            for p in pool:
                w = p["_appeal"] * (2.0 if lo <= p["_price"] <= hi else 0.4)
                if near is not None and p is not near:
                    w *= (
                        1
                        + 3 * (p["brand"] == near["brand"])
                        + 3 * (p["_fibre"] is not None and p["_fibre"] == near["_fibre"])
                    )
                if p is near:
                    w = 0.01
                weights.append(w)
            return rng.choices(pool, weights=weights)[0]

        bought: list[dict] = []
        for week in range(first_week, WEEKS):
            if week > first_week and rng.random() > loyalty:
                continue
            for _ in range(rng.choice([1, 1, 2, 3])):
                day = START + timedelta(days=7 * week + rng.randrange(7))
                when = day.replace(hour=rng.choice(hour_bias), minute=rng.randrange(60))
                live = rng.random() < 0.15
                surface = "live" if live else None
                for sku in rng.sample([p["sku"] for p in products], 1):
                    add(user, sku, "impression", when, surface="recommend")
                current = None
                for step in range(rng.choice([2, 3, 3, 4, 5, 6])):
                    when += timedelta(minutes=rng.randint(1, 6))
                    cat = main_cat if rng.random() < 0.75 else second
                    current = pick(cat, current if current and current["category"] == cat and step else None)
                    add(user, current["sku"], "view", when, **({"surface": surface} if surface else {}))
                    fit = lo <= current["_price"] <= hi
                    if rng.random() < (0.32 if fit else 0.08):
                        when += timedelta(minutes=rng.randint(1, 3))
                        add(user, current["sku"], "cart", when)
                        if rng.random() < (0.6 if live else 0.45):
                            when += timedelta(minutes=rng.randint(1, 20))
                            add(user, current["sku"], "purchase", when, value=rng.choice([1, 1, 1, 2]))
                            bought.append(current)
                    elif rng.random() < 0.05:
                        add(user, current["sku"], "favorite", when)
                # consumables run out: a later visit may buy one again straight away
                again = [p for p in bought if p["category"] in CONSUMABLE]
                if again and rng.random() < 0.35:
                    p = rng.choice(again)
                    when += timedelta(minutes=rng.randint(2, 10))
                    add(user, p["sku"], "view", when)
                    add(user, p["sku"], "purchase", when + timedelta(minutes=2), value=1)
    events.sort(key=lambda e: (e["ts"], e["id"]))
    with (ROOT / "events.jsonl").open("w", encoding="utf-8") as f:
        for e in events:
            f.write(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n")
    kinds = {k: sum(e["type"] == k for e in events) for k in ("impression", "view", "cart", "purchase", "favorite")}
    print(f"{len(events)} events, {len({e['user'] for e in events})} shoppers: {kinds}")


if __name__ == "__main__":
    main()
