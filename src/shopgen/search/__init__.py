"""Hybrid retrieval: BM25 over jieba tokens, dense over embeddings, rank fusion.

Every retriever takes a list of ``(id, text)`` documents and answers ``search(query, k)``
with ``Hit(id, score)`` lists, best first; :mod:`shopgen.search.hybrid` fuses them.
"""

from shopgen.search.base import Hit, Retriever

__all__ = ["Hit", "Retriever"]
