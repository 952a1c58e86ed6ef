"""``shopgen inventory eval``: a rolling-origin backtest of every model on one sales file.

For each of ``windows`` origins (``h`` periods apart, the last one ``h`` periods before the end),
each model trains on the history before the origin — including its own calibration windows for the
80% intervals — and forecasts the next ``h`` periods; :mod:`shopgen.inventory.metrics` scores them.
The same backtest feeds the purchasing policy simulation (:mod:`shopgen.inventory.simulate`) and,
where the data has prices or events, the lift comparison (:mod:`shopgen.inventory.effects`).
"""

from __future__ import annotations

import time
from pathlib import Path

from shopgen.core.errors import InvalidInput
from shopgen.core.lazy import require
from shopgen.inventory import engine, history, metrics
from shopgen.inventory import panel as P
from shopgen.inventory.calendar import Calendar

BASELINES = ("seasonal_naive", "ets")
SPARSE_BASELINES = ("croston", "tsb", "adida")


def load(path: str | Path, freq: str, *, max_series: int | None = None, seed: int = 7, builtin_calendar=False):
    """A panel from a sales file (any format :mod:`shopgen.inventory.history` reads), optionally a
    seeded sample of ``max_series`` series."""
    report = history.read_file(path)
    rows = report.rows
    sampled = None
    if max_series and len(report.skus) > max_series:
        import random

        keep = set(random.Random(seed).sample(report.skus, max_series))
        rows = [r for r in rows if r.sku in keep]
        sampled = max_series
    pn = P.build(rows, freq, Calendar(builtin=builtin_calendar))
    return pn, report, sampled


def default_models(pn) -> list[str]:
    from shopgen.inventory.auto import INTERMITTENT, zero_share

    sparse = any(v > INTERMITTENT for v in zero_share(pn).values())
    return [*BASELINES, *(SPARSE_BASELINES if sparse else ()), "lgbm", engine.DEFAULT]


def backtest(pn, h: int, windows: int, models: list[str], *, inner: int = 2, seed: int = 7):
    """``(per-model frames with window, unique_id, ds, y, yhat, lo, hi; training histories; seconds; notes)``."""
    pd = require("pandas", "forecast")
    # each origin's training part must hold twice the horizon (the engine's limit); calibration
    # windows come out of it, fewer when it is short (the notes say so)
    need = h * (windows + 2)
    longest = max(pn.lengths().values())
    unit = P.UNIT[pn.freq]
    if need > longest:
        raise InvalidInput(
            f"{windows} windows of {h} {unit}s need {need} {unit}s of history (twice the horizon to train on "
            f"before the first window); the longest series has {longest}",
            {"need": need, "longest": longest},
        )
    frames: dict[str, list] = {m: [] for m in models}
    trains: dict = {}
    seconds: dict[str, float] = {}
    notes: list[str] = []
    choices: list[dict] = []
    for w, cut in enumerate(engine.cutoffs(pn, h, windows)):
        tr, te = engine.split(pn, cut, h)
        for uid, g in tr.df.groupby("unique_id"):
            trains[(w, uid)] = g["y"].to_numpy(float)
        run = engine.run(tr, h, models, inner=inner, seed=seed)
        choices.append(run.choice)
        notes += [n for n in run.notes if n not in notes]
        for m in models:
            seconds[m] = seconds.get(m, 0.0) + run.seconds.get(m, 0.0)
            fc = run.forecasts[m].merge(te[["unique_id", "ds", "y"]], on=["unique_id", "ds"])
            frames[m].append(fc.assign(window=w))
    return {m: pd.concat(v, ignore_index=True) for m, v in frames.items()}, trains, seconds, notes, choices


def evaluate(
    path: str | Path,
    freq: str = "W",
    h: int = 13,
    windows: int = 4,
    *,
    models: list[str] | None = None,
    max_series: int | None = None,
    inner: int = 2,
    seed: int = 7,
    simulate: bool = True,
    lead_time: int | None = None,
) -> dict:
    freq = P.check_freq(freq)
    if h < 1 or windows < 1:
        raise InvalidInput("horizon and windows must be at least 1")
    t0 = time.perf_counter()
    pn, report, sampled = load(path, freq, max_series=max_series, seed=seed)
    models = models or default_models(pn)
    frames, trains, seconds, notes, choices = backtest(pn, h, windows, models, inner=inner, seed=seed)
    scores = {}
    for m in models:
        s = metrics.score(frames[m], trains, freq)
        s["seconds"] = round(seconds.get(m, 0.0), 2)
        scores[m] = s
    out = {
        "data": str(path),
        "freq": freq,
        "horizon": h,
        "windows": windows,
        "calibration_windows": inner,
        "series": int(pn.df["unique_id"].nunique()),
        "sampled_series": sampled,
        "periods": int(max(pn.lengths().values())),
        "interval_target": 0.8,
        "mase_scale": f"in-sample naive, lag {metrics.mase_lag(freq)}",
        "default": engine.DEFAULT,
        "models": scores,
        "vs_default": _versus(scores),
        "auto_choices": _count_choices(choices),
        "returns_rows": report.returns_rows,
        "gaps_filled": int(sum(pn.filled.values())),
        "notes": notes + pn.notes,
        "seed": seed,
    }
    if simulate and engine.DEFAULT in frames:
        from shopgen.inventory import simulate as sim

        out["policy"] = sim.compare(frames[engine.DEFAULT], trains, freq, lead_time=lead_time)
    if "lgbm" in models or engine.DEFAULT in models:
        from shopgen.inventory import effects

        out["effects"] = effects.report(pn, h)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def _versus(scores: dict) -> dict:
    """How much lower the default's MASE is than each baseline's (positive: the default is better)."""
    d = scores.get(engine.DEFAULT, {}).get("mase")
    out = {}
    for b in (*BASELINES, *SPARSE_BASELINES, "lgbm"):
        if b in scores and d is not None and scores[b]["mase"]:
            out[b] = round(1 - d / scores[b]["mase"], 4)
    return out


def _count_choices(choices: list[dict]) -> dict:
    counts: dict[str, int] = {}
    for c in choices:
        for v in c.values():
            counts[v] = counts.get(v, 0) + 1
    return dict(sorted(counts.items(), key=lambda x: -x[1]))
