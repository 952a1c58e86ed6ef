"""Fit a linear adapter on e5's question vectors from ATEC paraphrase pairs, and measure whether it
carries over to paraphrase clusters it never saw.

Split: the first ``--corpus`` ATEC entries (one per paraphrase cluster) and their queries, split **by
cluster** (CRC32 of the entry id): the adapter learns from the training clusters only (their
query → entry pairs, plus the ``same = 0`` pairs of ``atec_nlp_sim_train.csv`` that touch them as hard
negatives); its strength (ridge towards the identity) and steps are chosen on a validation part of
the training clusters. The test clusters' queries are then searched in the whole slice (training
entries stay in as distractors) with e5 as shipped and with the adapter, alone and in the shipped
hybrid (+ reranker).

Out of domain (e-commerce, written here): the 173 policy questions of
``tests/assistant/data/policy_questions.jsonl`` in 30 topics, each searched among the other 172;
the ones of its topic are relevant. A question-to-question adapter that only learned Alipay words
would show here.

Result (BENCHMARKS.md, 2026-12-07): no gain on the held-out clusters, a loss out of domain; not shipped.

Usage: ``python benchmarks/dense_adapter.py [--form full|diag] [--ridges 0.01,0.1,1] [--steps 50,100,200]``
"""

from __future__ import annotations

import argparse
import csv
import json
import time
import zlib
from pathlib import Path

import numpy as np

from retrieval_fusion import atec_slice  # noqa: E402  (the same slice)
from shopgen.core.settings import Settings
from shopgen.metrics.retrieval import mrr_at, recall_at
from shopgen.models.embed import create_embedder
from shopgen.models.embed.base import normalise
from shopgen.search.bm25 import BM25Index
from shopgen.search.dense import corpus_key, embed_corpus, matrix_index
from shopgen.search.hybrid import default_hybrid
from shopgen.search.rerank import RerankedRetriever, create_reranker

ROOT = Path(__file__).resolve().parent.parent


class LinearAdapter:
    """Vectors mapped by one matrix and renormalised (both sides of a question-to-question match)."""

    def __init__(self, weights: np.ndarray, meta: dict) -> None:
        self.weights, self.meta = np.asarray(weights, np.float32), meta

    def apply(self, rows: np.ndarray) -> np.ndarray:
        return normalise(np.asarray(rows, np.float32) @ self.weights)


def vectors(embedder, texts: list[str], cache: Path) -> np.ndarray:
    """e5 query-prefix vectors of ``texts``, cached under ``cache`` by a hash of the texts."""
    path = cache / f"adapter-{corpus_key(embedder, texts)}.npy"
    if path.exists():
        return np.load(path)
    out = embed_corpus(embedder, texts, as_queries=True)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    return out


def fit(q, d, pos, negatives, ridge, checkpoints, form="full", temp=0.02, lr=0.02, seed=0):
    """W (dim × dim, from the identity) minimising the softmax loss of each query's entry against
    every training entry and every hard negative, plus ``ridge`` · ||W − I||²; Adam, full batch.
    Returns W at each of ``checkpoints`` (step counts)."""
    import torch

    torch.manual_seed(seed)
    q = torch.tensor(q)
    cols = torch.tensor(np.vstack([d, negatives]))
    pos = torch.tensor(pos)
    eye = torch.eye(q.shape[1])
    param = torch.nn.Parameter(torch.ones(q.shape[1]) if form == "diag" else eye.clone())
    opt = torch.optim.Adam([param], lr=lr)
    out = {}
    for step in range(1, max(checkpoints) + 1):
        opt.zero_grad()
        w = torch.diag(param) if form == "diag" else param
        fq = torch.nn.functional.normalize(q @ w, dim=1)
        fc = torch.nn.functional.normalize(cols @ w, dim=1)
        loss = torch.nn.functional.cross_entropy(fq @ fc.T / temp, pos) + ridge * ((w - eye) ** 2).sum()
        loss.backward()
        opt.step()
        if step in checkpoints:
            out[step] = w.detach().numpy().astype(np.float32).copy()
    return out


