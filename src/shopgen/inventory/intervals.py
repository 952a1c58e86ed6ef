"""Prediction intervals by split conformal calibration on backtest residuals (target: 80%).

Before the real forecast, each model forecasts the last ``windows`` stretches of ``h`` periods of the
training data from earlier origins. Its errors there, divided by each series' recent level, give
the 10% and 90% quantiles of the scaled error per horizon step (pooled over all steps while a step has
fewer than ``MIN_PER_STEP`` errors); the interval is ``yhat + q * level``, cut at zero. The errors
are signed, so a model that tends to under-forecast gets a longer upper side.
"""

from __future__ import annotations

from shopgen.core.lazy import require
from shopgen.inventory.gbm import SCALE_WINDOW

LEVEL = 80
QUANTILES = (0.1, 0.9)
MIN_PER_STEP = 40


def levels(panel) -> dict:
    """Each series' recent level: the mean of its last few periods (or of all, when those are zero)."""
    w = SCALE_WINDOW[panel.freq]
    g = panel.df.groupby("unique_id", sort=False)["y"]
    recent, overall = g.apply(lambda s: s.tail(w).mean()), g.mean()
    return recent.where(recent > 0, overall).to_dict()


class Calibration:
    def __init__(self, residuals) -> None:
        """``residuals``: DataFrame with ``step`` and ``err`` (scaled signed error, actual − forecast)."""
        np = require("numpy", "forecast")
        self.n = len(residuals)
        lo_q, hi_q = QUANTILES
        if self.n == 0:
            self.pooled, self.by_step = (0.0, 0.0), {}
            return
        err = residuals["err"].to_numpy(float)
        self.pooled = (float(np.quantile(err, lo_q)), float(np.quantile(err, hi_q)))
        self.by_step = {
            int(k): (float(np.quantile(g, lo_q)), float(np.quantile(g, hi_q)))
            for k, g in residuals.groupby("step")["err"]
            if len(g) >= MIN_PER_STEP
        }

    def quantiles(self, step: int) -> tuple[float, float]:
        return self.by_step.get(step, self.pooled)

    def apply(self, fc, level_of: dict):
        """Add ``lo`` and ``hi`` to a forecast frame (``unique_id, ds, yhat``, in date order per series)."""
        fc = fc.copy()
        step = fc.groupby("unique_id", sort=False).cumcount() + 1
        q = [self.quantiles(int(k)) for k in step]
        lvl = fc["unique_id"].map(level_of).fillna(0.0).to_numpy(float)
        fc["lo"] = (fc["yhat"].to_numpy(float) + [a for a, _ in q] * lvl).clip(min=0.0)
        fc["hi"] = (fc["yhat"].to_numpy(float) + [b for _, b in q] * lvl).clip(min=0.0)
        fc["lo"] = fc[["lo", "yhat"]].min(axis=1)
        fc["hi"] = fc[["hi", "yhat"]].max(axis=1)
        return fc
