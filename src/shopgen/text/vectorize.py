"""Sublinear-tf × idf rows over :func:`shopgen.text.features.featurize`, as flat CSR arrays.

Shared by the linear text models (sentiment in ``insight``, intent in ``assistant``) so they
see features the same way at training and at prediction time.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from shopgen.text.features import featurize


@dataclass
class Sparse:
    """Rows of a sparse matrix as flat arrays (CSR without scipy)."""

    indices: np.ndarray
    values: np.ndarray
    indptr: np.ndarray

    def to_csr(self, n_cols: int):
        from scipy.sparse import csr_matrix

        return csr_matrix((self.values, self.indices, self.indptr), shape=(len(self.indptr) - 1, n_cols))


def tfidf_rows(texts: list[str], vocab: dict[str, int], idf: np.ndarray) -> Sparse:
    """Sublinear-tf × idf rows of ``texts`` (their :func:`featurize` features), L2-normalised."""
    return tfidf_feature_rows([featurize(t) for t in texts], vocab, idf)


def tfidf_feature_rows(feats: list[list[str]], vocab: dict[str, int], idf: np.ndarray) -> Sparse:
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
