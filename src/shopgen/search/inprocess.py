"""The embedded vector store: one float32 matrix, exact cosine by a matrix product.

Searching 69k 384-dimensional rows takes a few milliseconds on one core. The store persists
to one ``.npz`` file (ids, content hashes, matrix), written once at the end of each
:meth:`InProcessStore.batch` (or after each change made outside one), atomically.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.search.base import Hit, top_k
from shopgen.search.vectors import check_dim, vector_backends


class InProcessStore:
    name = "inprocess"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._ids: list[str] = []
        self._hashes: list[str] = []
        self._pos: dict[str, int] = {}
        self._buf = np.zeros((0, 0), dtype=np.float32)  # rows [0, n) are live; grows by doubling
        self._lock = threading.RLock()
        self._depth = 0  # nesting of batch(); the file is written when the outermost one ends
        self._dirty = False
        if path is not None and path.exists():
            with np.load(path) as z:
                self._ids, self._hashes = z["ids"].tolist(), z["hashes"].tolist()
                self._buf = z["matrix"].astype(np.float32, copy=False)
            self._pos = {d: i for i, d in enumerate(self._ids)}

    @property
    def matrix(self) -> np.ndarray:
        return self._buf[: len(self._ids)]

    @property
    def dim(self) -> int | None:
        return self._buf.shape[1] if self._ids else None

    def hashes(self) -> dict[str, str]:
        with self._lock:
            return dict(zip(self._ids, self._hashes))

    def count(self) -> int:
        return len(self._ids)

    def upsert(self, ids: Sequence[str], hashes: Sequence[str], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(ids) or len(hashes) != len(ids):
            raise InvalidInput(f"expected {len(ids)} ids, hashes and vector rows, got {vectors.shape[0]} rows")
        with self.batch():
            if self.dim is not None and vectors.shape[1] != self.dim:
                self._reset()  # vectors of another model cannot be compared with the new ones
            if self._buf.shape[1] != vectors.shape[1]:
                self._buf = np.zeros((0, vectors.shape[1]), dtype=np.float32)
            for doc_id, h, row in zip(ids, hashes, vectors):
                i = self._pos.get(doc_id)
                if i is None:
                    i = self._append(doc_id, h)
                else:
                    self._hashes[i] = h
                self._buf[i] = row
            self._dirty = True

    def _append(self, doc_id: str, h: str) -> int:
        i = len(self._ids)
        if i == self._buf.shape[0]:
            grown = np.zeros((max(64, 2 * i), self._buf.shape[1]), dtype=np.float32)
            grown[:i] = self._buf[:i]
            self._buf = grown
        self._ids.append(doc_id)
        self._hashes.append(h)
        self._pos[doc_id] = i
        return i

    def _reset(self) -> None:
        self._ids, self._hashes, self._pos = [], [], {}
        self._buf = np.zeros((0, 0), dtype=np.float32)

    def delete(self, ids: Sequence[str]) -> None:
        with self.batch():
            gone = {i for i in (self._pos.get(d) for d in ids) if i is not None}
            if not gone:
                return
            keep = [i for i in range(len(self._ids)) if i not in gone]
            self._buf = self._buf[keep]
            self._ids = [self._ids[i] for i in keep]
            self._hashes = [self._hashes[i] for i in keep]
            self._pos = {d: i for i, d in enumerate(self._ids)}
            self._dirty = True

    def nearest(self, vector: np.ndarray, k: int) -> list[Hit]:
        with self._lock:
            if not self._ids:
                return []
            v = check_dim(vector, self.dim)
            scores = self.matrix @ v
            return [Hit(self._ids[i], float(scores[i])) for i in top_k(scores, k)]

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self._lock:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._dirty:
                    self._save()

    def _save(self) -> None:
        self._dirty = False
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as f:
            np.savez(
                f, ids=np.array(self._ids, dtype=str), hashes=np.array(self._hashes, dtype=str), matrix=self.matrix
            )
        tmp.replace(self.path)


def store_path(cache_dir: Path, collection: str, model: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{collection}-{model}")
    return cache_dir / f"vectors-{slug}.npz"


@vector_backends.register("inprocess")
def _make(settings, *, db, cache_dir: Path | None, collection: str, model: str) -> InProcessStore:
    return InProcessStore(store_path(cache_dir, collection, model) if cache_dir else None)
