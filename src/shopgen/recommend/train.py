"""Training on a file (``shopgen recommend train --data … --out …``), outside the shop's store."""

from __future__ import annotations

import time
from pathlib import Path

from shopgen.events import formats
from shopgen.recommend import data, persist
from shopgen.recommend import items as item_text
from shopgen.recommend.base import ItemSide, create


def train_file(
    path, model: str, params: dict, out, *, items_path=None, embedder=None, cache_dir: Path | None = None
) -> dict:
    """Fit ``model`` on every interaction of an event file (weights by event type) and save it."""
    rec = create(model, **params)
    log = data.from_events(formats.events(path))
    side_path = Path(items_path) if items_path else item_text.sidecar(Path(path))
    meta = item_text.load_texts(side_path) if side_path else {}
    vectors = None
    if rec.needs_text and meta:
        vectors = item_text.embed(embedder(), [meta.get(i, {}).get("text", "") for i in log.items], cache_dir)
    cats = [meta.get(i, {}).get("category", "") for i in log.items] if meta else None
    side = ItemSide(ids=log.items, vectors=vectors, categories=cats)
    t0 = time.perf_counter()
    rec.fit(log.matrix(), side)
    seconds = round(time.perf_counter() - t0, 3)
    info = {"model": rec.name, "params": rec.params(), "n_users": log.n_users, "n_items": log.n_items}
    persist.save(out, rec, side, {**info, "train_seconds": seconds, "source": str(path)})
    return {**info, "interactions": len(log), "train_seconds": seconds, "out": str(out)}
