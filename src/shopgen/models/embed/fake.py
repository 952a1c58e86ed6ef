"""Deterministic hashed character-bigram vectors for unit tests; selected by name only."""

from __future__ import annotations

import zlib

import numpy as np

from shopgen.models.embed.base import check_texts, embed_backends, normalise


class FakeEmbedder:
    name = "fake"
    model = "fake-hash-bigram"
    dim = 64

    def _embed(self, texts) -> np.ndarray:
        items = check_texts(texts)
        out = np.zeros((len(items), self.dim), dtype=np.float32)
        for row, text in enumerate(items):
            padded = f"^{text}$"
            for a, b in zip(padded, padded[1:]):
                out[row, zlib.crc32((a + b).encode()) % self.dim] += 1.0
        return normalise(out) if items else out

    embed_queries = _embed
    embed_passages = _embed


@embed_backends.register("fake")
def _make(settings) -> FakeEmbedder:
    return FakeEmbedder()
