"""One KnowledgeIndex per app, built on first use and rebuilt when the shop's knowledge changes.

Before each turn the caller asks ``get()``; it compares a cheap fingerprint of the knowledge
base and the catalog (row counts and the latest change of each, three aggregate queries)
with the one the index was built from, and rebuilds when they differ. ``invalidate()`` forces
a rebuild on the next use (``POST /api/assist/reindex``). The dense half is synced into a vector
store by content hash, so a rebuild only embeds what is new or changed; with pgvector the store is
shared, and the first process to see a change embeds it for all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from shopgen.assistant.index import KnowledgeIndex, load_docs
from shopgen.search.vectors import VectorStore
from shopgen.store.models import KBEntry, Product, Variant


def fingerprint(db) -> tuple:
    """Changes whenever an entry or product is added, edited or deleted, or variants are
    replaced (variants carry no timestamp: their count and newest id stand in)."""
    with db.session() as s:
        return (
            tuple(s.execute(select(func.count(), func.max(KBEntry.updated_at))).one()),
            tuple(s.execute(select(func.count(), func.max(Product.updated_at))).one()),
            tuple(s.execute(select(func.count(), func.max(Variant.id))).one()),
        )


class SharedIndex:
    """Thread-safe holder: concurrent first turns build the index once."""

    def __init__(
        self, db, embedder_factory, cache_dir: Path, vectors: Callable[[str], VectorStore] | None = None
    ) -> None:
        self.db, self._embedder, self._cache, self._vectors = db, embedder_factory, cache_dir, vectors
        self._index: KnowledgeIndex | None = None
        self._built_from: tuple | None = None
        self._lock = threading.Lock()
        self.builds = 0  # how many times the index was (re)built, for tests and the reindex answer

    def get(self) -> KnowledgeIndex:
        current = fingerprint(self.db)
        if self._index is not None and current == self._built_from:
            return self._index
        with self._lock:
            if self._index is None or current != self._built_from:
                self._index = KnowledgeIndex(load_docs(self.db), self._embedder(), self._cache, self._vectors)
                self._built_from = current
                self.builds += 1
            return self._index

    def invalidate(self) -> None:
        with self._lock:
            self._built_from = None
