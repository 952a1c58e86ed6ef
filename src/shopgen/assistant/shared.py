"""One KnowledgeIndex per app, built on first use and rebuilt when the shop's knowledge changes.

Before each turn the caller asks ``get()``; it compares a cheap fingerprint of the knowledge
base and the catalog (row counts and the latest change of each, three aggregate queries)
with the one the index was built from, and rebuilds when they differ. ``invalidate()`` forces
a rebuild on the next use (``POST /api/assist/reindex``). The dense half is synced into a vector
store by content hash, so a rebuild only embeds what is new or changed; with pgvector the store is
shared, and the first process to see a change embeds it for all.

While a catalog import is writing (a ``running`` import with a heartbeat in the last
:data:`IMPORT_QUIET`), the index that is built keeps serving: every batch would otherwise make the
next turn rebuild and embed what the batch wrote, over and over. The first turn after the import
catches up with all of it at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from shopgen.assistant.index import KnowledgeIndex, load_docs
from shopgen.search.vectors import VectorStore
from shopgen.store.models import CatalogImport, KBEntry, Product, Variant

IMPORT_QUIET = timedelta(seconds=60)  # an import silent this long (killed) no longer holds the index


def fingerprint(db) -> tuple:
    """Changes whenever an entry or product is added, edited or deleted, or variants are
    replaced (variants carry no timestamp: their count and newest id stand in)."""
    with db.session() as s:
        return (
            tuple(s.execute(select(func.count(), func.max(KBEntry.updated_at))).one()),
            tuple(s.execute(select(func.count(), func.max(Product.updated_at))).one()),
            tuple(s.execute(select(func.count(), func.max(Variant.id))).one()),
        )


def importing(db, now: datetime | None = None) -> bool:
    """Is a catalog import writing now (a running one with a recent heartbeat)?"""
    since = (now or datetime.now(UTC)) - IMPORT_QUIET
    with db.session() as s:
        beats = s.scalars(select(CatalogImport.updated_at).where(CatalogImport.status == "running")).all()
    return any((b.replace(tzinfo=UTC) if b.tzinfo is None else b) >= since for b in beats)


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
        if self._index is not None and self._built_from is not None and importing(self.db):
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
