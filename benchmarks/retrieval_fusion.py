"""Retrieval: which lexical index, which document prefix and which fusion, on a slice of ATEC.

The slice: the first ``--corpus`` entries of ``faq/atec/corpus.jsonl`` (FAQ entries and
same-domain distractors) and every query whose answer lies in them, split by query id into a
tuning half (even CRC32) and a test half (odd). Choices are made on the tuning half; the test half
is reported beside it. Dense vectors are cached under ``--cache``.

Rows: BM25 on jieba words (before) and with character pairs (shipped); e5 with the passage prefix
on documents (before) and with the query prefix on both sides (shipped for question lists); RRF
(before) and convex fusion at several dense weights; ``shipped`` is what ``shopgen assist eval``'s
hybrid now runs.

Usage: ``python benchmarks/retrieval_fusion.py [--corpus 8000] [--cache /tmp/atec-cache]``
"""

from __future__ import annotations

import argparse
import json
import time
import zlib
from pathlib import Path

from shopgen.assistant.beir import load_corpus, load_qrels, load_queries
from shopgen.assistant.evaluate import score_method
from shopgen.core.settings import Settings
from shopgen.models.embed import create_embedder
from shopgen.search.bm25 import BM25Index
from shopgen.search.dense import build_cached
from shopgen.search.hybrid import HybridRetriever, default_hybrid

ROOT = Path(__file__).resolve().parent.parent


def atec_slice(data: Path, size: int):
    """The first ``size`` corpus entries, the queries answered in them with their judgements, and
    those queries split by id into a tuning half (even CRC32) and a test half (odd)."""
    corpus = load_corpus(data / "corpus.jsonl")[:size]
    ids = {d for d, _ in corpus}
    qrels = {q: r for q, r in load_qrels(data / "qrels.tsv").items() if set(r) <= ids}
    queries = [q for q in load_queries(data / "queries.jsonl") if q[0] in qrels]
    halves = {
        "tune": [q for q in queries if zlib.crc32(q[0].encode()) % 2 == 0],
        "test": [q for q in queries if zlib.crc32(q[0].encode()) % 2 == 1],
    }
    return corpus, queries, qrels, halves


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "faq" / "atec")
    ap.add_argument("--corpus", type=int, default=8000)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/atec-cache"))
    args = ap.parse_args()
    corpus, queries, qrels, halves = atec_slice(args.data, args.corpus)
    embedder = create_embedder(Settings())
    start = time.perf_counter()
    words = BM25Index.build(corpus, bigrams=False)
    pairs = BM25Index.build(corpus, bigrams=True)
    build_s = time.perf_counter() - start
    passage, info_p = build_cached(corpus, embedder, args.cache)
    query, info_q = build_cached(corpus, embedder, args.cache, as_queries=True)
    passage.prime([t for _, t in queries])
    query._primed = passage._primed  # the same query vectors
    methods = {
        "bm25 words (before)": words,
        "bm25 words+pairs": pairs,
        "e5 passage prefix (before)": passage,
        "e5 query prefix both sides": query,
        "rrf(words, e5 passage) (before)": HybridRetriever([words, passage]),
        "rrf(pairs, e5 query)": HybridRetriever([pairs, query]),
    }
    for dense_name, dense in (("e5 passage", passage), ("e5 query", query)):
        for w in (0.5, 0.6, 0.7, 0.8):
            methods[f"convex(pairs, {dense_name}, {w})"] = HybridRetriever(
                [pairs, dense], weights=[1 - w, w], fusion="convex"
            )
    methods["shipped: default_hybrid(pairs, e5 query)"] = default_hybrid(pairs, query)
    out = {
        "corpus": len(corpus),
        "queries": {k: len(v) for k, v in halves.items()},
        "bm25_build_s": round(build_s, 1),
        "dense": {"passage": info_p, "query": info_q},
    }
    rows = []
    for name, r in methods.items():
        row = {"method": name}
        for half, qs in halves.items():
            s = score_method(r, qs, qrels)
            row[half] = {k: s[k] for k in ("recall@1", "recall@10", "mrr@10", "ms_per_query_p50")}
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    out["results"] = rows
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
