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

from collections.abc import Mapping, Sequence

from shopgen.search.base import Hit, Retriever
from shopgen.search.dense import looks_like_questions
from shopgen.search.rerank import RerankedRetriever, create_reranker


def rrf(rankings: Sequence[list[Hit]], k: int = 60, weights: Sequence[float] | None = None) -> list[Hit]:
    weights = weights or [1.0] * len(rankings)
    fused: dict[str, float] = {}
    for ranking, w in zip(rankings, weights):
        for rank, hit in enumerate(ranking, start=1):
            fused[hit.id] = fused.get(hit.id, 0.0) + w / (k + rank)
    return [Hit(i, s) for i, s in sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))]


def scaled(ranking: list[Hit]) -> dict[str, float]:
    """A ranking's scores min-max scaled to [0, 1] over the hits it returned."""
    if not ranking:
        return {}
    hi, lo = ranking[0].score, min(h.score for h in ranking)
    span = hi - lo
    return {h.id: (h.score - lo) / span if span > 0 else 1.0 for h in ranking}


def convex(rankings: Sequence[list[Hit]], weights: Sequence[float] | None = None) -> list[Hit]:
    return _convex([scaled(r) for r in rankings], weights)


def _convex(scaled_rankings: Sequence[dict[str, float]], weights: Sequence[float] | None = None) -> list[Hit]:
    weights = weights or [1.0 / len(scaled_rankings)] * len(scaled_rankings)
    fused: dict[str, float] = {}
    for ranking, w in zip(scaled_rankings, weights):
        for doc_id, s in ranking.items():
            fused[doc_id] = fused.get(doc_id, 0.0) + w * s
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
        return self.search_scaled(query, k)[0]

    def search_scaled(self, query: str, k: int = 10) -> tuple[list[Hit], list[dict[str, float]]]:
        """The fused top ``k`` and each retriever's scores over its own top ``depth``, min-max scaled
        (what a reranker reads beside the fused score)."""
        rankings = [r.search(query, self.depth) for r in self.retrievers]
        each = [scaled(r) for r in rankings]
        if self.fusion == "convex":
            return _convex(each, self.weights)[:k], each
        return rrf(rankings, self.k, self.weights)[:k], each


def default_hybrid(
    lexical: Retriever, dense: Retriever, texts: Mapping[str, str] | None = None, reranker: str = "linear"
) -> Retriever:
    """The hybrid every part of shopgen searches with, so an evaluation measures what ships. Given
    the documents' ``texts`` and a corpus of short questions (an FAQ's question list), the fused
    list is reranked (:mod:`shopgen.search.rerank`; ATEC slice, test half: MRR@10 0.251 → 0.258)."""
    fused = HybridRetriever([lexical, dense], weights=[1 - DENSE_WEIGHT, DENSE_WEIGHT], fusion=DEFAULT_FUSION)
    if texts is None or reranker == "none" or not looks_like_questions(list(texts.values())):
        return fused
    return RerankedRetriever(fused, texts, create_reranker(reranker))
