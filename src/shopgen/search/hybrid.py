"""Reciprocal rank fusion of several retrievers (Cormack et al., 2009).

``score(d) = Σ_r w_r / (k + rank_r(d))`` over the retrievers that returned ``d`` in their
top ``depth``. RRF needs no score calibration, which matters here: e5 cosines sit in a
narrow band while BM25 scores are unbounded.
"""

from __future__ import annotations

from collections.abc import Sequence

from shopgen.search.base import Hit, Retriever


def rrf(rankings: Sequence[list[Hit]], k: int = 60, weights: Sequence[float] | None = None) -> list[Hit]:
    weights = weights or [1.0] * len(rankings)
    fused: dict[str, float] = {}
    for ranking, w in zip(rankings, weights):
        for rank, hit in enumerate(ranking, start=1):
            fused[hit.id] = fused.get(hit.id, 0.0) + w / (k + rank)
    return [Hit(i, s) for i, s in sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))]


class HybridRetriever:
    name = "hybrid"

    def __init__(
        self, retrievers: Sequence[Retriever], *, depth: int = 100, k: int = 60, weights: Sequence[float] | None = None
    ) -> None:
        self.retrievers, self.depth, self.k, self.weights = list(retrievers), depth, k, weights

    def search(self, query: str, k: int = 10) -> list[Hit]:
        rankings = [r.search(query, self.depth) for r in self.retrievers]
        return rrf(rankings, self.k, self.weights)[:k]
