"""Fusing several retrievers' rankings into one.

- ``rrf``: reciprocal rank fusion (Cormack et al., 2009), ``score(d) = Σ_r w_r / (k + rank_r(d))``
  over the retrievers that returned ``d`` in their top ``depth``. It needs no score calibration.
- ``convex``: each retriever's scores over its own top ``depth`` are min-max scaled to [0, 1]
  (a document it did not return counts 0) and summed with weights ``w_r``. Unlike RRF it keeps
  how far apart the scores are, so a dense match much closer than the rest is not pulled level
  with BM25's lexical near-misses (Bruch et al., 2023, found it at least as good as RRF once the
  weight is set on a few queries).
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


def convex(rankings: Sequence[list[Hit]], weights: Sequence[float] | None = None) -> list[Hit]:
    weights = weights or [1.0 / len(rankings)] * len(rankings)
    fused: dict[str, float] = {}
    for ranking, w in zip(rankings, weights):
        if not ranking:
            continue
        hi, lo = ranking[0].score, min(h.score for h in ranking)
        span = hi - lo
        for hit in ranking:
            scaled = (hit.score - lo) / span if span > 0 else 1.0
            fused[hit.id] = fused.get(hit.id, 0.0) + w * scaled
    return [Hit(i, s) for i, s in sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))]


FUSIONS = ("rrf", "convex")
# the shipped hybrid: convex fusion, dense weighted 0.7 (benchmarks/retrieval_fusion.py, ATEC slice,
# chosen on the tuning half of the queries: MRR@10 0.251 against 0.236 for RRF over the same indexes)
DEFAULT_FUSION, DENSE_WEIGHT = "convex", 0.7


class HybridRetriever:
    name = "hybrid"

    def __init__(
        self,
        retrievers: Sequence[Retriever],
        *,
        depth: int = 100,
        k: int = 60,
        weights: Sequence[float] | None = None,
        fusion: str = "rrf",
    ) -> None:
        if fusion not in FUSIONS:
            raise ValueError(f"unknown fusion {fusion!r}; valid: {', '.join(FUSIONS)}")
        self.retrievers, self.depth, self.k, self.weights = list(retrievers), depth, k, weights
        self.fusion = fusion

    def search(self, query: str, k: int = 10) -> list[Hit]:
        rankings = [r.search(query, self.depth) for r in self.retrievers]
        if self.fusion == "convex":
            return convex(rankings, self.weights)[:k]
        return rrf(rankings, self.k, self.weights)[:k]


def default_hybrid(lexical: Retriever, dense: Retriever) -> HybridRetriever:
    """The hybrid every part of shopgen searches with, so an evaluation measures what ships."""
    return HybridRetriever([lexical, dense], weights=[1 - DENSE_WEIGHT, DENSE_WEIGHT], fusion=DEFAULT_FUSION)
