"""Replay demand period by period and order with the forecast, or with a plain rule.

Both policies review every period (a week; days are summed to weeks, months stay months), order at
the start of a period and receive the order ``lead_time`` periods later; demand that finds no stock is
lost. The forecast policy orders up to the forecast demand over the lead time plus one period plus
``z`` standard deviations, ``z`` sized for the target fill rate (or cycle service) as in planning
(:func:`shopgen.inventory.planning.safety_z`); the standard deviation comes from the 80%
interval's upper side (``max(hi - yhat, (hi - lo) / 2) / 1.2816``, as in planning) and is added over
periods with correlation ``RHO`` (forecast errors of neighbouring periods move together). It uses only
the forecast made at its window's origin, never a later one. The plain rule orders up to ``k`` weeks of the average of the last 4 periods' actual
demand: ``k`` = 4 is reported, and, to compare the stock each needs for the same fill rate, ``k``
goes up from half a week in half weeks until the plain rule's fill rate reaches the forecast policy's.
"""

from __future__ import annotations

import math

from shopgen.core.lazy import require
from shopgen.inventory.planning import safety_z

RHO = 0.5
WEEKS = {"W": 1.0, "M": 4.345}
LEAD = {"W": 2, "M": 1}


def _weekly(frame, trains: dict, freq: str):
    """Per series: actual, forecast, sigma, window per period, and the history before the first one."""
    np = require("numpy", "forecast")
    f = frame.sort_values(["unique_id", "ds"]).copy()
    f["var"] = (np.maximum(f["hi"] - f["yhat"], (f["hi"] - f["lo"]) / 2) / 1.2816) ** 2  # the upper side: what runs out
    if freq == "D":
        f["ds"] = f["ds"].dt.to_period("W-SUN").dt.start_time
        f = f.groupby(["unique_id", "window", "ds"], as_index=False).agg(
            y=("y", "sum"), yhat=("yhat", "sum"), var=("var", "sum"), days=("y", "size")
        )
        f = f[f["days"] == 7]  # partial weeks at window edges are left out
    out = {}
    for uid, g in f.groupby("unique_id", sort=False):
        hist = trains.get((0, uid))
        if hist is None:
            continue
        if freq == "D":
            hist = (
                np.add.reduceat(hist[len(hist) % 7 :], np.arange(0, len(hist) - len(hist) % 7, 7))
                if len(hist) >= 7
                else hist
            )
        out[uid] = (g["y"].to_numpy(float), g["yhat"].to_numpy(float), np.sqrt(g["var"].to_numpy(float)),
                    g["window"].to_numpy(), np.asarray(hist, float))  # fmt: skip
    return out


def _replay(demand, targets, lead: int) -> tuple[float, float, int, float]:
    """``(sold, demand, stockout periods, mean stock at period end)`` for order-up-to ``targets[t]``."""
    on_hand = targets[0]
    pipeline = [0.0] * lead
    sold = total = stock = 0.0
    outs = 0
    for t, d in enumerate(demand):
        on_hand += pipeline.pop(0)
        order = max(0.0, targets[t] - on_hand - sum(pipeline))
        pipeline.append(order)
        s = min(on_hand, d)
        outs += int(d > on_hand + 1e-9)
        sold, total, on_hand = sold + s, total + d, on_hand - s
        stock += on_hand
    return sold, total, outs, stock / max(len(demand), 1)


def _policy_targets(mu, sigma, window, lead: int, service: float, measure: str = "fill"):
    n = len(mu)
    out = []
    for t in range(n):
        last = max(i for i in range(n) if window[i] == window[t])
        idx = [min(t + j, last) for j in range(lead + 1)]
        m = sum(mu[i] for i in idx)
        s2 = sum(sigma[i] ** 2 for i in idx)
        s1 = sum(sigma[i] for i in idx)
        sd = math.sqrt((1 - RHO) * s2 + RHO * s1 * s1)
        out.append(m + safety_z(measure, service, sd, mu[idx[-1]]) * sd)
    return out


def _plain_targets(demand, hist, k_weeks: float, freq: str):
    seen = list(hist[-4:])
    out = []
    for d in demand:
        avg = sum(seen[-4:]) / max(len(seen[-4:]), 1)
        out.append(avg * k_weeks / WEEKS.get(freq, 1.0))
        seen.append(d)
    return out


def _total(series: dict, targets_of, lead: int) -> dict:
    sold = demand = stock = 0.0
    outs = periods = 0
    for uid, (y, *_rest) in series.items():
        s, d, o, inv = _replay(y, targets_of(uid), lead)
        sold, demand, outs, stock, periods = sold + s, demand + d, outs + o, stock + inv, periods + len(y)
    return {
        "fill_rate": round(sold / demand, 4) if demand else None,
        "stockout_periods": outs,
        "stockout_share": round(outs / periods, 4) if periods else None,
        "avg_inventory": round(stock, 2),
    }


def compare(
    frame, trains: dict, freq: str, *, service: float = 0.95, lead_time: int | None = None, measure: str = "fill"
) -> dict:
    sim_freq = "M" if freq == "M" else "W"
    lead = lead_time or LEAD[sim_freq]
    series = _weekly(frame, trains, freq)
    policy = _total(
        series, lambda u: _policy_targets(series[u][1], series[u][2], series[u][3], lead, service, measure), lead
    )
    plain4 = _total(series, lambda u: _plain_targets(series[u][0], series[u][4], 4.0, sim_freq), lead)
    matched, k = None, 0.0
    while k < 26 and policy["fill_rate"] is not None:  # the least stock the plain rule needs for the same fill
        k += 0.5
        matched = _total(series, lambda u, k=k: _plain_targets(series[u][0], series[u][4], k, sim_freq), lead)
        if matched["fill_rate"] is not None and matched["fill_rate"] >= policy["fill_rate"]:
            break
    matched = matched or plain4
    ratio = policy["avg_inventory"] / matched["avg_inventory"] if matched["avg_inventory"] else None
    return {
        "period": "week" if sim_freq == "W" else "month",
        "lead_time_periods": lead,
        "review_periods": 1,
        "service_target": service,
        "service_measure": measure,
        "series": len(series),
        "policy": policy,
        "plain_4_weeks": plain4,
        "plain_matched": {**matched, "weeks": k},
        "stock_vs_matched_plain": round(ratio, 4) if ratio is not None else None,
    }
