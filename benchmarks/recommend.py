"""Recommendation quality and speed, every figure with its baselines from the same run.

    python benchmarks/recommend.py [--only ml100k,amazon,serving,ray] [--out results.json]

ml100k   RecBole's protocol on MovieLens 100K (8:1:1 random split per user, seed 2020, full
         ranking, the test part): popularity, item-kNN, ALS (implicit), EASE, and a BPR
         baseline trained by `implicit` on the same split (RecBole's README: BPR NDCG@10 0.2768).
amazon   Amazon 2018 5-core Gift_Cards and Magazine_Subscriptions with their metadata:
         behaviour only (EASE), text only (e5 product embeddings), hybrid; random and cold-items
         splits (20% of the items held out with all their interactions).
serving  a synthetic 10,000-product shop (SQLite, 3,000 shoppers, ~120,000 events): p50/p95 of
         RecommendService.for_user / similar, uncached and cached. Text vectors are random unit
         vectors of e5's 384 dimensions (embedding 10,000 texts with e5 takes minutes and does not
         change the serving cost).
ray      batch scoring of every shopper of that shop, local vs a local Ray instance (shoppers/s;
         Ray's start-up reported apart).

Run it under the CPU lock on a shared machine:  flock /tmp/shopgen-cpu.lock python benchmarks/recommend.py
Data: ../shared/data/recsys (SHOPGEN_SHARED_DATA to point elsewhere).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from shopgen.core.settings import Settings
from shopgen.recommend import evaluate as ev
from shopgen.recommend import split as splits
from shopgen.recommend.base import create

DATA = Path(os.environ.get("SHOPGEN_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data") / "recsys"


class ImplicitBPR:
    """`implicit`'s BPR as a baseline (its defaults; the best of three settings on the validation
    part, 0.164 NDCG@10 there): user factors are learnt in training, so it scores the
    training users by index (evaluate's ``score_users`` hook), which is all this protocol needs."""

    name, needs_text = "bpr(implicit)", False

    def __init__(self, factors=64, learning_rate=0.01, regularization=0.01, iterations=100, seed=2020):
        self.kw = dict(
            factors=factors,
            learning_rate=learning_rate,
            regularization=regularization,
            iterations=iterations,
            random_state=seed,
        )

    def fit(self, train, items):
        from implicit.cpu.bpr import BayesianPersonalizedRanking
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1, "blas"):
            self.m = BayesianPersonalizedRanking(**self.kw, num_threads=1)
            self.m.fit(train.tocsr(), show_progress=False)
        return self

    def score_users(self, users):
        return np.asarray(self.m.user_factors[users] @ self.m.item_factors.T, dtype=np.float32)


def ml100k() -> dict:
    ds = ev.load(DATA / "ml-100k/ml-100k.inter")
    sp = splits.make(ds.log, "random", 2020)
    out = {}
    for name, model in (
        ("popularity", create("popularity")),
        ("itemknn", create("itemknn")),
        ("mf (ALS, implicit)", create("mf")),
        ("bpr (implicit, baseline)", ImplicitBPR()),
        ("ease", create("ease")),
    ):
        out[name] = ev.evaluate(model, ds, sp)
        print("ml-100k", name, out[name], flush=True)
    return out


def amazon(embedder) -> dict:
    out = {}
    for name in ("Gift_Cards", "Magazine_Subscriptions"):
        ds = ev.with_vectors(ev.load(DATA / f"amazon2018/{name}_5.json.gz"), embedder)
        for split in ("random", "cold-items"):
            sp = splits.make(ds.log, split, 2020)
            for label, model in (
                ("popularity", create("popularity")),
                ("behaviour only (ease)", create("ease")),
                ("text only (e5)", create("text")),
                ("hybrid (ease + e5)", create("hybrid", behaviour="ease")),
            ):
                r = ev.evaluate(model, ds, sp)
                out[f"{name} / {split} / {label}"] = r
                print("amazon", name, split, label, r, flush=True)
    return out


