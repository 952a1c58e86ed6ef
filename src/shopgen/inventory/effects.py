"""How much price cuts, promotions, events and live streams lift demand: what the data shows, what
the LightGBM model attributes, and — for a shop's forecast — the units each planned entry adds.

Data: per series, the mean demand in periods with the feature over the mean in plain periods (no
price cut, promotion, event or holiday), the median over series with at least ``MIN_PERIODS`` of
each. Model: on every training example whose target period had the feature, the model's forecast
as is over its forecast with the feature removed (regular price, no event) — the lift it attributes
— and the actual demand over that no-feature forecast — the lift realised against the same baseline.
"""

from __future__ import annotations

from datetime import timedelta

from shopgen.core.lazy import require
from shopgen.inventory.panel import next_periods

CUT = 0.95  # a price below 95% of the regular price is a cut
MIN_PERIODS = 3
FEATURES = {
    "price_cut": lambda f: f["price_ratio"] < CUT,
    "promo": lambda f: f["promo"] > 0,
    "event": lambda f: f["event"] > 0,
    "holiday": lambda f: f["holiday"] > 0,
    "live": lambda f: f["live"] > 0,
}
NEUTRAL = {"price_cut": {"price_ratio": 1.0, "discount": 0.0}, "promo": {"promo": 0.0, "discount": 0.0},
           "event": {"event": 0.0}, "holiday": {"holiday": 0.0}, "live": {"live": 0.0}}  # fmt: skip


def plain_mask(f):
    return (f["price_ratio"] >= CUT) & (f["promo"] == 0) & (f["event"] == 0) & (f["holiday"] == 0) & (f["live"] == 0)


def observed(df) -> dict:
    np = require("numpy", "forecast")
    out = {}
    plain = plain_mask(df)
    for name, test in FEATURES.items():
        on = test(df)
        lifts = []
        for _uid, idx in df.groupby("unique_id").groups.items():
            a, b = on.loc[idx], plain.loc[idx]
            if a.sum() >= MIN_PERIODS and b.sum() >= MIN_PERIODS:
                base = df.loc[idx][b]["y"].mean()
                if base > 0:
                    lifts.append(df.loc[idx][a]["y"].mean() / base - 1)
        if lifts:
            out[name] = {"median_lift": round(float(np.median(lifts)), 4), "series": len(lifts)}
    return out


def modelled(pn, h: int, seed: int = 7) -> dict:
    """The LightGBM model's own attribution, on every training row whose target period had the
    feature: its forecast as is over its forecast with the feature removed (regular price, no event),
    and the actual demand over that same no-feature forecast."""
    np = require("numpy", "forecast")
    from shopgen.inventory.gbm import GlobalGBM

    model = GlobalGBM(seed=seed)
    X, Y = model._training(pn, h)
    model.fit(pn, h)
    names = model.feature_names
    scale = np.expm1(X[:, names.index("log_scale")])
    col = {e: names.index(f"ex{i}") for i, e in enumerate(pn.exog)}
    tests = {
        "price_cut": lambda x: x[:, col["price_ratio"]] < CUT,
        "promo": lambda x: x[:, col["promo"]] > 0,
        "event": lambda x: x[:, col["event"]] > 0,
        "holiday": lambda x: x[:, col["holiday"]] > 0,
        "live": lambda x: x[:, col["live"]] > 0,
    }
    out = {}
    for name, test in tests.items():
        on = test(X)
        if on.sum() < MIN_PERIODS:
            continue
        xs = X[on].copy()
        with_ = model.model.predict(xs) * scale[on]
        for c, v in NEUTRAL[name].items():
            xs[:, col[c]] = v
        without = model.model.predict(xs) * scale[on]
        actual = Y[on] * scale[on]
        if without.sum() > 0:
            out[name] = {
                "model_lift": round(float(with_.sum() / without.sum() - 1), 4),
                "realised_lift": round(float(actual.sum() / without.sum() - 1), 4),
                "rows": int(on.sum()),
            }
    return out


def report(pn, h: int) -> dict:
    return {"data": observed(pn.df), "model": modelled(pn, h), "price_cut_below": CUT}


def explain(pn, h: int, model, calendar) -> dict:
    """Per series and period, the units the planned promotions and live events add to the LightGBM
    forecast, and the calendar entries that cause them (for the shop's forecast)."""
    out: dict = {}
    fut = pn.future
    active = (fut["promo"] > 0) | (fut["live"] > 0) | (fut["discount"] > 0)
    if not active.any():
        return out
    cf = fut.copy()
    cf.loc[active, ["promo", "live", "discount"]] = 0.0
    cf.loc[active, "price_ratio"] = 1.0
    with_ = model.predict(pn, h)
    without = model.predict(pn, h, cf)
    for i in active[active].index:
        uid, ds = fut.at[i, "unique_id"], fut.at[i, "ds"]
        w = with_[(with_["unique_id"] == uid) & (with_["ds"] == ds)]["yhat"]
        wo = without[(without["unique_id"] == uid) & (without["ds"] == ds)]["yhat"]
        if w.empty or wo.empty:
            continue
        last_day = next_periods(ds.date(), 1, pn.freq)[0] - timedelta(days=1)
        reasons = [
            e.to_dict()
            for e in calendar.for_sku(uid)
            if e.kind in ("promotion", "live") and e.start <= last_day and e.end >= ds.date()
        ]
        out.setdefault(uid, {})[ds.date().isoformat()] = {
            "units": round(float(w.iloc[0] - wo.iloc[0]), 2),
            "without": round(float(wo.iloc[0]), 2),
            "because": reasons,
        }
    return out
