"""Demand forecasting benchmarks for BENCHMARKS.md (section "Inventory").

One configuration per call, so each heavy run stays under 10 minutes and can run under the shared
CPU lock on its own::

    flock /tmp/shopgen-cpu.lock .venv/bin/python benchmarks/inventory.py walmart --horizon 13
    flock /tmp/shopgen-cpu.lock .venv/bin/python benchmarks/inventory.py walmart --horizon 4
    flock /tmp/shopgen-cpu.lock .venv/bin/python benchmarks/inventory.py m5 --max-series 80
    flock /tmp/shopgen-cpu.lock .venv/bin/python benchmarks/inventory.py scale --max-series 120

``walmart``/``m5`` print the ``shopgen inventory eval`` JSON (every model, the shipped default beside
seasonal naive and AutoETS from the same run, the policy simulation and the lift comparison);
``scale`` forecasts the M5 slice with the default model locally and on a local Ray instance and
prints series per second. Results are also written to ``--out`` (default ``/tmp/shopgen-bench``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SHARED = Path(os.environ.get("SHOPGEN_SHARED_DATA", ROOT.parent / "shared" / "data"))
if not SHARED.exists():
    SHARED = Path("/work/shared/data")
WALMART = SHARED / "sales" / "walmart_weekly.csv"
M5 = SHARED / "sales" / "m5_tiny_daily.csv.gz"


def _machine() -> dict:
    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def evaluate(data: Path, freq: str, h: int, windows: int, max_series: int | None, models: list[str] | None) -> dict:
    from shopgen.inventory.evaluate import evaluate as run

    return run(data, freq, h, windows, models=models, max_series=max_series, seed=7)


def scale(max_series: int | None, h: int, chunks: int) -> dict:
    from shopgen.inventory import distributed
    from shopgen.inventory.evaluate import load

    pn, _, sampled = load(M5, "D", max_series=max_series, seed=7)
    from shopgen.inventory import engine

    cut = engine.cutoffs(pn, h, 1)[0]
    train, _ = engine.split(pn, cut, h)
    out = {"series": int(train.df["unique_id"].nunique()), "sampled_series": sampled, "horizon": h, "model": "auto"}
    for name in ("local", "ray"):
        t = time.perf_counter()
        r = distributed.forecast(train, h, ["auto"], engine_name=name, chunks=chunks)
        out[name] = {
            "seconds": round(time.perf_counter() - t, 1),
            "series_per_second": r["series_per_second"],
            "chunks": r["chunks"],
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["walmart", "m5", "scale"])
    ap.add_argument("--horizon", type=int, default=None)
    ap.add_argument("--windows", type=int, default=None)
    ap.add_argument("--max-series", type=int, default=None)
    ap.add_argument("--models", default=None)
    ap.add_argument("--chunks", type=int, default=4)
    ap.add_argument("--out", type=Path, default=Path("/tmp/shopgen-bench"))
    a = ap.parse_args()
    models = a.models.split(",") if a.models else None
    t = time.perf_counter()
    if a.what == "walmart":
        r = evaluate(WALMART, "W", a.horizon or 13, a.windows or 4, a.max_series, models)
    elif a.what == "m5":
        r = evaluate(M5, "D", a.horizon or 28, a.windows or 3, a.max_series, models)
    else:
        r = scale(a.max_series, a.horizon or 28, a.chunks)
    r["machine"] = _machine()
    r["wall_seconds"] = round(time.perf_counter() - t, 1)
    a.out.mkdir(parents=True, exist_ok=True)
    name = f"inventory-{a.what}-h{a.horizon or ''}-{a.max_series or 'all'}.json"
    (a.out / name).write_text(json.dumps(r, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(json.dumps(r, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()
