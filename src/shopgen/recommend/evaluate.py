"""`shopgen recommend eval`: offline ranking quality and speed, with a fixed seed.

Protocol (RecBole's ``full`` mode): every test shopper's items are ranked against all items
(for ``cold-items``: against the held-out items), the items in their training and validation
parts masked out; ties are broken by a seeded random order of the items, the same for every
model. Metrics follow RecBole's definitions (binary relevance, IDCG over min(|test|, k)),
averaged over shoppers with at least one test item. ``ms_per_user_p95`` times one shopper at a
time (history in → top 10 out) on up to 200 seeded shoppers.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.events import formats
from shopgen.recommend import data
from shopgen.recommend import items as item_text
from shopgen.recommend import split as splits
from shopgen.recommend.base import ItemSide, Recommender, create

KEYS = (
    "n_users",
    "n_items",
    "ndcg@10",
    "recall@10",
    "mrr@10",
    "hit@10",
    "precision@10",
    "train_seconds",
    "ms_per_user_p95",
)


@dataclass
class Dataset:
    log: data.Log
    items: ItemSide
    texts: list[str]


def load(path: str | Path, items_path: str | Path | None = None, fmt: str = "auto") -> Dataset:
    """Interactions from an event file (every user–item pair weighs 1, as in RecBole) and the
    items' text from ``items_path`` or the file beside the data (see ``items.sidecar``)."""
    log = data.from_events(formats.events(path, fmt), binary=True)
    side = Path(items_path) if items_path else item_text.sidecar(Path(path))
    meta = item_text.load_texts(side) if side else {}
    texts = [meta.get(i, {}).get("text", "") for i in log.items]
    cats = [meta.get(i, {}).get("category", "") for i in log.items] if meta else None
    return Dataset(log, ItemSide(ids=log.items, categories=cats), texts)


def with_vectors(ds: Dataset, embedder, cache_dir: Path | None = None) -> Dataset:
    if not any(t.strip() for t in ds.texts):
        raise InvalidInput("no item text found: pass --items (meta_*.json.gz or a RecBole .item file)")
    vectors = item_text.embed(embedder, ds.texts, cache_dir)
    ds.items = ItemSide(ids=ds.items.ids, vectors=vectors, categories=ds.items.categories)
    return ds


def _rank_metrics(top: np.ndarray, test_sets: list[set[int]], k: int) -> np.ndarray:
    """Per user: ndcg, recall, mrr, hit, precision at k."""
    out = np.zeros((len(test_sets), 5))
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    for n, (row, truth) in enumerate(zip(top, test_sets)):
        hits = np.fromiter((int(i) in truth for i in row[:k]), dtype=bool, count=k)
        if not hits.any():
            continue
        idcg = discounts[: min(len(truth), k)].sum()
        out[n] = (
            (discounts * hits).sum() / idcg,
            hits.sum() / len(truth),
            1.0 / (np.argmax(hits) + 1),
            1.0,
            hits.sum() / k,
        )
    return out


def _top_k(scores: np.ndarray, blocked: np.ndarray, tiebreak: np.ndarray, k: int) -> np.ndarray:
    scores = np.where(blocked, -np.inf, scores)
    order = np.lexsort((np.broadcast_to(tiebreak, scores.shape), -scores), axis=-1)
    return order[:, :k]


def _scores(model, train, users: np.ndarray) -> np.ndarray:
    # a model with per-user parameters learnt in training (a BPR baseline) scores users by index
    if hasattr(model, "score_users"):
        return model.score_users(users)
    return model.score(train[users])


def evaluate(
    model: Recommender, ds: Dataset, sp: splits.Split, k: int = 10, seed: int = 2020, batch: int = 256
) -> dict:
    """Fit ``model`` on the split's training part and measure it on the test part."""
    log = ds.log
    train = log.matrix(sp.train)
    seen = log.matrix(sp.train | sp.valid) > 0
    t0 = time.perf_counter()
    model.fit(train, ds.items)
    train_seconds = time.perf_counter() - t0
    tests: dict[int, set[int]] = {}
    for u, i in zip(log.u[sp.test], log.i[sp.test]):
        tests.setdefault(int(u), set()).add(int(i))
    users = np.asarray(sorted(tests), dtype=np.int64)
    if not len(users):
        raise InvalidInput("the split left no test interactions")
    tiebreak = np.random.default_rng(seed).permutation(log.n_items)
    outside = np.zeros(log.n_items, dtype=bool) if sp.candidates is None else ~sp.candidates
    per_user = []
    for start in range(0, len(users), batch):
        chunk = users[start : start + batch]
        blocked = seen[chunk].toarray() | outside
        top = _top_k(_scores(model, train, chunk), blocked, tiebreak, k)
        per_user.append(_rank_metrics(top, [tests[int(u)] for u in chunk], k))
    m = np.concatenate(per_user).mean(axis=0)
    timed = np.random.default_rng(seed).choice(users, size=min(200, len(users)), replace=False)
    times = []
    for u in timed:
        t = time.perf_counter()
        _top_k(_scores(model, train, np.asarray([u])), seen[[u]].toarray() | outside, tiebreak, k)
        times.append((time.perf_counter() - t) * 1000)
    p95 = sorted(times)[max(0, math.ceil(0.95 * len(times)) - 1)]
    return dict(
        zip(
            KEYS,
            (
                int(log.n_users),
                int(log.n_items),
                *(round(float(x), 4) for x in m),
                round(train_seconds, 3),
                round(float(p95), 3),
            ),
        )
    )


def run(
    path: str | Path,
    model: str,
    split: str = "random",
    *,
    seed: int = 2020,
    items_path: str | Path | None = None,
    embedder=None,
    cache_dir: Path | None = None,
    params: dict | None = None,
) -> dict:
    """Load, split, fit and measure: the dictionary `shopgen recommend eval --json` prints."""
    rec = create(model, **(params or {}))
    if split not in splits.SPLITS:
        raise InvalidInput(f"unknown split {split!r}; valid: {', '.join(splits.SPLITS)}")
    ds = load(path, items_path)
    if rec.needs_text:
        if embedder is None:
            raise InvalidInput(f"model {model!r} needs an embedder for item text")
        with_vectors(ds, embedder, cache_dir)
    return evaluate(rec, ds, splits.make(ds.log, split, seed), seed=seed)
