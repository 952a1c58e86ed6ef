"""``shopgen assist eval``: retrieval quality and latency on a BEIR-format task."""

from __future__ import annotations

import time
from pathlib import Path

from shopgen.assistant.beir import has_titles
from shopgen.core.errors import InvalidInput
from shopgen.metrics.retrieval import mrr_at, ndcg_at, percentile, recall_at
from shopgen.search.bm25 import BM25Index
from shopgen.search.dense import build_cached, looks_like_questions
from shopgen.search.fields import QUESTION_WEIGHT, build_indexes, fielded_retriever
from shopgen.search.hybrid import default_hybrid

# hybrid: what ships (fusion, then the reranker on question lists); fusion: the same without reranking
METHODS = ("bm25", "dense", "fusion", "hybrid")


DOC_PREFIXES = ("auto", "query", "passage")


def build_retrievers(
    corpus,
    methods,
    embedder,
    cache_dir: Path | None,
    progress: bool = False,
    doc_prefix: str = "auto",
    fields=None,
    question_weight: float = QUESTION_WEIGHT,
):
    """The retrievers to score. Dense documents are embedded as queries when ``doc_prefix`` says so,
    or (``auto``) when the corpus looks like a list of questions (ATEC slice: MRR@10 of e5 alone
    0.225 → 0.245, benchmarks/retrieval_fusion.py). Given ``fields`` (``(id, title, text)``) of a
    corpus whose documents have titles (question + answer) and a ``question_weight`` above 0,
    ``hybrid`` weighs the question and the whole entry apart (:mod:`shopgen.search.fields`); the
    other methods search the title and text as one."""
    out, info = {}, {}
    if {"bm25", "fusion", "hybrid"} & set(methods):
        start = time.perf_counter()
        out["bm25"] = BM25Index.build(corpus)
        info["bm25_build_s"] = round(time.perf_counter() - start, 2)
    if {"dense", "fusion", "hybrid"} & set(methods):
        as_queries = doc_prefix == "query" or (doc_prefix == "auto" and looks_like_questions([t for _, t in corpus]))
        out["dense"], info["dense"] = build_cached(corpus, embedder, cache_dir, progress, as_queries)
        info["dense"]["document_prefix"] = "query" if as_queries else "passage"
    if "fusion" in methods:
        out["fusion"] = default_hybrid(out["bm25"], out["dense"])
        out["fusion"].name = "fusion"
    if "hybrid" in methods and question_weight > 0 and fields is not None and has_titles(fields):
        # the fielded dense indexes take their query vectors from the primed one (below)
        ix, made = build_indexes(fields, embedder, cache_dir, progress, queries_from=out["dense"])
        out["hybrid"] = fielded_retriever(ix, question_weight)
        out["hybrid"].name = "hybrid"
        info["rerank"] = {"reranker": "none", "pool": 0}
        info["fields"] = {"question_weight": question_weight, "question_index_cached": made["question"].get("cached")}
    elif "hybrid" in methods:
        out["hybrid"] = default_hybrid(out["bm25"], out["dense"], dict(corpus))
        reranker = getattr(out["hybrid"], "reranker", None)
        info["rerank"] = {"reranker": reranker.name if reranker else "none", "pool": getattr(out["hybrid"], "pool", 0)}
    return out, info


def score_method(retriever, queries, qrels) -> dict:
    sums = {"recall@1": 0.0, "recall@5": 0.0, "recall@10": 0.0, "mrr@10": 0.0, "ndcg@10": 0.0}
    times = []
    for qid, text in queries:
        start = time.perf_counter()
        ranked = [h.id for h in retriever.search(text, 10)]
        times.append((time.perf_counter() - start) * 1000)
        rel = qrels[qid]
        for k in (1, 5, 10):
            sums[f"recall@{k}"] += recall_at(ranked, rel, k)
        sums["mrr@10"] += mrr_at(ranked, rel, 10)
        sums["ndcg@10"] += ndcg_at(ranked, rel, 10)
    n = len(queries)
    out = {"n": n, "method": retriever.name, **{k: round(v / n, 4) for k, v in sums.items()}}
    out["ms_per_query_p50"] = round(percentile(times, 50), 2)
    out["ms_per_query_p95"] = round(percentile(times, 95), 2)
    return out


def evaluate(
    corpus,
    queries,
    qrels,
    methods,
    embedder,
    cache_dir: Path | None,
    limit: int | None = None,
    progress: bool = False,
    doc_prefix: str = "auto",
    fields=None,
    question_weight: float = QUESTION_WEIGHT,
) -> dict:
    unknown = sorted(set(methods) - set(METHODS))
    if unknown:
        raise InvalidInput(f"unknown method {', '.join(unknown)}; valid: {', '.join(METHODS)}")
    queries = [q for q in queries if q[0] in qrels]
    if not queries:
        raise InvalidInput("no query has a judgement in the qrels file")
    if limit:
        queries = queries[:limit]
    if doc_prefix not in DOC_PREFIXES:
        raise InvalidInput(f"unknown document prefix {doc_prefix}; valid: {', '.join(DOC_PREFIXES)}")
    if not 0.0 <= question_weight <= 1.0:
        raise InvalidInput(f"question weight {question_weight}: expected 0 to 1")
    retrievers, info = build_retrievers(
        corpus, methods, embedder, cache_dir, progress, doc_prefix, fields, question_weight
    )
    if "dense" in retrievers:
        # embed every query once, in batches; per-query latency below then excludes the embedding,
        # so it is reported separately
        start = time.perf_counter()
        retrievers["dense"].prime([text for _, text in queries])
        info["query_embed_ms_each"] = round((time.perf_counter() - start) * 1000 / len(queries), 2)
    results = [score_method(retrievers[m], queries, qrels) for m in methods]
    return {"corpus": len(corpus), "results": results, "index": info}
