"""Reranking a fused candidate list with a small learned model over match features.

No Chinese cross-encoder ships in any package (ARCHITECTURE.md), so the reranker that runs on the
CPU here is linear: for each of the hybrid's top ``pool`` candidates it reads how the two
retrievers scored it (min-max scaled, as convex fusion does), its fused score and rank, and how
the query and the candidate's text match as character strings (shared character pairs from either
side, shared characters, the longest common run, length ratio, which question words and negations
each has). Fused scores say "close in meaning"; the string features tell apart near neighbours that
ask something else (多少 against 什么时候, 能 against 不能).

It is trained for question-to-question matching, an FAQ's question list searched with a shopper's
question, and :func:`shopgen.search.hybrid.default_hybrid` applies it only to such corpora.
``benchmarks/rerank_train.py`` fits the shipped weights on the tuning half of an ATEC slice and
reports the other half (MRR@10 0.251 → 0.258). Every weight is held to its sign: agreement never
counts against a candidate, a mismatch never for it. Unconstrained, the fit scored 0.268 by
learning to push down candidates that repeat the query word for word, which ATEC leaves unjudged
(one paraphrase is judged per query); a shop's FAQ would not reward that. A model file is JSON:
feature names, weights, bias and how it was made.

Backends are looked up by name (:data:`RERANKERS`): ``linear`` (the shipped model, or a file) and
``none``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from shopgen.core.errors import ConfigError
from shopgen.core.registry import Registry
from shopgen.search.base import Hit

DEFAULT_MODEL = Path(__file__).parent / "data" / "rerank-zh-questions.json"
POOL = 30  # candidates reranked; recall@30 of the fusion on the ATEC slice is 0.74
LCS_CHARS = 100  # the longest-common-run feature reads at most this much of each side

FEATURES = (
    "fused",
    "lexical",
    "dense",
    "inverse_rank",
    "pair_jaccard",
    "pair_query_share",
    "pair_doc_share",
    "char_query_share",
    "length_ratio",
    "run_query_share",
    "run_doc_share",
    "question_word_mismatch",
    "negation_mismatch",
)
# generic Chinese question words: a candidate asking "how much" is not one asking "when"
QUESTION_WORDS = (
    "怎么",
    "怎样",
    "如何",
    "为什么",
    "为啥",
    "多少",
    "多久",
    "什么时候",
    "几号",
    "几天",
    "哪",
    "能不能",
    "可不可以",
    "可以",
    "是否",
    "吗",
)
NEGATIONS = "不没无未别"
_NOISE = re.compile(r"[\s\*，。？！、,.?!：:；;“”\"'（）()\[\]【】]+")


@dataclass(frozen=True)
class Candidate:
    """One fused hit with what the reranker reads: its text and each retriever's scaled score."""

    id: str
    text: str
    fused: float
    rank: int
    scaled: tuple[float, ...]  # per retriever, in the hybrid's order (0 when it did not return it)


class Reranker(Protocol):
    name: str

    def rerank(self, query: str, candidates: Sequence[Candidate]) -> list[float]:
        """A score per candidate, higher is better."""
        ...


def _clean(text: str) -> str:
    return _NOISE.sub("", text)


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def _longest_run(a: str, b: str) -> int:
    """Length of the longest common substring (dynamic programming over the two strings)."""
    a, b = a[:LCS_CHARS], b[:LCS_CHARS]
    best, prev = 0, [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, start=1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best = cur[j]
        prev = cur
    return best


def features(query: str, candidates: Sequence[Candidate], runs: bool = True) -> np.ndarray:
    """One row of :data:`FEATURES` per candidate. ``runs=False`` leaves the two longest-common-run
    features at 0 (the costliest to compute; a model that gives them no weight skips them)."""
    q = _clean(query)
    qp, qc = _pairs(q), set(q)
    q_words = {w for w in QUESTION_WORDS if w in q}
    q_neg = sum(c in q for c in NEGATIONS)
    top = max((c.fused for c in candidates), default=0.0)
    rows = []
    for c in candidates:
        d = _clean(c.text)
        dp = _pairs(d)
        shared = len(qp & dp)
        run = _longest_run(q, d) if runs else 0
        lexical, dense = (tuple(c.scaled) + (0.0, 0.0))[:2]
        rows.append(
            [
                c.fused / top if top > 0 else 0.0,
                lexical,
                dense,
                1.0 / c.rank,
                shared / max(1, len(qp | dp)),
                shared / max(1, len(qp)),
                shared / max(1, len(dp)),
                len(qc & set(d)) / max(1, len(qc)),
                min(len(q), len(d)) / max(1, len(q), len(d)),
                run / max(1, len(q)),
                run / max(1, len(d)),
                float(len(q_words ^ {w for w in QUESTION_WORDS if w in d})),
                float(q_neg != sum(ch in d for ch in NEGATIONS)),
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


@dataclass
class LinearReranker:
    """``score = features · weights + bias`` (the weights already include the feature scaling)."""

    weights: np.ndarray
    bias: float = 0.0
    meta: dict = field(default_factory=dict)
    name: str = "linear"

    def rerank(self, query: str, candidates: Sequence[Candidate]) -> list[float]:
        if not candidates:
            return []
        runs = bool(self.weights[[FEATURES.index("run_query_share"), FEATURES.index("run_doc_share")]].any())
        return (features(query, candidates, runs) @ self.weights + self.bias).tolist()

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        body = {"features": list(FEATURES), "weights": [round(float(w), 6) for w in self.weights]}
        body |= {"bias": round(float(self.bias), 6), "meta": self.meta}
        path.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path | None = None) -> LinearReranker:
        path = Path(path) if path else DEFAULT_MODEL
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read the reranker {path}: {exc}") from exc
        if body.get("features") != list(FEATURES):
            raise ConfigError(f"the reranker {path} was made for other features: {body.get('features')}")
        return cls(np.asarray(body["weights"], dtype=np.float64), float(body["bias"]), body.get("meta", {}))


class NoReranker:
    """Keeps the fused order."""

    name = "none"

    def rerank(self, query: str, candidates: Sequence[Candidate]) -> list[float]:
        return [-float(c.rank) for c in candidates]


RERANKERS: Registry[Reranker] = Registry("reranker")
RERANKERS.register("linear")(LinearReranker.load)
RERANKERS.register("none")(NoReranker)


def create_reranker(name: str) -> Reranker:
    """Raises ConfigError naming the valid rerankers for an unknown one."""
    return RERANKERS.create(name)


class RerankedRetriever:
    """A hybrid retriever whose top ``pool`` fused hits are put in the reranker's order."""

    name = "hybrid"

    def __init__(self, hybrid, texts: Mapping[str, str], reranker: Reranker, pool: int = POOL) -> None:
        self.hybrid, self.texts, self.reranker, self.pool = hybrid, texts, reranker, pool

    def candidates(self, query: str) -> list[Candidate]:
        fused, scaled = self.hybrid.search_scaled(query, self.pool)
        return [
            Candidate(h.id, self.texts.get(h.id, ""), h.score, rank, tuple(s.get(h.id, 0.0) for s in scaled))
            for rank, h in enumerate(fused, start=1)
        ]

    def search(self, query: str, k: int = 10) -> list[Hit]:
        found = self.candidates(query)
        scores = self.reranker.rerank(query, found)
        order = sorted(range(len(found)), key=lambda i: (-scores[i], i))
        return [Hit(found[i].id, float(scores[i])) for i in order[:k]]
