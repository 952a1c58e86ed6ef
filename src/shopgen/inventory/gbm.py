"""A global LightGBM model over every series at once, direct multi-horizon.

One model learns ``y[origin + k] / scale`` from features known at the origin, for every horizon
step ``k`` (so no recursion and no error feedback): the step ``k``, the last values and recent means
(scaled by the series' recent level, so big and small series share one model), the same period a
season and a year earlier, the share of zero periods (intermittent demand), the calendar position
of the target period, and the known-in-advance features of the target period — price relative to
the regular price, promotion, discount, holiday, festival, live event, file events — plus the same
features a season earlier, so a holiday last year explains last year's peak.
"""

from __future__ import annotations

import math

from shopgen.core.lazy import require
from shopgen.inventory.panel import SEASON, YEAR, Panel

LAGS = {"D": 14, "W": 8, "M": 6}
WINDOWS = {"D": (7, 28, 91), "W": (4, 13, 26), "M": (3, 6, 12)}
SCALE_WINDOW = {"D": 28, "W": 13, "M": 6}
MAX_ROWS = 150_000
SMALL_ROWS = 100_000


class GlobalGBM:
    name = "lgbm"

    def __init__(self, seed: int = 7, n_jobs: int = 2, objective: str = "l2", n_estimators: int | None = None) -> None:
        self.seed, self.n_jobs, self.objective, self.n_estimators = seed, n_jobs, objective, n_estimators
        self.model = None
        self.feature_names: list[str] = []
        self.trained_on: list[str] = []

    # ---- features ------------------------------------------------------------------------------

    def _features(self, y, ex, cal, origins, h: int, freq: str):
        """Rows for every (origin, k) pair of one series; ``y`` may run past the last origin."""
        np = require("numpy", "forecast")
        org = np.repeat(origins, h)
        K = np.tile(np.arange(1, h + 1), len(origins))
        T = org + K
        csum = np.concatenate([[0.0], np.cumsum(y[: origins.max() + 1])])

        def mean_to(o, w):
            lo = np.maximum(o + 1 - w, 0)
            return (csum[o + 1] - csum[lo]) / np.maximum(o + 1 - lo, 1)

        scale = mean_to(org, SCALE_WINDOW[freq])
        longer = csum[org + 1] / (org + 1)
        scale = np.where(scale > 0, scale, np.where(longer > 0, longer, 1.0))
        cols = {"k": K.astype(float), "log_scale": np.log1p(scale)}
        for j in range(LAGS[freq]):
            idx = org - j
            cols[f"lag{j}"] = np.where(idx >= 0, y[np.maximum(idx, 0)], np.nan) / scale
        for w in WINDOWS[freq]:
            cols[f"mean{w}"] = mean_to(org, w) / scale
        zeros = np.concatenate([[0.0], np.cumsum(y[: origins.max() + 1] == 0)])
        w = SCALE_WINDOW[freq]
        lo = np.maximum(org + 1 - w, 0)
        cols["zero_share"] = (zeros[org + 1] - zeros[lo]) / np.maximum(org + 1 - lo, 1)
        for name, m in (("season", SEASON[freq]), ("year", YEAR[freq])):
            if name == "year" and m == SEASON[freq]:
                continue
            idx = T - m
            ok = (idx >= 0) & (idx <= org)
            safe = np.clip(idx, 0, len(y) - 1)
            cols[f"{name}_lag"] = np.where(ok, y[safe], np.nan) / scale
            near = [
                np.where(ok & (safe + d >= 0) & (safe + d <= org), y[np.clip(safe + d, 0, len(y) - 1)], np.nan)
                for d in (-1, 1)
            ]
            stack = np.vstack([cols[f"{name}_lag"] * scale, *near])
            count = (~np.isnan(stack)).sum(axis=0)
            smooth = np.nansum(stack, axis=0) / np.maximum(count, 1)
            cols[f"{name}_lag_smooth"] = np.where(count > 0, smooth, np.nan) / scale
            for c in range(ex.shape[1]):
                cols[f"{name}_ex{c}"] = np.where(ok, ex[safe, c], np.nan)
        for c in range(ex.shape[1]):
            cols[f"ex{c}"] = ex[T, c]
        for c in range(cal.shape[1]):
            cols[f"cal{c}"] = cal[T, c]
        return cols, scale, T

    @staticmethod
    def _calendar(ds, freq: str):
        np = require("numpy", "forecast")
        parts = [ds.month.to_numpy(), ds.isocalendar().week.to_numpy().astype(int)]
        if freq == "D":
            parts += [ds.dayofweek.to_numpy(), ds.day.to_numpy()]
        return np.column_stack(parts).astype(float)

    def _series(self, panel: Panel):
        pd = require("pandas", "forecast")
        np = require("numpy", "forecast")
        for uid, g in panel.df.groupby("unique_id", sort=False):
            y = g["y"].to_numpy(float)
            ex = g[panel.exog].to_numpy(float) if panel.exog else np.zeros((len(g), 0))
            yield uid, y, ex, pd.DatetimeIndex(g["ds"])

    # ---- fit and predict -----------------------------------------------------------------------

    def _training(self, panel: Panel, h: int):
        np = require("numpy", "forecast")
        lengths = panel.df.groupby("unique_id").size()
        total = int(((lengths - 1).clip(lower=0) * h).sum())
        stride = max(1, math.ceil(total / MAX_ROWS))
        X, Y = [], []
        for _uid, y, ex, ds in self._series(panel):
            n = len(y)
            origins = np.arange(n - 2, -1, -stride)[::-1]
            if len(origins) == 0:
                continue
            cols, scale, T = self._features(
                y, _pad(ex, h), _pad(self._calendar(ds, panel.freq), h), origins, h, panel.freq
            )
            keep = T < n
            X.append(np.column_stack([v[keep] for v in cols.values()]))
            Y.append(np.concatenate([y, np.zeros(h)])[T[keep]] / scale[keep])
            self.feature_names = list(cols)
        return np.vstack(X), np.concatenate(Y)

    def fit(self, panel: Panel, h: int) -> GlobalGBM:
        lgb = require("lightgbm", "forecast")
        X, Y = self._training(panel, h)
        self.trained_on = list(panel.df["unique_id"].unique())
        big = len(Y) > SMALL_ROWS  # small panels (a shop's SKUs) need fewer, smaller trees
        self.model = lgb.LGBMRegressor(
            objective=self.objective, n_estimators=self.n_estimators or (200 if big else 150),
            learning_rate=0.08 if big else 0.1, num_leaves=31 if big else 15, max_bin=255 if big else 63,
            min_child_samples=40, subsample=0.8, subsample_freq=1, colsample_bytree=0.8, reg_lambda=1.0,
            random_state=self.seed, n_jobs=self.n_jobs, deterministic=True, force_row_wise=True, verbose=-1,
        )  # fmt: skip
        self.model.fit(X, Y)
        return self

    def forecast(self, panel: Panel, h: int):
        return self.fit(panel, h).predict(panel, h)

    def predict(self, panel: Panel, h: int, future=None):
        """Forecast after each series' end with the fitted model; ``future`` (default
        ``panel.future``) holds the features of the ``h`` periods, e.g. with a promotion removed."""
        pd = require("pandas", "forecast")
        np = require("numpy", "forecast")
        from shopgen.inventory.panel import FREQS

        future = panel.future if future is None else future
        fut = future.groupby("unique_id", sort=False) if future is not None else None
        out = []
        for uid, y, ex, ds in self._series(panel):
            f = fut.get_group(uid) if fut is not None and uid in fut.groups else None
            fds = pd.date_range(ds[-1], periods=h + 1, freq=FREQS[panel.freq])[1:]
            fex = f[panel.exog].to_numpy(float)[:h] if f is not None and len(f) >= h else _last_rows(ex, h)
            cal = self._calendar(ds.append(fds), panel.freq)
            cols, scale, _ = self._features(
                np.concatenate([y, np.zeros(h)]), np.vstack([ex, fex]), cal, np.array([len(y) - 1]), h, panel.freq
            )
            pred = self.model.predict(np.column_stack(list(cols.values()))) * scale
            out.append(pd.DataFrame({"unique_id": uid, "ds": fds, "yhat": np.clip(pred, 0.0, None)}))
        return pd.concat(out, ignore_index=True)

    def importance(self) -> dict[str, float]:
        gains = self.model.booster_.feature_importance("gain")
        total = gains.sum() or 1.0
        return {n: round(float(g / total), 4) for n, g in sorted(zip(self.feature_names, gains), key=lambda x: -x[1])}


def _pad(a, h: int):
    np = require("numpy", "forecast")
    return np.vstack([a, np.full((h, a.shape[1]), np.nan)]) if a.shape[1] else np.zeros((len(a) + h, 0))


def _last_rows(ex, h: int):
    np = require("numpy", "forecast")
    return np.repeat(ex[-1:], h, axis=0) if len(ex) else np.zeros((h, ex.shape[1]))
