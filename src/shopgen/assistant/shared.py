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
catches up with all of it at once. When more than :data:`BACKGROUND_AFTER` products changed (an
import, a bulk edit) and the knowledge base did not, the new index is built in a background thread
(embedding thousands of products takes minutes on 2 cores) and turns go on with the old one until it
is ready; smaller changes and any knowledge-base change are in the very next turn.

The shop's synonyms (:mod:`shopgen.assistant.synonyms`) have their own fingerprint: when only they
changed, the index that is built keeps its documents and vectors and swaps its lexical search's
synonyms, so an operator's edit is in the next turn without rebuilding anything.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from shopgen.assistant import synonyms as shop_synonyms
from shopgen.assistant.index import KnowledgeIndex, load_docs
from shopgen.search.synonyms import Synonyms
from shopgen.search.vectors import VectorStore
from shopgen.store.models import CatalogImport, KBEntry, Product, Variant

log = logging.getLogger("shopgen.assistant")
IMPORT_QUIET = timedelta(seconds=60)  # an import silent this long (killed) no longer holds the index
BACKGROUND_AFTER = 100  # more changed products than this are embedded in the background


def fingerprint(s) -> tuple:
    """Changes whenever an entry or product is added, edited or deleted, or variants are
    replaced (variants carry no timestamp: their count and newest id stand in)."""
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
        self,
        db,
        embedder_factory,
        cache_dir: Path,
        vectors: Callable[[str], VectorStore] | None = None,
        synonyms: Synonyms | None = None,
    ) -> None:
        """``synonyms``: the configured file's (``SHOPGEN_KB_SYNONYMS``); the database's join them."""
        self.db, self._embedder, self._cache, self._vectors = db, embedder_factory, cache_dir, vectors
        self.configured_synonyms = synonyms
        self._index: KnowledgeIndex | None = None
        self._built_from: tuple | None = None
        self._lock = threading.Lock()
        self.builds = 0  # how many times the index was (re)built, for tests and the reindex answer
        self._background: threading.Thread | None = None
        self._starting = threading.Lock()

    def get(self) -> KnowledgeIndex:
        with self.db.session() as s:  # one short read a turn for both fingerprints
            current, words = fingerprint(s), shop_synonyms.fingerprint(s)
        index = self._knowledge(current)
        if index.synonyms_from != words:
            with self.db.session() as s:
                index.use_synonyms(shop_synonyms.merged(s, self.configured_synonyms), words)
        return index

    def _knowledge(self, current: tuple) -> KnowledgeIndex:
        if self._index is not None and current == self._built_from:
            return self._index
        if self._index is not None and self._built_from is not None:
            if importing(self.db):
                return self._index
            if current[0] == self._built_from[0] and self._many_changed(self._built_from):
                self._rebuild_in_background(current)
                return self._index
        with self._lock:
            if self._index is None or current != self._built_from:
                self._build(current)
            return self._index

    def _build(self, current: tuple) -> None:
        self._index = KnowledgeIndex(load_docs(self.db), self._embedder(), self._cache, self._vectors)
        self._built_from = current
        self.builds += 1

    def _many_changed(self, built_from: tuple) -> bool:
        """More than :data:`BACKGROUND_AFTER` products changed since the index was built (an import)."""
        since = built_from[1][1]  # the newest product then (None: there were none)
        changed = select(func.count()).select_from(Product)
        if since is not None:
            changed = changed.where(Product.updated_at > since)
        with self.db.session() as s:
            return (s.scalar(changed) or 0) > BACKGROUND_AFTER

    def _rebuild_in_background(self, current: tuple) -> None:
        """Embed a large catalog change in a thread while turns go on with the index they have."""
        with self._starting:
            if self._background is not None and self._background.is_alive():
                return
            builds = self.builds

            def run() -> None:
                try:
                    index = KnowledgeIndex(load_docs(self.db), self._embedder(), self._cache, self._vectors)
                    index.dense()  # embed the new products here, not in the turn that first searches
                except Exception:  # the turns keep the old index; the next one tries again
                    log.exception("rebuilding the knowledge index in the background failed")
                    return
                with self._lock:
                    if self.builds == builds:  # no newer index was built meanwhile
                        self._index, self._built_from = index, current
                        self.builds += 1

            self._background = threading.Thread(target=run, name="shopgen-reindex", daemon=True)
            self._background.start()

    def wait(self, timeout: float | None = None) -> None:
        """Until a background rebuild (if any) is done (tests, benchmarks)."""
        if self._background is not None:
            self._background.join(timeout)

    def invalidate(self) -> None:
        with self._lock:
            self._built_from = None