class RandomVectors:
    """384-d unit vectors per text (e5-small's size): for timing only."""

    name, model, dim = "random", "random-384", 384

    def embed_passages(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for n, t in enumerate(texts):
            v = np.random.default_rng(abs(hash(t)) % 2**32).standard_normal(self.dim)
            out[n] = v / np.linalg.norm(v)
        return out

    embed_queries = embed_passages


def build_shop(folder: Path, n_products=10_000, n_users=3_000, seed=7):
    """A synthetic shop: products in 5 categories × 40 styles, shoppers with two favourite styles."""
    from sqlalchemy import insert

    from shopgen.events import store as events
    from shopgen.events.schema import EventIn
    from shopgen.store.db import Database
    from shopgen.store.models import Product, Variant

    rng = random.Random(seed)
    db = Database(f"sqlite:///{folder / 'shop.db'}")
    db.migrate()
    cats = ["服装", "美妆", "数码", "食品", "家居"]
    now = datetime.now(UTC)
    products = [
        {
            "id": n + 1,
            "sku": f"P{n:05d}",
            "title": f"{cats[n % 5]}商品 风格{(n // 5) % 40} 款{n}",
            "category": cats[n % 5],
            "brand": f"品牌{n % 97}",
            "description": f"风格{(n // 5) % 40} 的{cats[n % 5]}",
            "price": round(rng.uniform(9, 999), 2),
            "currency": "CNY",
            "status": "active",
            "created_at": now,
            "updated_at": now,
        }
        for n in range(n_products)
    ]
    variants = [{"product_id": p["id"], "sku": p["sku"] + "-V", "stock": rng.randint(0, 300)} for p in products]
    by_style: dict[int, list[str]] = {}
    for n, p in enumerate(products):
        by_style.setdefault(n % 200, []).append(p["sku"])
    evs = []
    for u in range(n_users):
        styles = rng.sample(range(200), 2)
        for j in range(40):
            sku = rng.choice(by_style[rng.choice(styles)]) if rng.random() < 0.8 else rng.choice(products)["sku"]
            kind = rng.choices(["view", "cart", "purchase"], weights=[8, 2, 1])[0]
            evs.append(EventIn(user=f"u{u}", item=sku, type=kind, ts=1_762_000_000 + u * 100 + j))
    with db.session() as s:
        s.execute(insert(Product), products)
        s.execute(insert(Variant), variants)
        events.ingest(s, evs)
    return db, len(evs)


def serving(folder: Path, n_products: int = 10_000, n_users: int = 3_000) -> dict:
    from shopgen.recommend.service import RecommendService

    t0 = time.perf_counter()
    db, n_events = build_shop(folder, n_products, n_users)
    built = time.perf_counter() - t0
    emb = RandomVectors()
    svc = RecommendService(db, folder / "recommend", embedder=lambda: emb, retrain_seconds=1e9)
    t0 = time.perf_counter()
    info = svc.train()
    train_s = time.perf_counter() - t0
    users = [f"u{n}" for n in random.Random(1).sample(range(n_users), 300)]
    skus = [f"P{n:05d}" for n in random.Random(2).sample(range(n_products), 300)]

    def timed(fn, args, clear):
        out = []
        for a in args:
            if clear:
                svc._cache.clear()
            t = time.perf_counter()
            fn(a, 10)
            out.append((time.perf_counter() - t) * 1000)
        out.sort()
        return {
            "p50_ms": round(statistics.median(out), 2),
            "p95_ms": round(out[int(0.95 * len(out)) - 1], 2),
            "n": len(out),
        }

    r = {
        "products": n_products,
        "shoppers": n_users,
        "events": n_events,
        "build_seconds": round(built, 1),
        "train_seconds": round(train_s, 2),
        "model": info["model"],
        "params": info["params"],
        "for_user_uncached": timed(svc.for_user, users, True),
        "for_user_cached": (timed(svc.for_user, users, False), timed(svc.for_user, users, False))[1],  # warm, then time
        "similar_uncached": timed(svc.similar, skus, True),
    }
    print("serving", r, flush=True)
    return r


def ray_batch(folder: Path) -> dict:
    import ray

    from shopgen.recommend import batch
    from shopgen.store.db import Database

    db = Database(f"sqlite:///{folder / 'shop.db'}")
    model = folder / "recommend" / "model.npz"
    local = batch.score_store(db, model, folder / "local.jsonl", k=10)
    t0 = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    start = time.perf_counter() - t0
    try:
        on_ray = batch.score_store(db, model, folder / "ray.jsonl", k=10, engine="ray")
    finally:
        ray.shutdown()
    same = (folder / "local.jsonl").read_text() == (folder / "ray.jsonl").read_text()
    r = {"local": local, "ray": on_ray, "ray_start_seconds": round(start, 1), "identical_output": same}
    print("ray", r, flush=True)
    return r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="ml100k,amazon,serving,ray")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    only = set(args.only.split(","))
    result = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}",
        "date": datetime.now(UTC).date().isoformat(),
    }
    if "ml100k" in only:
        result["ml100k"] = ml100k()
    if "amazon" in only:
        from shopgen.models.runtime import Runtime

        result["amazon"] = amazon(Runtime(Settings(embed_backend="e5")).embedder())
    with tempfile.TemporaryDirectory() as tmp:
        if only & {"serving", "ray"}:
            result["serving"] = serving(Path(tmp))
        if "ray" in only:
            result["ray"] = ray_batch(Path(tmp))
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
