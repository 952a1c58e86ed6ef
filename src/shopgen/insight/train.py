"""Fit a :class:`~shopgen.insight.model.LinearSentiment` on labelled texts.

Vocabulary: every feature seen in at least ``min_df`` training texts. Weights: logistic regression
(scikit-learn, liblinear) on sublinear-tf × idf rows, L2-normalised; optionally NB log-count-ratio
scaling (NBSVM, Wang & Manning 2012), folded into the weights so the shipped model stays one linear
layer. Features whose weight rounds to zero are dropped to keep the file small.
"""

from __future__ import annotations

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.core.lazy import require
from shopgen.insight.model import LABELS, LinearSentiment
from shopgen.models.textclf import LinearTextClassifier
from shopgen.text.features import featurize
from shopgen.text.vectorize import build_vocab, tfidf_rows


def nb_ratio(x, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """log((p / |p|₁) / (q / |q|₁)) over binarised features."""
    xb = x.copy()
    xb.data[:] = 1.0
    p = np.asarray(xb[y == 1].sum(axis=0)).ravel() + alpha
    q = np.asarray(xb[y == 0].sum(axis=0)).ravel() + alpha
    return np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)


def fit(
    texts: list[str],
    labels: list[int],
    *,
    c: float = 4.0,
    min_df: int = 2,
    nb: bool = True,
    prune: float = 1e-3,
    meta: dict | None = None,
) -> LinearSentiment:
    """Train on ``texts`` with ``labels`` (1 positive, 0 negative). Raises InvalidInput on bad data."""
    y = np.asarray(labels, np.int32)
    if len(texts) != len(y) or len(set(y.tolist())) != 2:
        raise InvalidInput("training needs texts with both labels 0 and 1")
    lm = require("sklearn.linear_model", "insight")
    feats = [featurize(t) for t in texts]
    vocab, idf = build_vocab(feats, min_df)
    x = tfidf_rows(feats, vocab, idf).to_csr(len(vocab))
    r = nb_ratio(x, y) if nb else np.ones(len(vocab), np.float32)
    clf = lm.LogisticRegression(C=c, solver="liblinear", max_iter=1000)
    clf.fit(x.multiply(r).tocsr(), y)
    coef = clf.coef_.ravel().astype(np.float32) * r
    keep = np.flatnonzero(np.abs(coef) * idf > prune)
    terms = sorted(vocab, key=vocab.__getitem__)
    meta = {"script": "shopgen insight train", **(meta or {}), "features": "zh-words", "n_features": len(keep)}
    return LinearSentiment(
        LinearTextClassifier(
            LABELS,
            {terms[i]: j for j, i in enumerate(keep)},
            idf[keep],
            coef[keep, None],
            np.array([clf.intercept_[0]], np.float32),
            meta,
        )
    )
