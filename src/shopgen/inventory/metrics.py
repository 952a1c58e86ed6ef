"""Forecast accuracy on a backtest, one set of definitions for every model.

Per series and window (then averaged): MASE (mean absolute error over the in-sample MAE of the
naive forecast — seasonal naive with the season for monthly data, lag 1 for daily and weekly, as in
M4/M5), RMSSE (M5's root mean squared scaled error, lag 1), sMAPE (in %, 0/0 counts as 0). Over all
points at once: WQL (weighted quantile loss at 0.1, 0.5, 0.9, with the interval's ends as the 0.1
and 0.9 quantiles and the point forecast as the median) and the share of actuals inside the 80%
interval. Series whose naive in-sample error is zero (constant history) have no MASE/RMSSE and are
counted under ``unscaled``.

>>> round(mase([2.0, 4.0], [3.0, 3.0], [1.0, 2.0, 3.0]), 3)
1.0
"""

from __future__ import annotations

import math

from shopgen.core.lazy import require


def mase_lag(freq: str) -> int:
    return 12 if freq == "M" else 1


def _scale(train, lag: int, power: int) -> float:
    np = require("numpy", "forecast")
    train = np.asarray(train, float)
    if len(train) <= lag:
        lag = 1
    if len(train) < 2:
        return float("nan")
    d = np.abs(train[lag:] - train[:-lag]) ** power
    return float(d.mean())


def mase(y, yhat, train, lag: int = 1) -> float:
    np = require("numpy", "forecast")
    s = _scale(train, lag, 1)
    if not s or math.isnan(s):
        return float("nan")
    return float(np.mean(np.abs(np.asarray(y) - np.asarray(yhat))) / s)


def rmsse(y, yhat, train) -> float:
    np = require("numpy", "forecast")
    s = _scale(train, 1, 2)
    if not s or math.isnan(s):
        return float("nan")
    return float(math.sqrt(np.mean((np.asarray(y) - np.asarray(yhat)) ** 2) / s))


def smape(y, yhat) -> float:
    np = require("numpy", "forecast")
    y, yhat = np.asarray(y, float), np.asarray(yhat, float)
    den = np.abs(y) + np.abs(yhat)
    return float(100 * np.mean(np.where(den > 0, 2 * np.abs(y - yhat) / np.where(den > 0, den, 1), 0.0)))


def pinball(y, q, tau: float) -> float:
    np = require("numpy", "forecast")
    d = np.asarray(y, float) - np.asarray(q, float)
    return float(np.sum(np.maximum(tau * d, (tau - 1) * d)))


def score(frame, trains: dict, freq: str) -> dict:
    """Metrics of one model over a backtest frame with ``window, unique_id, y, yhat, lo, hi``;
    ``trains[(window, unique_id)]`` is the training history at that window's origin."""
    np = require("numpy", "forecast")
    lag = mase_lag(freq)
    m, r, s, unscaled = [], [], [], 0
    for (w, uid), g in frame.groupby(["window", "unique_id"], sort=False):
        train = trains[(w, uid)]
        a, b = mase(g["y"], g["yhat"], train, lag), rmsse(g["y"], g["yhat"], train)
        if math.isnan(a):
            unscaled += 1
        else:
            m.append(a)
            r.append(b)
        s.append(smape(g["y"], g["yhat"]))
    y = frame["y"].to_numpy(float)
    denom = float(np.abs(y).sum()) or 1.0
    wql = sum(pinball(y, frame[c], t) for c, t in (("lo", 0.1), ("yhat", 0.5), ("hi", 0.9))) * 2 / (3 * denom)
    inside = (frame["y"] >= frame["lo"] - 1e-9) & (frame["y"] <= frame["hi"] + 1e-9)
    return {
        "mase": round(float(np.mean(m)), 4) if m else None,
        "smape": round(float(np.mean(s)), 3),
        "rmsse": round(float(np.mean(r)), 4) if r else None,
        "wql": round(float(wql), 4),
        "coverage_80": round(float(inside.mean()), 4),
        "unscaled": unscaled,
    }
