"""Purchase suggestions from a forecast distribution (periodic review, order-up-to).

For one SKU with on-hand stock, stock on order, lead time ``L`` and review period ``R`` (days), and the
forecast per period with its 80% interval (standard deviation ``(hi - lo) / 2.563`` per period, added
over periods with correlation ``RHO``):

- reorder point ``s = mean(L) + z·sd(L)``: below it, the stock on hand and on order will not last
  until an order placed now arrives;
- order-up-to ``S = mean(L + R) + z·sd(L + R)``: enough to reach the next review's order arriving;
- order quantity ``S − (on hand + on order)``, raised to the minimum order quantity and rounded up to
  whole packs; zero when the position is already at or above ``S``.

The service level is a **fill rate** (β, 满足率): the share of demand served from stock. ``z`` is the
safety factor at which the expected shortage per review cycle, ``sd(L + R)·G(z)`` with ``G`` the
standard normal loss function, is ``(1 − β)`` of the cycle's demand ``mean(R)`` (never below 0: no plan
orders less than the mean forecast). A fast, steady seller then gets a small ``z`` (a shortfall of
one sd is a small share of its demand), an erratic slow one a larger ``z``. The first version used the normal
quantile of the level (0.95 → 1.645) for every SKU, a probability of no stockout per cycle: on M5
items it held 18% more stock for a lower fill rate (BENCHMARKS.md, Inventory). A shop that counts
cycles with any shortage rather than lost units keeps that meaning with ``measure="cycle"``
(``SHOPGEN_INVENTORY_SERVICE_MEASURE=cycle``). Warnings: ``below_reorder_point``,
``dead_stock`` (stock but no sales in the last ``DEAD_PERIODS`` and none forecast), ``over_stock``
(more than ``OVER_WEEKS`` weeks of forecast demand on hand).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist

RHO = 0.5
Z80 = 1.2816
DEAD_PERIODS = 13
OVER_WEEKS = 26
DAYS = {"D": 1, "W": 7, "M": 30.44}
Z_MAX = 4.0


@dataclass(frozen=True)
class Params:
    lead_time_days: int = 14
    review_days: int = 7
    service_level: float = 0.95
    moq: int = 1
    pack_size: int = 1
    measure: str = "fill"  # "fill": a fill rate; "cycle": the chance of no stockout in a review cycle


def upper_sd(p: dict) -> float:
    """The standard deviation that matters for running out: from the interval's upper side (skewed,
    mostly-zero demand has a long one), at least half the interval's width."""
    return max(0.0, p["hi"] - p["yhat"], (p["hi"] - p["lo"]) / 2) / Z80


def demand_over(points: list[dict], periods: float) -> tuple[float, float]:
    """Mean and standard deviation of demand over the first ``periods`` (fractional) forecast periods."""
    mean = s1 = s2 = 0.0
    left = periods
    for p in points:
        if left <= 0:
            break
        w = min(1.0, left)
        sd = upper_sd(p)
        mean, s1, s2 = mean + w * p["yhat"], s1 + w * sd, s2 + (w * sd) ** 2
        left -= w
    if left > 0 and points:  # beyond the horizon: the last period repeats
        p = points[-1]
        sd = upper_sd(p)
        mean, s1, s2 = mean + left * p["yhat"], s1 + left * sd, s2 + (left * sd) ** 2
    return mean, math.sqrt((1 - RHO) * s2 + RHO * s1 * s1)


def loss(z: float) -> float:
    """The standard normal loss function ``G(z) = φ(z) − z·(1 − Φ(z))``: expected shortage per unit sd."""
    n = NormalDist()
    return n.pdf(z) - z * (1.0 - n.cdf(z))


def safety_factor(fill_rate: float, sd_protection: float, mean_review: float) -> float:
    """``z`` with ``sd_protection · G(z) = (1 − fill_rate) · mean_review``, in [0, Z_MAX]."""
    if sd_protection <= 1e-12:
        return 0.0
    target = (1.0 - fill_rate) * max(mean_review, 0.0) / sd_protection
    lo, hi = 0.0, Z_MAX
    if loss(lo) <= target:
        return 0.0
    if loss(hi) >= target:
        return hi
    for _ in range(60):  # G decreases in z
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if loss(mid) > target else (lo, mid)
    return (lo + hi) / 2


