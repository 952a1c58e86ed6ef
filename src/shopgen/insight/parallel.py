"""Score large batches on several cores: a pool of worker processes, each holding the model.

Worth it only for big files or a long-running service: each worker loads the model (about a
second) once, then scores its share of every batch. Uses ``spawn`` so it is safe in threaded
processes; models that exist only in memory cannot be shared this way.
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

_MODEL = None


def _init(path: str) -> None:
    global _MODEL
    from shopgen.insight.model import LinearSentiment

    _MODEL = LinearSentiment.load(path)
    _MODEL.proba(["预热"])  # load jieba's dictionary now, not during the first batch


def _score(texts: list[str]) -> np.ndarray:
    return _MODEL.proba(texts)


class Pool:
    """``with Pool(path, workers=2) as pool: pool.proba(texts)``."""

    def __init__(self, path: str | Path, workers: int = 2, chunk: int = 500) -> None:
        self.chunk = chunk
        self._ex = ProcessPoolExecutor(
            workers, mp_context=mp.get_context("spawn"), initializer=_init, initargs=(str(path),)
        )
        list(self._ex.map(_score, [["预热"]] * workers))  # wait until every worker is loaded

    def proba(self, texts: list[str]) -> np.ndarray:
        parts = [texts[i : i + self.chunk] for i in range(0, len(texts), self.chunk)]
        return np.concatenate(list(self._ex.map(_score, parts))) if parts else np.zeros(0)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc) -> None:
        self._ex.shutdown()
