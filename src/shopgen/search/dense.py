"""Dense retrieval: a query embedding against the passage vectors of a :class:`VectorStore`.

The vectors live in a store (:mod:`shopgen.search.vectors`: in-process or pgvector); this module
embeds queries (remembering the last one and any primed batch) and asks the store for the nearest.
Embedding a static corpus is the slow part, so :func:`build_cached` keeps its matrix in a cache
directory under a key made of the embedding model and a hash of the texts: a second run over the
same corpus (an evaluation) does not embed again.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.search.base import Hit
from shopgen.search.vectors import VectorStore

BATCH = 64
# an FAQ's questions are short; passages (answers, policies, product facts) are longer
QUESTION_CHARS = 48


class DenseIndex:
    name = "dense"

    def __init__(self, store: VectorStore, embedder, queries_from: DenseIndex | None = None) -> None:
        """``queries_from``: another index over the same embedder whose query vectors this one
        reuses (a second set of vectors of the same documents: a query is embedded once)."""
        self.store, self.embedder = store, embedder
        self._last: tuple[str, np.ndarray] | None = None  # a query is often searched twice in a row
        self._primed: dict[str, np.ndarray] = {}
        self._queries_from = queries_from

    def prime(self, queries: Sequence[str]) -> None:
        """Embed many queries at once, in batches (an evaluation knows them all up front)."""
        if self._queries_from is not None:
            self._queries_from.prime(queries)
            return
        todo = [q for q in dict.fromkeys(queries) if q not in self._primed]
        for start in range(0, len(todo), BATCH):
            chunk = todo[start : start + BATCH]
            self._primed.update(zip(chunk, self.embedder.embed_queries(chunk)))

    def query_vector(self, query: str) -> np.ndarray:
        if self._queries_from is not None:
            return self._queries_from.query_vector(query)
        if query in self._primed:
            return self._primed[query]
        last = self._last
        if last is not None and last[0] == query:
            return last[1]
        vec = self.embedder.embed_queries([query])[0]
        self._last = (query, vec)
        return vec

    def search(self, query: str, k: int = 10) -> list[Hit]:
        return self.store.nearest(self.query_vector(query), k)


def matrix_index(ids: Sequence[str], matrix: np.ndarray, embedder) -> DenseIndex:
    """A dense index over vectors already computed, in memory."""
    from shopgen.search.inprocess import InProcessStore

    store = InProcessStore()
    store.upsert(list(ids), [""] * len(ids), matrix)
    if store.count() != len(ids):
        raise InvalidInput(f"{len(ids) - store.count()} repeated document ids in the corpus")
    return DenseIndex(store, embedder)


def corpus_key(embedder, texts: Sequence[str]) -> str:
    h = hashlib.sha256(embedder.model.encode())
    for t in texts:
        h.update(t.encode())
        h.update(b"\x00")
    return h.hexdigest()[:24]


def embed_corpus(embedder, texts: Sequence[str], progress: bool = False, as_queries: bool = False) -> np.ndarray:
    """Document vectors, in batches. ``as_queries`` embeds them as queries are (e5's ``query:``
    prefix on both sides), which e5's authors advise for symmetric matching such as a shopper's
    question against FAQ questions."""
    embed = embedder.embed_queries if as_queries else embedder.embed_passages
    rows = []
    for start in range(0, len(texts), BATCH):
        rows.append(embed(list(texts[start : start + BATCH])))
        if progress:
            print(f"\rembedding {min(start + BATCH, len(texts))}/{len(texts)}", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    dim = rows[0].shape[1] if rows else 0
    return np.vstack(rows) if rows else np.zeros((0, dim), dtype=np.float32)


def looks_like_questions(texts: Sequence[str], max_median: int = QUESTION_CHARS) -> bool:
    """Whether a corpus is short questions (an FAQ's question list), not passages: its median
    entry has at most ``max_median`` characters."""
    if not texts:
        return False
    lengths = sorted(len(t) for t in texts)
    return lengths[len(lengths) // 2] <= max_median


def build_cached(
    docs: Sequence[tuple[str, str]],
    embedder,
    cache_dir: Path | None,
    progress: bool = False,
    as_queries: bool = False,
) -> tuple[DenseIndex, dict]:
    """Build (or load from ``cache_dir``) the dense index. Returns it and how it was made."""
    ids, texts = [d[0] for d in docs], [d[1] for d in docs]
    key = corpus_key(embedder, texts) + ("-q" if as_queries else "")
    path = cache_dir / f"dense-{key}.npy" if cache_dir else None
    if path is not None and path.exists():
        return matrix_index(ids, np.load(path), embedder), {"cached": True, "key": key}
    import time

    start = time.perf_counter()
    matrix = embed_corpus(embedder, texts, progress, as_queries)
    seconds = time.perf_counter() - start
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, matrix)
        tmp.replace(path)
        path.with_suffix(".json").write_text(json.dumps({"model": embedder.model, "n": len(texts), "seconds": seconds}))
    return matrix_index(ids, matrix, embedder), {
        "cached": False,
        "key": key,
        "seconds": round(seconds, 1),
        "sentences_per_s": round(len(texts) / seconds, 1) if seconds else None,
    }
