"""Fit the shipped reranker (``shopgen/search/data/rerank-zh-questions.json``) and measure it.

The slice is the one ``benchmarks/retrieval_fusion.py`` uses: the first ``--corpus`` entries of
``faq/atec/corpus.jsonl`` and every query whose answer lies in them, split by query id into a tuning
half (even CRC32) and a test half (odd). For every query the shipped hybrid (convex fusion of BM25
with character pairs and e5) gives its top 30; a logistic regression over the reranker's features
(:data:`shopgen.search.rerank.FEATURES`) learns, on the tuning half only, which of them is the
judged answer. Reported for both halves: MRR@10 and recall@1 of the fused order and of the
reranked order, and the reranker's time per query.

Usage: ``python benchmarks/rerank_train.py [--corpus 8000] [--cache /tmp/atec-cache] [--out FILE | --no-save]``
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from retrieval_fusion import atec_slice  # noqa: E402  (the same slice and halves)
from shopgen.core.settings import Settings
from shopgen.metrics.retrieval import mrr_at, recall_at
from shopgen.models.embed import create_embedder
from shopgen.search.bm25 import BM25Index
from shopgen.search.dense import build_cached
from shopgen.search.hybrid import default_hybrid
from shopgen.search.rerank import DEFAULT_MODEL, FEATURES, LinearReranker, NoReranker, RerankedRetriever, features

ROOT = Path(__file__).resolve().parent.parent


# more agreement may never count against a candidate, a mismatch never for it: ATEC judges one
# paraphrase per query, so an unconstrained fit learns to push down candidates that repeat the
# query word for word (unjudged near-duplicates), which would not carry over to a shop's FAQ
SIGNS = {f: (-1 if f.endswith("_mismatch") else 1) for f in FEATURES}


def fit_signed(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression (sklearn's objective at ``C = c``) with each weight held
    to its sign in :data:`SIGNS`."""
    from scipy.optimize import minimize

    def loss(theta):
        w, b = theta[:-1], theta[-1]
        z = x @ w + b
        p = 1 / (1 + np.exp(-z))
        value = c * np.sum(np.logaddexp(0, z) - y * z) + 0.5 * w @ w
        grad = np.append(c * (x.T @ (p - y)) + w, c * np.sum(p - y))
        return value, grad

    bounds = [(0, None) if SIGNS[f] > 0 else (None, 0) for f in FEATURES] + [(None, None)]
    res = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds)
    return res.x[:-1], float(res.x[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "faq" / "atec")
    ap.add_argument("--corpus", type=int, default=8000)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/atec-cache"))
    ap.add_argument("--c", type=float, default=1.0)
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args()
    corpus, queries, qrels, halves = atec_slice(args.data, args.corpus)
    embedder = create_embedder(Settings())
    lexical = BM25Index.build(corpus)
    dense, _ = build_cached(corpus, embedder, args.cache, as_queries=True)
    dense.prime([t for _, t in queries])
    texts = dict(corpus)
    fused = default_hybrid(lexical, dense)  # the fusion alone: no texts, no reranking
    pool_of = RerankedRetriever(fused, texts, NoReranker())  # the fused top 30, with what a reranker reads
    pools = {h: [(qid, q, pool_of.candidates(q)) for qid, q in qs] for h, qs in halves.items()}

    def rows(half):
        x, y = [], []
        for qid, q, cands in pools[half]:
            x.append(features(q, cands))
            y += [int(c.id in qrels[qid]) for c in cands]
        return np.vstack(x), np.array(y)

    x, y = rows("tune")
    mu, sd = x.mean(0), x.std(0) + 1e-9
    coef, intercept = fit_signed((x - mu) / sd, y, args.c)
    weights = coef / sd
    bias = float(intercept - (coef * mu / sd).sum())
    model = LinearReranker(
        weights,
        bias,
        {
            "trained_on": f"ATEC slice: first {len(corpus)} corpus entries, tuning half of its queries ({len(halves['tune'])})",
            "pool": 30,
            "c": args.c,
            "script": "benchmarks/rerank_train.py",
            "trained": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )

    report = {"corpus": len(corpus), "queries": {h: len(q) for h, q in halves.items()}, "features": list(FEATURES)}
    for half, pool in pools.items():
        row = {}
        for name, reranker in (("fused", NoReranker()), ("reranked", model)):
            mrr = r1 = 0.0
            start = time.perf_counter()
            for qid, q, cands in pool:
                scores = reranker.rerank(q, cands)
                ranked = [cands[i].id for i in sorted(range(len(cands)), key=lambda i: (-scores[i], i))]
                mrr += mrr_at(ranked, qrels[qid], 10)
                r1 += recall_at(ranked, qrels[qid], 1)
            n = len(pool)
            row[name] = {"mrr@10": round(mrr / n, 4), "recall@1": round(r1 / n, 4)}
            row[name]["rerank_ms_per_query"] = round((time.perf_counter() - start) * 1000 / n, 2)
        row["recall@30"] = round(sum(any(c.id in qrels[qid] for c in cands) for qid, _, cands in pool) / len(pool), 4)
        report[half] = row
    report["weights"] = dict(zip(FEATURES, (round(float(w), 3) for w in weights)))
    if not args.no_save:
        report["saved"] = str(model.save(args.out))
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
