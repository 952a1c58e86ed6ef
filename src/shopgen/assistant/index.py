"""The assistant's search index over the shop's own knowledge: FAQ, policies and the catalog.

Documents come from the database each time the index is (re)built. The dense half lives in a
vector store (``SHOPGEN_VECTOR_BACKEND``: a file beside the database, or pgvector in the shop's
PostgreSQL, shared by every service process) synced by content hash: a rebuild embeds only the
entries that are new or changed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from shopgen.search.bm25 import BM25Index
from shopgen.search.dense import DenseIndex
from shopgen.search.hybrid import default_hybrid
from shopgen.search.inprocess import InProcessStore, store_path
from shopgen.search.synonyms import Synonyms, with_synonyms
from shopgen.search.vectors import VectorStore, sync
from shopgen.store import catalog
from shopgen.store.models import KBEntry

METHODS = ("bm25", "dense", "hybrid")
COLLECTION = "kb"  # the knowledge index's vectors in a shared store


@dataclass
class Doc:
    id: str  # "faq:12", "policy:3", "product:FZ-1001"
    kind: str
    title: str
    text: str  # what is indexed
    body: str  # what an answer quotes: the FAQ answer, the policy passage, the product facts


def _product_text(p: dict) -> str:
    attrs = "；".join(f"{k}：{v}" for k, v in p["attributes"].items())
    sizes = sorted({v["size"] for v in p["variants"] if v["size"]})
    colors = sorted({v["color"] for v in p["variants"] if v["color"]})
    parts = [
        p["title"],
        f"品牌：{p['brand']}" if p["brand"] else "",
        f"售价：{p['price']}元",
        attrs,
        f"颜色：{'、'.join(colors)}" if colors else "",
        f"尺码：{'、'.join(sizes)}" if sizes else "",
    ]
    return "；".join(x for x in parts if x)


def load_docs(db) -> list[Doc]:
    with db.session() as s:
        docs = [
            Doc(f"{e.kind}:{e.id}", e.kind, e.question, f"{e.question} {e.answer}", e.answer)
            for e in s.scalars(select(KBEntry).order_by(KBEntry.id))
        ]
        items, _ = catalog.list_products(s, limit=100_000)
        for p in items:
            if p.status == "active":
                text = _product_text(catalog.to_dict(p))
                docs.append(Doc(f"product:{p.sku}", "product", p.title, text, text))
    return docs


class KnowledgeIndex:
    """BM25 built in memory, dense through a vector store.

    ``vectors(model)`` opens the store (the composition root passes
    ``shopgen.search.vectors.store_opener``); by default an in-process store persisted in ``cache_dir``.
    ``synonyms``: the shop's own (:mod:`shopgen.assistant.synonyms`), added to each query's lexical
    search; :meth:`use_synonyms` swaps them in a built index.
    """

    def __init__(
        self,
        docs: list[Doc],
        embedder,
        cache_dir,
        vectors: Callable[[str], VectorStore] | None = None,
        synonyms: Synonyms | None = None,
    ) -> None:
        self.docs = {d.id: d for d in docs}
        pairs = [(d.id, d.text) for d in docs]
        self._lexical = BM25Index.build(pairs)
        self.bm25 = with_synonyms(self._lexical, synonyms)
        self.synonyms_from: tuple | None = None  # the synonyms' fingerprint (SharedIndex)
        self._pairs, self.embedder, self._cache = pairs, embedder, cache_dir
        self._vectors = vectors or self._local_store
        self._dense: DenseIndex | None = None
        self._lock = threading.Lock()
        self.synced: dict | None = None  # what the last sync embedded, kept and deleted

    @property
    def vocabulary(self) -> dict[str, int]:
        """The terms the shop's entries hold (the lexical index's, without synonyms)."""
        return self._lexical.vocab

    def use_synonyms(self, synonyms: Synonyms | None, fingerprint: tuple | None = None) -> None:
        """Search with these synonyms from now on (one attribute swap: a search under way keeps
        the ones it started with)."""
        self.bm25 = with_synonyms(self._lexical, synonyms)
        self.synonyms_from = fingerprint

    def _local_store(self, model: str) -> InProcessStore:
        return InProcessStore(store_path(self._cache, COLLECTION, model) if self._cache else None)

    def dense(self) -> DenseIndex:
        with self._lock:
            if self._dense is None:
                store = self._vectors(self.embedder.model)
                self.synced = sync(store, self._pairs, self.embedder)
                self._dense = DenseIndex(store, self.embedder)
            return self._dense

    def retriever(self, method: str, synonyms: bool = True):
        """``synonyms=False``: the lexical half without the shop's synonyms (the studio's preview)."""
        lexical = self.bm25 if synonyms else self._lexical
        if method == "bm25":
            return lexical
        if method == "dense":
            return self.dense()
        return default_hybrid(lexical, self.dense())

    def search(self, query: str, method: str = "hybrid", k: int = 5, synonyms: bool = True) -> list[dict]:
        # a shared store may already hold entries another process added after this index was built
        hits = [h for h in self.retriever(method, synonyms).search(query, k) if h.id in self.docs]
        return [
            {
                "id": h.id,
                "kind": self.docs[h.id].kind,
                "title": self.docs[h.id].title,
                "text": self.docs[h.id].text,
                "score": round(h.score, 4),
            }
            for h in hits
        ]