def safety_z(measure: str, level: float, sd_protection: float, mean_review: float) -> float:
    """The safety factor for a service ``level``: a fill rate (``"fill"``, :func:`safety_factor`) or
    the chance of no stockout in a cycle (``"cycle"``, the normal quantile)."""
    if measure == "cycle":
        return NormalDist().inv_cdf(level)
    return safety_factor(level, sd_protection, mean_review)


def round_order(raw: float, moq: int, pack: int) -> int:
    if raw <= 0:
        return 0
    q = max(raw, moq)
    return int(math.ceil(q / pack - 1e-9) * pack)


def suggest(
    points: list[dict],
    freq: str,
    on_hand: int,
    on_order: int,
    p: Params,
    *,
    recent: list[float],
    as_of: date,
    live_events: list[dict] = (),
) -> dict:
    """The suggestion for one SKU; ``points`` are forecast periods ``{ds, yhat, lo, hi}``."""
    per = DAYS[freq]
    mean_l, sd_l = demand_over(points, p.lead_time_days / per)
    mean_p, sd_p = demand_over(points, (p.lead_time_days + p.review_days) / per)
    z = safety_z(p.measure, p.service_level, sd_p, mean_p - mean_l)
    rop, s_level = mean_l + z * sd_l, mean_p + z * sd_p
    position = on_hand + on_order
    raw = max(0.0, s_level - position)
    qty = round_order(raw, p.moq, p.pack_size)
    weekly = sum(x["yhat"] for x in points) / max(len(points), 1) * 7 / per
    warnings = []
    if position < rop:
        warnings.append("below_reorder_point")
    if on_hand > 0 and recent and sum(recent[-DEAD_PERIODS:]) == 0 and weekly < 1e-6:
        warnings.append("dead_stock")
    elif weekly > 0 and on_hand / weekly > OVER_WEEKS:
        warnings.append("over_stock")
    risks = [_event_risk(e, points, freq, on_hand, on_order, p, as_of) for e in live_events]
    if any(r["stockout_probability"] >= 1 - p.service_level for r in risks):
        warnings.append("stockout_risk_before_live")
    return {
        "on_hand": on_hand, "on_order": on_order, "inventory_position": position,
        "lead_time_days": p.lead_time_days, "review_days": p.review_days, "service_level": p.service_level,
        "service_measure": p.measure,
        "moq": p.moq, "pack_size": p.pack_size,
        "demand_lead_time": round(mean_l, 2), "demand_protection": round(mean_p, 2), "sd_protection": round(sd_p, 2),
        "safety_factor": round(z, 3), "safety_stock": round(z * sd_p, 2), "reorder_point": round(rop, 2), "order_up_to": round(s_level, 2),
        "raw_qty": round(raw, 2), "order_qty": qty, "weekly_demand": round(weekly, 2),
        "weeks_of_cover": round(on_hand / weekly, 1) if weekly > 0 else None,
        "warnings": warnings, "live_risks": risks,
    }  # fmt: skip


def _event_risk(event: dict, points, freq: str, on_hand: int, on_order: int, p: Params, as_of: date) -> dict:
    """The chance that demand up to the end of a live event's day exceeds the stock that will be there.
    Stock on order counts only if it arrives before the event (ordered now: after the lead time)."""
    end = date.fromisoformat(event["end"])
    days = (end - as_of).days
    mean, sd = demand_over(points, max(days, 0) / DAYS[freq])
    arrives = as_of + timedelta(days=p.lead_time_days)
    available = on_hand + (on_order if arrives <= end else 0)
    prob = 0.0 if sd <= 0 and available >= mean else 1.0 - NormalDist(mean, max(sd, 1e-9)).cdf(available)
    return {
        "event": event["name"], "room": event.get("room"), "start": event["start"], "end": event["end"],
        "expected_demand": round(mean, 2), "available": available, "stockout_probability": round(prob, 4),
        "order_now_arrives": arrives.isoformat(), "in_time": arrives <= date.fromisoformat(event["start"]),
    }  # fmt: skip