def mrr_dense(qv, dv, gold, k=10):
    """MRR@10 and recall@1 of cosine search of each row of ``qv`` in ``dv`` (``gold[i]``: the set of
    relevant row numbers)."""
    scores = qv @ dv.T
    mrr = r1 = 0.0
    for i, row in enumerate(scores):
        top = np.argsort(-row, kind="stable")[:k].tolist()
        rel = dict.fromkeys(gold[i], 1)
        mrr += mrr_at(top, rel, k)
        r1 += recall_at(top, rel, 1)
    return round(mrr / len(qv), 4), round(r1 / len(qv), 4)


def policy_check(embedder, cache, adapter: LinearAdapter | None):
    rows = [json.loads(x) for x in (ROOT / "tests/assistant/data/policy_questions.jsonl").open(encoding="utf-8")]
    v = vectors(embedder, [r["q"] for r in rows], cache)
    if adapter is not None:
        v = adapter.apply(v)
    s = v @ v.T
    np.fill_diagonal(s, -np.inf)
    mrr = r1 = 0.0
    for i, row in enumerate(s):
        gold = {j: 1 for j, r in enumerate(rows) if j != i and r["topic"] == rows[i]["topic"]}
        top = np.argsort(-row, kind="stable")[:10].tolist()
        mrr += mrr_at(top, gold, 10)
        r1 += float(top[0] in gold)
    return {"mrr@10": round(mrr / len(rows), 4), "top1_same_topic": round(r1 / len(rows), 4)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "faq" / "atec")
    ap.add_argument("--corpus", type=int, default=8000)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/atec-cache"))
    ap.add_argument("--ridges", default="0.01,0.1,1")
    ap.add_argument("--steps", default="50,100,200")
    ap.add_argument(
        "--form", choices=("full", "diag"), default="full", help="a full matrix or one weight per dimension"
    )
    args = ap.parse_args()
    t0 = time.perf_counter()
    corpus, queries, qrels, _ = atec_slice(args.data, args.corpus)
    embedder = create_embedder(Settings())
    doc_ids = [d for d, _ in corpus]
    row_of = {d: i for i, d in enumerate(doc_ids)}
    dv = vectors(embedder, [t for _, t in corpus], args.cache)
    qv = vectors(embedder, [t for _, t in queries], args.cache)
    side = {d: ("test" if zlib.crc32(d.encode()) % 2 else "train") for d in doc_ids}
    q_doc = [next(iter(qrels[qid])) for qid, _ in queries]
    train_q = [i for i, d in enumerate(q_doc) if side[d] == "train"]
    test_q = [i for i, d in enumerate(q_doc) if side[d] == "test"]
    train_docs = [i for i, d in enumerate(doc_ids) if side[d] == "train"]

    # hard negatives: the other side of a same = 0 pair that touches a training cluster, when that
    # side is in no cluster of the slice (a distractor: never a paraphrase of an entry)
    train_texts = {corpus[r][1] for r in train_docs} | {queries[i][1] for i in train_q}
    in_slice = {t for _, t in corpus} | {t for _, t in queries}
    neg_texts = set()
    with (args.data / "atec_nlp_sim_train.csv").open(encoding="utf-8-sig") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if len(row) != 4 or row[3].strip() != "0":
                continue
            for a, b in ((row[1], row[2]), (row[2], row[1])):
                if a in train_texts and b not in in_slice:
                    neg_texts.add(b)
    neg_texts = sorted(neg_texts)
    nv = vectors(embedder, neg_texts, args.cache)
    embed_s = time.perf_counter() - t0

    def train_on(qrows, drows):
        local = {r: k for k, r in enumerate(drows)}
        return qv[qrows], dv[drows], np.array([local[row_of[q_doc[i]]] for i in qrows])

    # choose ridge and steps on a validation part of the training clusters (a fifth, by entry id)
    val_set = {i for i in train_q if zlib.crc32(q_doc[i].encode()) % 5 == 0}
    val = sorted(val_set)
    fit_q = [i for i in train_q if i not in val_set]
    fit_docs = sorted({row_of[q_doc[i]] for i in fit_q})
    val_gold = [{row_of[q_doc[i]]} for i in val]
    checkpoints = [int(x) for x in args.steps.split(",")]
    grid = {}
    for ridge in (float(x) for x in args.ridges.split(",")):
        for steps, w in fit(*train_on(fit_q, fit_docs), nv, ridge, checkpoints, args.form).items():
            a = LinearAdapter(w, {})
            grid[(ridge, steps)] = mrr_dense(a.apply(qv[val]), a.apply(dv), val_gold)[0]
    ridge, steps = max(grid, key=grid.get)
    t1 = time.perf_counter()
    w = fit(*train_on(train_q, train_docs), nv, ridge, [steps], args.form)[steps]
    fit_s = time.perf_counter() - t1
    adapter = LinearAdapter(
        w,
        {
            "trained_on": f"ATEC: query → entry pairs of {len(train_docs)} of the first {len(corpus)} paraphrase clusters "
            f"(even CRC32 of the entry id), {len(neg_texts)} same = 0 partners as hard negatives",
            "base_model": embedder.model,
            "ridge": ridge,
            "steps": steps,
            "script": "benchmarks/dense_adapter.py",
        },
    )

    report = {
        "corpus": len(corpus),
        "queries": {"train": len(train_q), "test": len(test_q), "validation": len(val)},
        "hard_negatives": len(neg_texts),
        "validation_mrr@10": {
            "e5": mrr_dense(qv[val], dv, val_gold)[0],
            **{f"ridge {r}, steps {n}": v for (r, n), v in grid.items()},
        },
        "chosen": {"ridge": ridge, "steps": steps},
        "embed_s": round(embed_s, 1),
        "fit_s": round(fit_s, 1),
    }
    test_gold = [{row_of[q_doc[i]]} for i in test_q]
    report["test_dense"] = {
        "e5": dict(zip(("mrr@10", "recall@1"), mrr_dense(qv[test_q], dv, test_gold))),
        "e5 + adapter": dict(
            zip(("mrr@10", "recall@1"), mrr_dense(adapter.apply(qv[test_q]), adapter.apply(dv), test_gold))
        ),
    }

    # the shipped hybrid and reranker over the same test queries, with and without the adapter
    lexical = BM25Index.build(corpus)
    texts = dict(corpus)
    test_queries = [queries[i] for i in test_q]
    for name, a in (("shipped", None), ("shipped + adapter", adapter)):
        docs_m = dv if a is None else a.apply(dv)
        q_m = qv[test_q] if a is None else a.apply(qv[test_q])
        dense = matrix_index(doc_ids, docs_m, embedder)
        dense._primed.update({q: v for (_, q), v in zip(test_queries, q_m)})
        fused = default_hybrid(lexical, dense)
        reranked = RerankedRetriever(fused, texts, create_reranker("linear"))
        for label, retriever in (("fusion", fused), ("hybrid", reranked)):
            mrr = r1 = 0.0
            for qid, q in test_queries:
                ranked = [h.id for h in retriever.search(q, 10)]
                mrr += mrr_at(ranked, qrels[qid], 10)
                r1 += recall_at(ranked, qrels[qid], 1)
            report.setdefault("test_hybrid", {})[f"{name}: {label}"] = {
                "mrr@10": round(mrr / len(test_queries), 4),
                "recall@1": round(r1 / len(test_queries), 4),
            }
    report["policy_questions"] = {
        "e5": policy_check(embedder, args.cache, None),
        "e5 + adapter": policy_check(embedder, args.cache, adapter),
    }
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
