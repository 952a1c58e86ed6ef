"""Forecasting many series: locally in one process, or spread over Ray workers.

``engine="ray"`` cuts the panel into ``chunks`` groups of whole series and runs :func:`engine.run` on
each group in a Ray task on a local Ray instance (or the cluster ``ray.init`` finds), so the global
LightGBM model is global per group. ``engine="local"`` runs the same function over the same groups
in this process, so both give the same numbers and only the wall time differs.
"""

from __future__ import annotations

import time

from shopgen.core.errors import InvalidInput
from shopgen.core.lazy import require
from shopgen.inventory import engine
from shopgen.inventory.panel import Panel

ENGINES = ("local", "ray")


def _groups(panel: Panel, chunks: int) -> list[Panel]:
    ids = sorted(panel.df["unique_id"].unique())
    chunks = max(1, min(chunks, len(ids)))
    out = []
    for i in range(chunks):
        mine = set(ids[i::chunks])
        fut = panel.future[panel.future["unique_id"].isin(mine)] if panel.future is not None else None
        out.append(
            Panel(panel.df[panel.df["unique_id"].isin(mine)].reset_index(drop=True), panel.freq, panel.exog, fut)
        )
    return out


def _one(group: Panel, h: int, models: list[str], inner: int) -> dict:
    run = engine.run(group, h, models, inner=inner, n_jobs=1)
    return {"forecasts": run.forecasts, "choice": run.choice, "notes": run.notes, "seconds": run.seconds}


def forecast(
    panel: Panel, h: int, models: list[str], *, engine_name: str = "local", chunks: int = 4, inner: int = 2
) -> dict:
    """``{"forecasts": {model: frame}, "choice", "notes", "seconds", "series_per_second"}``."""
    pd = require("pandas", "forecast")
    if engine_name not in ENGINES:
        raise InvalidInput(f"unknown engine {engine_name!r}; valid engines: {', '.join(ENGINES)}")
    engine.check_horizon(panel, h)
    groups = _groups(panel, chunks)
    t = time.perf_counter()
    if engine_name == "ray":
        results = _ray(groups, h, models, inner)
    else:
        results = [_one(g, h, models, inner) for g in groups]
    wall = time.perf_counter() - t
    n = int(panel.df["unique_id"].nunique())
    merged = {m: pd.concat([r["forecasts"][m] for r in results], ignore_index=True) for m in models}
    choice = {k: v for r in results for k, v in r["choice"].items()}
    notes = list(dict.fromkeys(x for r in results for x in r["notes"]))
    return {"forecasts": merged, "choice": choice, "notes": notes, "seconds": round(wall, 2),
            "series": n, "series_per_second": round(n / wall, 2) if wall else None, "engine": engine_name,
            "chunks": len(groups)}  # fmt: skip


def _ray(groups: list[Panel], h: int, models: list[str], inner: int) -> list[dict]:
    ray = require("ray", "ray")
    started = not ray.is_initialized()
    if started:
        ray.init(include_dashboard=False, log_to_driver=False)
    try:
        task = ray.remote(_one)
        return ray.get([task.remote(g, h, models, inner) for g in groups])
    finally:
        if started:
            ray.shutdown()
