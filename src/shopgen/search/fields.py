"""Field weighting for entries with a question (or title) and an answer (or passage).

A knowledge base is question + answer pairs, and policies with a title and a passage. Indexed as
one text, a long answer's words crowd out its question's, and e5 has to embed a shopper's short
question against a passage. Here each entry is indexed twice, per method:

- the question alone: BM25 over its words, and e5 with the question embedded *as a query*
  (question-to-question matching, which e5's authors advise and which raised MRR@10 on the ATEC
  questions: :func:`shopgen.search.dense.embed_corpus`);
- the whole entry (question + answer): BM25, and e5 embedded as a passage,

and the four rankings are fused (convex: min-max scaled scores, weighted). ``question_weight``
is the question field's share within each method; the dense methods together keep
:data:`~shopgen.search.hybrid.DENSE_WEIGHT`. 0 is the single text, 1 the question alone.

Measured on the demo knowledge base with 173 judged policy questions (benchmarks/kb_fields.py,
BENCHMARKS.md), every weight above 0 was as good or worse: the demo's answers carry the words
shoppers ask with. So the knowledge index keeps one text, and this is offered where answers may
not (agents' replies, 「亲，已为您处理」): ``shopgen assist eval --question-weight W`` measures it
on a shop's own question + answer corpus.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopgen.search.base import Retriever
from shopgen.search.hybrid import DENSE_WEIGHT, HybridRetriever

# the question field's share within BM25 and within e5: none (benchmarks/kb_fields.py)
QUESTION_WEIGHT = 0.0


def full_text(title: str, body: str) -> str:
    return f"{title} {body}".strip()


@dataclass
class FieldIndexes:
    """The four retrievers over one corpus: BM25 and e5, on the question and on the whole entry."""

    bm25_full: Retriever
    bm25_question: Retriever
    dense_full: Retriever
    dense_question: Retriever


def fielded_retriever(
    ix: FieldIndexes, question_weight: float = QUESTION_WEIGHT, dense_weight: float = DENSE_WEIGHT
) -> HybridRetriever:
    """Convex fusion of the four rankings; a retriever whose weight is 0 is not searched."""
    if not 0.0 <= question_weight <= 1.0:
        raise ValueError(f"question_weight must be within 0..1, not {question_weight}")
    parts = [
        (ix.bm25_full, (1 - dense_weight) * (1 - question_weight)),
        (ix.bm25_question, (1 - dense_weight) * question_weight),
        (ix.dense_full, dense_weight * (1 - question_weight)),
        (ix.dense_question, dense_weight * question_weight),
    ]
    parts = [(r, w) for r, w in parts if w > 0]
    fused = HybridRetriever([r for r, _ in parts], weights=[w for _, w in parts], fusion="convex")
    fused.name = "fielded"
    return fused


def build_indexes(
    docs, embedder, cache_dir=None, progress: bool = False, queries_from=None
) -> tuple[FieldIndexes, dict]:
    """The four retrievers over ``docs`` (``(id, title, body)`` triples), dense matrices cached in
    ``cache_dir`` by content (:func:`shopgen.search.dense.build_cached`). A query is embedded once
    for both dense fields, or taken from ``queries_from`` (another dense index over the same
    embedder, whose queries an evaluation primed). Returns them and how the dense halves were made."""
    from shopgen.search.bm25 import BM25Index
    from shopgen.search.dense import DenseIndex, build_cached

    full = [(i, full_text(t, b)) for i, t, b in docs]
    questions = [(i, t) for i, t, _ in docs]
    dense_full, info_full = build_cached(full, embedder, cache_dir, progress)
    dense_q, info_q = build_cached(questions, embedder, cache_dir, progress, as_queries=True)
    if queries_from is not None:
        dense_full = DenseIndex(dense_full.store, embedder, queries_from=queries_from)
    dense_q = DenseIndex(dense_q.store, embedder, queries_from=queries_from or dense_full)
    ix = FieldIndexes(BM25Index.build(full), BM25Index.build(questions), dense_full, dense_q)
    return ix, {"full": info_full, "question": info_q}
