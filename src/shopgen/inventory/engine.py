"""Forecast a panel with several models at once, with conformal 80% intervals and the shipped default.

:func:`run` forecasts the last ``inner`` stretches of ``h`` periods of the panel from earlier origins
(calibration), then the real ``h`` periods ahead, with every model named plus what ``auto`` needs.
``auto`` (the shipped default, :mod:`shopgen.inventory.auto`) picks per series among single models
and averages by their calibration errors. Series too short for the models get a simple average,
and the result says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from shopgen.core.errors import InvalidInput
from shopgen.core.lazy import require
from shopgen.inventory import auto
from shopgen.inventory.forecasters import FORECASTERS
from shopgen.inventory.intervals import Calibration, levels
from shopgen.inventory.panel import FREQS, UNIT, Panel

DEFAULT = "auto"
MIN_OBS = 8  # a series with fewer periods gets the simple average


@dataclass
class Run:
    forecasts: dict  # model name -> DataFrame unique_id, ds, yhat, lo, hi
    seconds: dict[str, float]
    choice: dict[str, str] = field(default_factory=dict)  # auto's pick per series
    short: dict[str, int] = field(default_factory=dict)  # series that fell back: their length
    notes: list[str] = field(default_factory=list)
    inner: int = 0
    fitted: dict = field(default_factory=dict)  # model name -> the instance that made the final forecast


def horizon_limit(panel: Panel) -> int:
    """The longest horizon the history supports: half the longest series (the other half trains
    the calibration forecasts)."""
    return max(1, int(max(panel.lengths().values())) // 2)


def check_horizon(panel: Panel, h: int) -> None:
    if h < 1:
        raise InvalidInput("horizon must be at least 1")
    limit = horizon_limit(panel)
    if h > limit:
        unit = UNIT[panel.freq]
        n = max(panel.lengths().values())
        raise InvalidInput(
            f"horizon {h} {unit}s is beyond what the history supports: at most {limit} {unit}s "
            f"(half of the {n} {unit}s of history)",
            {"horizon": h, "limit": limit, "history": n, "unit": unit},
        )


def split(panel: Panel, cutoff, h: int):
    """Training panel up to ``cutoff`` (with the next ``h`` periods' features as its future) and the
    actuals of those periods."""
    pd = require("pandas", "forecast")
    df = panel.df
    end = cutoff + h * pd.tseries.frequencies.to_offset(FREQS[panel.freq])
    train = df[df["ds"] <= cutoff]
    test = df[(df["ds"] > cutoff) & (df["ds"] <= end) & df["unique_id"].isin(train["unique_id"].unique())]
    future = test[["unique_id", "ds", *panel.exog]].reset_index(drop=True)
    return Panel(train.reset_index(drop=True), panel.freq, panel.exog, future), test.reset_index(drop=True)


def cutoffs(panel: Panel, h: int, windows: int, step: int | None = None) -> list:
    """The last ``windows`` origins, ``step`` (default ``h``) periods apart, oldest first."""
    pd = require("pandas", "forecast")
    off = pd.tseries.frequencies.to_offset(FREQS[panel.freq])
    last = panel.last()
    return [last - (h + i * (step or h)) * off for i in reversed(range(windows))]


def _short_fallback(panel: Panel, ids: list[str], h: int):
    pd = require("pandas", "forecast")
    rows = []
    off = pd.tseries.frequencies.to_offset(FREQS[panel.freq])
    for uid, g in panel.df[panel.df["unique_id"].isin(ids)].groupby("unique_id"):
        mean = float(g["y"].tail(4).mean())
        spread = float(g["y"].tail(4).std(ddof=0)) if len(g) > 1 else mean
        last = g["ds"].max()
        for k in range(1, h + 1):
            rows.append((uid, last + k * off, mean, max(0.0, mean - 1.28 * spread), mean + 1.28 * max(spread, mean)))
    return pd.DataFrame(rows, columns=["unique_id", "ds", "yhat", "lo", "hi"])


def _forecast_all(names, panel: Panel, h: int, seconds: dict, options: dict, fitted: dict | None = None) -> dict:
    out = {}
    for name in names:
        t = time.perf_counter()
        model = FORECASTERS.create(name, **options)
        out[name] = model.forecast(panel, h)
        seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - t
        if fitted is not None:
            fitted[name] = model
    return out


def run(panel: Panel, h: int, models: list[str] | None = None, *, inner: int = 2, **options) -> Run:
    """Forecast ``h`` periods with ``models`` (default: the shipped default only) and 80% intervals."""
    pd = require("pandas", "forecast")
    models = list(models or [DEFAULT])
    unknown = [m for m in models if m != DEFAULT and m not in FORECASTERS.names()]
    if unknown:
        valid = ", ".join([DEFAULT, *FORECASTERS.names()])
        raise InvalidInput(f"unknown model {unknown[0]!r}; valid: {valid}", {"valid": valid.split(", ")})
    check_horizon(panel, h)
    lengths = panel.lengths()
    short = {u: int(n) for u, n in lengths.items() if n < max(MIN_OBS, h)}
    long_panel = panel
    if short:
        keep = ~panel.df["unique_id"].isin(short)
        fut = panel.future[~panel.future["unique_id"].isin(short)] if panel.future is not None else None
        long_panel = Panel(panel.df[keep].reset_index(drop=True), panel.freq, panel.exog, fut)
    members = auto.members(long_panel) if DEFAULT in models else []
    base = list(dict.fromkeys([m for m in models if m != DEFAULT] + members))
    max_inner = (max(lengths.values()) - h) // h
    wanted, inner = inner, max(0, min(inner, max_inner - 1 if max_inner > 1 else max_inner))
    seconds: dict[str, float] = {}
    inner_fc: dict[str, list] = {m: [] for m in base}
    inner_levels = []
    if not long_panel.df.empty:
        for c in cutoffs(long_panel, h, inner):
            tr, te = split(long_panel, c, h)
            lv = levels(tr)
            for name, fc in _forecast_all(base, tr, h, seconds, options).items():
                inner_fc[name].append(fc.merge(te[["unique_id", "ds", "y"]], on=["unique_id", "ds"]).assign(cut=c))
            inner_levels.append(lv)
        fitted: dict = {}
        final = _forecast_all(base, long_panel, h, seconds, options, fitted)
    else:
        final, fitted = {}, {}
    run_ = Run({}, seconds, short=short, inner=inner, fitted=fitted)
    level_now = levels(long_panel) if not long_panel.df.empty else {}
    inner_frames = {m: _with_steps(pd.concat(v, ignore_index=True)) if v else None for m, v in inner_fc.items()}
    if DEFAULT in models and final:
        chosen, choice = auto.combine(final, inner_frames, members, inner_levels)
        final[DEFAULT], inner_frames[DEFAULT] = chosen
        run_.choice = choice
        seconds[DEFAULT] = sum(seconds.get(m, 0.0) for m in members)
    for name in models:
        fc = final.get(name)
        if fc is not None:
            cal = Calibration(_residuals(inner_frames.get(name), inner_levels))
            fc = cal.apply(fc.sort_values(["unique_id", "ds"]), level_now)
        if short:
            fb = _short_fallback(panel, list(short), h)
            fc = fb if fc is None else pd.concat([fc, fb], ignore_index=True)
        run_.forecasts[name] = fc.sort_values(["unique_id", "ds"]).reset_index(drop=True)
    if short:
        unit = UNIT[panel.freq]
        run_.notes.append(
            f"{len(short)} series have fewer than {max(MIN_OBS, h)} {unit}s of history: forecast with the "
            f"average of their last 4 {unit}s instead of a model"
        )
    if inner == 0:
        run_.notes.append("history too short to calibrate intervals on a backtest; intervals are approximate")
    elif inner < wanted:
        run_.notes.append(
            f"intervals calibrated on {inner} backtest window(s) instead of {wanted}: the history is short"
        )
    return run_


def _with_steps(frame):
    frame = frame.sort_values(["cut", "unique_id", "ds"]).reset_index(drop=True)
    frame["step"] = frame.groupby(["cut", "unique_id"]).cumcount() + 1
    return frame


def _residuals(frame, inner_levels: list[dict]):
    pd = require("pandas", "forecast")
    if frame is None or frame.empty:
        return pd.DataFrame({"step": [], "err": []})
    cuts = sorted(frame["cut"].unique())
    lv = [inner_levels[cuts.index(c)].get(u, 0.0) for c, u in zip(frame["cut"], frame["unique_id"])]
    lv = pd.Series(lv, index=frame.index)
    ok = lv > 0
    return pd.DataFrame({"step": frame["step"][ok], "err": ((frame["y"] - frame["yhat"]) / lv)[ok]})
