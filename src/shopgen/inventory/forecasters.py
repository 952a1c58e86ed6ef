"""Point forecasters behind one Protocol, found by name in a Registry.

Each takes a training panel (regular grid, see :mod:`shopgen.inventory.panel`), a horizon and the
future features, and returns ``unique_id, ds, yhat``. Intervals are added around any of them by
:mod:`shopgen.inventory.intervals`; the shipped default that picks between them per series is
``auto`` (:mod:`shopgen.inventory.auto`).

statsforecast (2.x, no numba JIT any more: its first import costs a few seconds, nothing to cache)
provides the statistical ones; ``lgbm`` is the global LightGBM model in :mod:`shopgen.inventory.gbm`.
"""

from __future__ import annotations

import warnings
from typing import Protocol

from shopgen.core.lazy import require
from shopgen.core.registry import Registry
from shopgen.inventory.panel import FREQS, Panel

STATS_MAX_LEN = {"D": 400, "W": 260, "M": 120}  # statistical models see at most this much history


class Forecaster(Protocol):
    name: str

    def forecast(self, panel: Panel, h: int) -> object:
        """``unique_id, ds, yhat`` for the ``h`` periods after each series' last one."""
        ...


FORECASTERS: Registry[Forecaster] = Registry("forecast model")


class StatsModel:
    """One statsforecast model, fitted per series (in parallel over ``n_jobs`` processes)."""

    def __init__(self, name: str, build, n_jobs: int = 1) -> None:
        self.name, self._build, self.n_jobs = name, build, n_jobs

    def forecast(self, panel: Panel, h: int):
        pd = require("pandas", "forecast")
        df = panel.df[["unique_id", "ds", "y"]]
        df = df.groupby("unique_id", sort=False).tail(STATS_MAX_LEN[panel.freq])
        m = panel.season
        sizes = df.groupby("unique_id", sort=False)["y"].transform("size")
        # a series shorter than a season has no "same period last season": its season is 1 (naive)
        parts = [(df[sizes >= m], m), (df[sizes < m], 1)]
        out = pd.concat(
            [self._run(part, season, panel.freq, h) for part, season in parts if len(part)], ignore_index=True
        )
        last = df.groupby("unique_id")["y"].last()
        out["yhat"] = out["yhat"].fillna(out["unique_id"].map(last)).clip(lower=0.0).fillna(0.0)  # NaN: the last value
        return out

    def _run(self, df, season: int, freq: str, h: int):
        sf = require("statsforecast", "forecast")
        np = require("numpy", "forecast")
        # AutoETS/ARIMA try model forms that a short series cannot fit and warn while discarding them
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.filterwarnings("ignore", category=RuntimeWarning, module="statsforecast")
            model = sf.StatsForecast(models=[self._build(season)], freq=FREQS[freq], n_jobs=self.n_jobs)
            out = model.forecast(df=df, h=h)
        out = out.reset_index() if "unique_id" not in out.columns else out
        col = [c for c in out.columns if c not in ("unique_id", "ds")][0]
        return out.rename(columns={col: "yhat"})[["unique_id", "ds", "yhat"]]


def _models():
    return require("statsforecast.models", "forecast")


def _register_stats(name: str, build) -> None:
    FORECASTERS.register(name)(lambda n_jobs=1, **_: StatsModel(name, build, n_jobs))


_register_stats("seasonal_naive", lambda m: _models().SeasonalNaive(season_length=m))
_register_stats("naive", lambda m: _models().Naive())
_register_stats("window_average", lambda m: _models().WindowAverage(window_size=min(m, 8)))
# statsforecast's AutoETS drops the seasonal part when the season is longer than 24 (weekly data)
_register_stats("ets", lambda m: _models().AutoETS(season_length=m))
_register_stats("arima", lambda m: _models().AutoARIMA(season_length=m))
_register_stats("croston", lambda m: _models().CrostonOptimized())
_register_stats("tsb", lambda m: _models().TSB(alpha_d=0.1, alpha_p=0.1))
_register_stats("adida", lambda m: _models().ADIDA())


@FORECASTERS.register("lgbm")
def _lgbm(**kwargs):
    from shopgen.inventory.gbm import GlobalGBM

    return GlobalGBM(**{k: v for k, v in kwargs.items() if k in ("seed", "n_jobs", "objective")})
