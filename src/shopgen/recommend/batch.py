"""Batch scoring: top-k for many shoppers at once, locally or on Ray.

The work is split into chunks of shoppers; each chunk is scored with the saved model and the
business rules' allowed-items mask. ``engine="ray"`` ships the model file's bytes to the object
store once and scores the chunks as Ray tasks on a local Ray instance (or the cluster
``ray.init`` finds), so no worker needs the shop's disk.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.core.lazy import require
from shopgen.events import store as events
from shopgen.recommend import catalog as shop_catalog
from shopgen.recommend import data, persist, rules

ENGINES = ("local", "ray")
CHUNK = 512

Histories = list[tuple[str, list[tuple[int, float]]]]


def score_chunk(model_bytes: bytes, chunk: Histories, allowed: np.ndarray, k: int) -> list[dict]:
    """Top ``k`` item ids per shopper of ``chunk`` (what a Ray task runs)."""
    model, items, _ = persist.load(io.BytesIO(model_bytes))
    h = data.history_matrix([hist for _, hist in chunk], len(items))
    scores = model.score(h)
    blocked = (h > 0).toarray() | ~allowed
    scores = np.where(blocked, -np.inf, scores)
    top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return [
        {"user": user, "items": [items.ids[i] for i in row if np.isfinite(scores[n, i])]}
        for n, ((user, _), row) in enumerate(zip(chunk, top))
    ]


def _chunks(histories: Histories, size: int) -> Iterator[Histories]:
    for start in range(0, len(histories), size):
        yield histories[start : start + size]


def _ray(model_bytes: bytes, histories: Histories, allowed: np.ndarray, k: int, size: int) -> Iterator[list[dict]]:
    ray = require("ray", "ray")
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        task = ray.remote(score_chunk)
        ref, mask = ray.put(model_bytes), ray.put(allowed)
        pending = [task.remote(ref, chunk, mask, k) for chunk in _chunks(histories, size)]
        yield from ray.get(pending)  # in order, so the output file is deterministic
    finally:
        if started:
            ray.shutdown()


def score(
    model_path,
    histories: Histories,
    allowed: np.ndarray,
    out,
    *,
    k: int = 10,
    engine: str = "local",
    chunk: int = CHUNK,
) -> dict:
    """Score ``histories`` (``[(user, [(item index, weight)])]``) into a JSONL file."""
    if engine not in ENGINES:
        raise InvalidInput(f"unknown engine {engine!r}; valid engines: {', '.join(ENGINES)}")
    model_bytes = Path(model_path).read_bytes()
    t0 = time.perf_counter()
    run = (
        _ray(model_bytes, histories, allowed, k, chunk)
        if engine == "ray"
        else (score_chunk(model_bytes, c, allowed, k) for c in _chunks(histories, chunk))
    )
    n = 0
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for result in run:
            for rec in result:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
    seconds = time.perf_counter() - t0
    return {
        "users": n,
        "out": str(out),
        "engine": engine,
        "seconds": round(seconds, 3),
        "users_per_s": n / max(seconds, 1e-9),
    }


def score_store(db, model_path, out, *, k: int = 10, engine: str = "local") -> dict:
    """Every shopper of the event store, scored with the model saved at ``model_path``."""
    _, items, _ = persist.load(model_path)
    index = {sku: n for n, sku in enumerate(items.ids)}
    per_user: dict[str, dict[int, float]] = {}
    with db.session() as s:
        products = shop_catalog.snapshot(s)
        for r in events.rows(s):
            i, w = index.get(r.item), data.TYPE_WEIGHTS[r.type]
            if i is not None and w > 0:
                h = per_user.setdefault(r.user, {})
                h[i] = max(h.get(i, 0.0), w)
    allowed = rules.allowed([products.get(sku) for sku in items.ids], rules.surface(None))
    histories = [(u, list(h.items())) for u, h in sorted(per_user.items())]
    return score(model_path, histories, allowed, out, k=k, engine=engine)
