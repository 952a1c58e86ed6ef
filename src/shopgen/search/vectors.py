"""Where passage vectors live: the VectorStore protocol, its backends and incremental sync.

Two backends, chosen by ``SHOPGEN_VECTOR_BACKEND``:

- ``inprocess``: one float32 matrix in memory, exact cosine by a matrix product, persisted as a
  ``.npz`` file beside the database (:mod:`shopgen.search.inprocess`);
- ``pgvector``: a table in the shop's PostgreSQL with an HNSW index, shared by every service
  process (:mod:`shopgen.search.pgvector`);
- ``auto`` (the default) picks ``pgvector`` when the database is PostgreSQL with the ``vector``
  extension installed, else ``inprocess``. Asking for ``pgvector`` explicitly never falls back:
  without the extension the first search fails with an error naming ``CREATE EXTENSION vector``.

A store holds one *collection* (``kb``: the assistant's knowledge) for one embedding model. Each
row carries a content hash of (model, dimension, text), so :func:`sync` embeds only documents that
are new or changed, and a different model or dimension re-embeds everything.

>>> from shopgen.models.embed.fake import FakeEmbedder
>>> from shopgen.search.inprocess import InProcessStore
>>> store = InProcessStore()
>>> sync(store, [("a", "花呗怎么还款"), ("b", "发货要几天")], FakeEmbedder())
{'embedded': 2, 'deleted': 0, 'kept': 0}
>>> sync(store, [("a", "花呗怎么还款")], FakeEmbedder())
{'embedded': 0, 'deleted': 1, 'kept': 1}
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

import numpy as np

from shopgen.core.errors import ConfigError, InvalidInput
from shopgen.core.registry import Registry
from shopgen.search.base import Hit

BACKENDS = ("auto", "inprocess", "pgvector")
SYNC_BATCH = 256  # documents embedded and written per step; a crash loses at most one step

log = logging.getLogger(__name__)


class VectorStore(Protocol):
    """Unit-length passage vectors of one collection, searched by cosine similarity."""

    name: str

    def hashes(self) -> dict[str, str]:
        """Document id → content hash of every stored row."""
        ...

    def upsert(self, ids: Sequence[str], hashes: Sequence[str], vectors: np.ndarray) -> None:
        """Insert or replace rows. Rows of another dimension are dropped, not mixed."""
        ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def nearest(self, vector: np.ndarray, k: int) -> list[Hit]:
        """The ``k`` rows most similar to ``vector``, best first (score = cosine).
        Raises InvalidInput when the vector's dimension differs from the stored rows'."""
        ...

    def count(self) -> int: ...

    def batch(self) -> AbstractContextManager[None]:
        """A unit of work: other writers (threads, processes) wait until it ends."""
        ...


vector_backends: Registry[VectorStore] = Registry("vector store")


def content_hash(embedder, text: str) -> str:
    """What a stored vector was made from: the model, its dimension and the text."""
    h = hashlib.sha256(f"{embedder.model}\x00{embedder.dim}\x00".encode())
    h.update(text.encode())
    return h.hexdigest()[:32]


def sync(store: VectorStore, docs: Sequence[tuple[str, str]], embedder, progress: bool = False) -> dict:
    """Make ``store`` hold exactly ``docs`` (``(id, text)`` pairs) embedded by ``embedder``.

    Only new or changed documents are embedded; rows whose id is gone are deleted. Returns the
    counts. Raises InvalidInput on a repeated id.
    """
    from shopgen.search.dense import embed_corpus

    if docs and not embedder.dim:
        embedder.embed_queries(["dimension"])  # a remote model tells its dimension on its first answer
    wanted: dict[str, str] = {}
    for doc_id, text in docs:
        if doc_id in wanted:
            raise InvalidInput(f"document id {doc_id!r} appears twice")
        wanted[doc_id] = content_hash(embedder, text)
    with store.batch():
        have = store.hashes()
        stale = [i for i in have if i not in wanted]
        if stale:
            store.delete(stale)
        todo = [(i, t) for i, t in docs if have.get(i) != wanted[i]]
        for start in range(0, len(todo), SYNC_BATCH):
            chunk = todo[start : start + SYNC_BATCH]
            vectors = embed_corpus(embedder, [t for _, t in chunk], progress)
            store.upsert([i for i, _ in chunk], [wanted[i] for i, _ in chunk], vectors)
    return {"embedded": len(todo), "deleted": len(stale), "kept": len(docs) - len(todo)}


def check_dim(vector: np.ndarray, dim: int | None) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float32).reshape(-1)
    if dim is not None and v.shape[0] != dim:
        raise InvalidInput(f"the query vector has {v.shape[0]} dimensions; the index holds {dim}-dimensional vectors")
    return v


def resolve_backend(name: str, db) -> str:
    """``auto`` → ``pgvector`` on PostgreSQL with the extension installed, else ``inprocess``."""
    if name not in BACKENDS:
        raise ConfigError(f"unknown vector store backend '{name}'; valid: {', '.join(BACKENDS)}", {"name": name})
    if name != "auto":
        return name
    from shopgen.search import pgvector

    if db is not None and db.backend == "postgresql":
        if pgvector.installed(db):
            return "pgvector"
        log.warning("dense retrieval runs in-process: %s", pgvector.MISSING)
    return "inprocess"


def open_store(settings, db, cache_dir: Path | None, collection: str, model: str) -> VectorStore:
    """The store of ``collection`` for ``model`` on the backend ``settings.vector_backend`` selects."""
    from shopgen.search import inprocess, pgvector  # noqa: F401  (register the backends)

    name = resolve_backend(settings.vector_backend, db)
    return vector_backends.create(name, settings, db=db, cache_dir=cache_dir, collection=collection, model=model)


def store_opener(settings, db, cache_dir: Path | None, collection: str) -> Callable[[str], VectorStore]:
    """``open(model)`` for one collection: what the composition root hands to the knowledge index."""
    return lambda model: open_store(settings, db, cache_dir, collection, model)
