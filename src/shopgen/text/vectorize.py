"""Sublinear-tf × idf rows of feature strings, as flat CSR arrays, and their product with a weight
matrix: the feature side of :class:`shopgen.models.textclf.LinearTextClassifier` (sentiment, the
assistant's intent, the live intent), so every linear text model weighs features the same way at
training and at prediction time.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np


@dataclass
class Sparse:
    """Rows of a sparse matrix as flat arrays (CSR without scipy)."""

    indices: np.ndarray
    values: np.ndarray
    indptr: np.ndarray

    def to_csr(self, n_cols: int):
        from scipy.sparse import csr_matrix

        return csr_matrix((self.values, self.indices, self.indptr), shape=(len(self.indptr) - 1, n_cols))

    @property
    def empty(self) -> np.ndarray:
        """Rows with no known feature."""
        return np.diff(self.indptr) == 0

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """``rows @ weights`` for ``weights`` of shape (features, k): shape (rows, k), 0 for empty rows."""
        k = weights.shape[1]
        contrib = weights[self.indices].astype(np.float32, copy=False) * self.values[:, None]
        # a zero row past the end, so every row start (an empty last row's included) is a valid index
        contrib = np.vstack([contrib, np.zeros((1, k), np.float32)])
        out = np.add.reduceat(contrib, self.indptr[:-1], axis=0) if len(self.indptr) > 1 else np.zeros((0, k))
        out[self.empty] = 0.0
        return out.astype(np.float32, copy=False)


def tfidf_rows(feats: list[list[str]], vocab: dict[str, int], idf: np.ndarray) -> Sparse:
    """Sublinear-tf × idf rows of already extracted features, L2-normalised. Per text only the
    vocabulary lookups run in Python; counting and weighting run once over the batch in numpy."""
    get = vocab.get
    found: list[int] = []
    lengths = np.zeros(len(feats), np.int64)
    for n, fs in enumerate(feats):
        hits = [i for i in map(get, fs) if i is not None]
        found.extend(hits)
        lengths[n] = len(hits)
    size = max(len(vocab), 1)
    keys = np.repeat(np.arange(len(feats), dtype=np.int64), lengths) * size + np.asarray(found, np.int64)
    keys, counts = np.unique(keys, return_counts=True)
    rows, idx = np.divmod(keys, size)
    ptr = np.searchsorted(rows, np.arange(len(feats) + 1)).astype(np.int64)
    val = (1.0 + np.log(counts.astype(np.float32))) * idf[idx]
    if len(val):
        sq = np.add.reduceat(np.append(val * val, 0.0), ptr[:-1])
        sq[np.diff(ptr) == 0] = 1.0
        val = val / np.repeat(np.sqrt(sq), np.diff(ptr))
    return Sparse(idx.astype(np.int32), val.astype(np.float32), ptr)


def build_vocab(feats: list[list[str]], min_df: int) -> tuple[dict[str, int], np.ndarray]:
    df: Counter[str] = Counter()
    for fs in feats:
        df.update(set(fs))
    terms = sorted(t for t, c in df.items() if c >= min_df)
    n = len(feats)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], np.float32)
    return {t: i for i, t in enumerate(terms)}, idf
