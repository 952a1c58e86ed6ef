"""What shoppers do, summarised for operators.

Input: events (``shopgen.events.store.Row``) and the catalog (``{sku: {category, price, title}}``;
an event for a product the catalog no longer has counts under 「已下架」 at price 0).

- **RFM** (purchasers only): recency = days from the last purchase to the last event in the data,
  frequency = distinct days with a purchase, monetary = Σ price × quantity (``value``, default 1).
  R is high when recency ≤ the median, F when a shopper bought on 2 or more days, M when
  monetary ≥ the median; the eight classic segments follow (重要价值客户 = high on all three …).
  Shoppers who never bought are 「仅浏览」.
- **Funnel**: distinct shoppers who viewed, carted and bought, per category and per product.
- **Repeat purchase**: purchasers who bought on 2 or more days, overall and per category.
- **Cohorts**: shoppers by the week (Monday) of their first event; the share active (any event but
  an impression) in each later week.
- **Profiles**: per segment, what they buy, the price band and the hours they are active.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from shopgen.core.errors import InvalidInput

SEGMENTS = {
    (True, True, True): "重要价值客户",
    (False, True, True): "重要保持客户",
    (True, False, True): "重要发展客户",
    (False, False, True): "重要挽留客户",
    (True, True, False): "一般价值客户",
    (False, True, False): "一般保持客户",
    (True, False, False): "一般发展客户",
    (False, False, False): "一般挽留客户",
}
BROWSING = "仅浏览"
GONE = "已下架"
BANDS = ((100, "100 元以下"), (300, "100–300 元"), (float("inf"), "300 元以上"))
STAGES = ("view", "cart", "purchase")


def _product(products: dict, sku: str) -> dict:
    return products.get(sku) or {"category": GONE, "price": 0.0, "title": sku}


def band(price: float) -> str:
    return next(label for top, label in BANDS if price < top)


def _active(rows) -> list:
    return [r for r in rows if r.type != "impression"]


def rfm(rows, products: dict) -> list[dict]:
    """One entry per shopper (purchasers first, by monetary), with their segment."""
    if not rows:
        return []
    end = max(r.ts for r in rows)
    bought: dict[str, list] = defaultdict(list)
    for r in rows:
        if r.type == "purchase":
            bought[r.user].append(r)
    out = []
    for user, rs in bought.items():
        qty = [max(1.0, float(r.value or 1)) for r in rs]
        out.append(
            {
                "user": user,
                "recency_days": (end - max(r.ts for r in rs)).days,
                "frequency": len({r.ts.date() for r in rs}),
                "monetary": round(sum(_product(products, r.item)["price"] * q for r, q in zip(rs, qty)), 2),
            }
        )
    if out:
        r_med = statistics.median(x["recency_days"] for x in out)
        m_med = statistics.median(x["monetary"] for x in out)
        for x in out:
            key = (x["recency_days"] <= r_med, x["frequency"] >= 2, x["monetary"] >= m_med)
            x["segment"] = SEGMENTS[key]
    browsing = sorted({r.user for r in _active(rows)} - set(bought))
    out.sort(key=lambda x: (-x["monetary"], x["user"]))
    return out + [
        {"user": u, "recency_days": None, "frequency": 0, "monetary": 0.0, "segment": BROWSING} for u in browsing
    ]


def funnel(rows, products: dict, by: str = "category") -> list[dict]:
    """Distinct shoppers at each stage per category (``by="category"``) or product (``"product"``)."""
    stages: dict[str, dict[str, set]] = defaultdict(lambda: {s: set() for s in STAGES})
    for r in rows:
        if r.type in STAGES:
            key = _product(products, r.item)["category"] if by == "category" else r.item
            stages[key][r.type].add(r.user)
    out = []
    for key, s in stages.items():
        v, c, p = (len(s[x]) for x in STAGES)
        entry = {"key": key, "view": v, "cart": c, "purchase": p}
        entry["view_to_cart"] = round(c / v, 4) if v else 0.0
        entry["cart_to_purchase"] = round(p / c, 4) if c else 0.0
        entry["view_to_purchase"] = round(p / v, 4) if v else 0.0
        if by == "product":
            entry["title"] = _product(products, key)["title"]
            entry["category"] = _product(products, key)["category"]
        out.append(entry)
    out.sort(key=lambda e: (-e["view"], e["key"]))
    return out


def repeat(rows, products: dict) -> dict:
    days: dict[str, set] = defaultdict(set)
    by_cat: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for r in rows:
        if r.type == "purchase":
            days[r.user].add(r.ts.date())
            by_cat[_product(products, r.item)["category"]][r.user].add(r.ts.date())

    def rate(d: dict) -> dict:
        n, again = len(d), sum(len(x) >= 2 for x in d.values())
        return {"purchasers": n, "repeat": again, "rate": round(again / n, 4) if n else 0.0}

    return {**rate(days), "by_category": {c: rate(d) for c, d in sorted(by_cat.items())}}


def week_of(ts: datetime) -> str:
    return (ts.date() - timedelta(days=ts.weekday())).isoformat()


def cohorts(rows) -> list[dict]:
    """``[{cohort, size, retention: [1.0, share in week +1, …]}]`` by first-active week."""
    active = _active(rows)
    if not active:
        return []
    weeks_by_user: dict[str, set] = defaultdict(set)
    for r in active:
        weeks_by_user[r.user].add(week_of(r.ts))
    all_weeks = sorted({w for ws in weeks_by_user.values() for w in ws})
    pos = {w: n for n, w in enumerate(all_weeks)}
    groups: dict[str, list[set]] = defaultdict(list)
    for ws in weeks_by_user.values():
        groups[min(ws)].append(ws)
    out = []
    for cohort in sorted(groups):
        members = groups[cohort]
        span = len(all_weeks) - pos[cohort]
        retention = [
            round(sum(all_weeks[pos[cohort] + k] in ws for ws in members) / len(members), 4) for k in range(span)
        ]
        out.append({"cohort": cohort, "size": len(members), "retention": retention})
    return out


def profiles(rows, products: dict, segments: list[dict]) -> list[dict]:
    seg_of = {x["user"]: x["segment"] for x in segments}
    cats: dict[str, Counter] = defaultdict(Counter)
    prices: dict[str, list] = defaultdict(list)
    hours: dict[str, Counter] = defaultdict(Counter)
    for r in _active(rows):
        seg = seg_of.get(r.user)
        if seg is None:
            continue
        hours[seg][r.ts.hour] += 1
        if r.type == "purchase":
            p = _product(products, r.item)
            cats[seg][p["category"]] += 1
            prices[seg].append(p["price"])
    members = Counter(seg_of.values())
    money = defaultdict(list)
    for x in segments:
        money[x["segment"]].append(x["monetary"])
    out = []
    for seg, n in members.most_common():
        med = statistics.median(prices[seg]) if prices[seg] else None
        out.append(
            {
                "segment": seg,
                "users": n,
                "share": round(n / len(seg_of), 4),
                "avg_monetary": round(statistics.fmean(money[seg]), 2),
                "top_categories": [c for c, _ in cats[seg].most_common(3)],
                "median_price": med,
                "price_band": band(med) if med is not None else None,
                "active_hours": [h for h, _ in hours[seg].most_common(3)],
            }
        )
    return out


def analyse(rows, products: dict, tz_hours: int = 8) -> dict:
    """Everything above in one dictionary. Times are shifted to the shop's time zone (UTC+8 by
    default) so hours and weeks are the shop's. InvalidInput when there is no behaviour at all."""
    rows = list(rows)
    if not _active(rows):
        raise InvalidInput("no shopper behaviour to analyse (no views, carts or purchases)")
    shift = timedelta(hours=tz_hours)
    rows = [type(r)(**{**r.__dict__, "ts": (r.ts + shift).replace(tzinfo=None)}) for r in rows]
    segments = rfm(rows, products)
    active = _active(rows)
    hours = Counter(r.ts.hour for r in active)
    counts = Counter(r.type for r in rows)
    return {
        "summary": {
            "events": len(rows),
            "shoppers": len({r.user for r in active}),
            "purchasers": sum(1 for x in segments if x["segment"] != BROWSING),
            "products": len({r.item for r in active}),
            "by_type": dict(counts),
            "first": min(r.ts for r in rows).isoformat(),
            "last": max(r.ts for r in rows).isoformat(),
        },
        "rfm": segments,
        "segments": dict(Counter(x["segment"] for x in segments).most_common()),
        "funnel_category": funnel(rows, products, "category"),
        "funnel_product": funnel(rows, products, "product"),
        "repeat": repeat(rows, products),
        "cohorts": cohorts(rows),
        "profiles": profiles(rows, products, segments),
        "hours": [hours.get(h, 0) for h in range(24)],
    }
