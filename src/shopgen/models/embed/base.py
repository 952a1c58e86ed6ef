"""The Embedder protocol: texts in, L2-normalised float32 rows out.

Queries and passages are embedded differently (e5 prefixes ``query:`` / ``passage:``),
so the protocol keeps the two apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.core.registry import Registry


class Embedder(Protocol):
    name: str
    model: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


embed_backends: Registry[Embedder] = Registry("embedding")


def check_texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise InvalidInput("expected a list of texts, got one string")
    out = list(texts)
    for i, t in enumerate(out):
        if not isinstance(t, str) or not t.strip():
            raise InvalidInput(f"text {i} is empty")
    return out


def normalise(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    if rows.ndim == 1:
        rows = rows[None, :]
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)


def cosine_matrix(vectors: np.ndarray) -> np.ndarray:
    v = normalise(vectors)
    return v @ v.T
