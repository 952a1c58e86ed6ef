"""Suggestions that learn from the labels people give, as they give them.

A task's labels may be the model's (intent, sentiment) or the shop's own (a narrowed or renamed
set the shipped model knows nothing of); either way the texts are the shop's. Once a task has
:data:`LEARN_FROM` labels, and again every :data:`RELEARN_EVERY` more, the queue fits a
nearest-centroid classifier on the latest :data:`LEARN_MAX` of them (the shared text features,
tf-idf, one unit centroid per label: numpy only; about two seconds for 1,000 labels on a loaded
core, most of it extracting features) and blends it with the model's suggestion:

    p = (1 − w) · p_model + w · p_learned

``p_model`` is the model's (label, confidence) spread as a distribution (the rest of the mass
shared by the other labels; uniform when the model has no suggestion in the task's set), and
``p_learned`` a softmax over the cosine to each label's centroid. ``w`` is chosen on the labels
given so far (:func:`choose_weight`): the suggestion each labelled item was shown against the
centroids' out-of-fold guesses. Where the model already suggests well (the shop's intents, in
its own label set) ``w`` stays low; where it cannot (the shop's own labels) the centroids take
over. Measured in benchmarks/labelling_learn.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from shopgen.text.features import featurize
from shopgen.text.vectorize import build_vocab, tfidf_rows

LEARN_FROM = 20  # labels before the first fit
RELEARN_EVERY = 25  # labels between fits
LEARN_MAX = 1000  # the most recent labels a fit uses (3,000 had taken 10 s in one request)
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)  # the learned part's share, chosen on the labels given
FOLDS = 5
TEMPERATURE = 0.1  # of the softmax over cosines (set, not tuned: the share w is what is chosen)


@dataclass
class Centroids:
    labels: tuple[str, ...]
    vocab: dict[str, int]
    idf: np.ndarray
    matrix: np.ndarray  # (features, labels), unit columns; a label with no example is all zero
    n: int  # the examples it was fitted on
    weight: float = 1.0  # its share in :func:`blend`

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        gold: Sequence[str],
        labels: Sequence[str],
        feats: Sequence[list[str]] | None = None,
    ) -> Centroids:
        """Centroids of ``labels`` from labelled texts (a text whose label is not in ``labels`` is
        left out); ``feats``: the texts' features when already extracted."""
        index = {lb: i for i, lb in enumerate(labels)}
        feats = feats if feats is not None else [featurize(t) for t in texts]
        kept = [(f, index[g]) for f, g in zip(feats, gold, strict=True) if g in index]
        feats, ys = [f for f, _ in kept], [y for _, y in kept]
        vocab, idf = build_vocab(feats, 1)
        matrix = np.zeros((max(len(vocab), 1), len(labels)), np.float32)
        if kept:
            rows = tfidf_rows(feats, vocab, idf)
            owner = np.repeat(np.array(ys), np.diff(rows.indptr))
            np.add.at(matrix, (rows.indices, owner), rows.values)
            norms = np.linalg.norm(matrix, axis=0)
            matrix /= np.where(norms > 0, norms, 1.0)
        return cls(tuple(labels), vocab, idf, matrix, len(kept))

    def proba(self, texts: Sequence[str], feats: Sequence[list[str]] | None = None) -> np.ndarray:
        """(texts, labels): a softmax over the cosine to each centroid; a label nobody has given
        yet keeps cosine 0. ``feats``: the texts' features when already extracted."""
        if not texts:
            return np.zeros((0, len(self.labels)), np.float32)
        feats = feats if feats is not None else [featurize(t) for t in texts]
        cos = tfidf_rows(list(feats), self.vocab, self.idf).dot(self.matrix)
        z = cos / TEMPERATURE
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)


def as_distribution(label: str | None, confidence: float, labels: Sequence[str]) -> np.ndarray:
    """A model's (label, confidence) as a distribution over ``labels``."""
    k = len(labels)
    if label not in labels or k < 2:
        return np.full(k, 1.0 / max(k, 1))
    p = np.full(k, (1.0 - confidence) / (k - 1))
    p[list(labels).index(label)] = confidence
    return p


def choose_weight(
    texts: Sequence[str],
    gold: Sequence[str],
    shown: Sequence[tuple[str | None, float]],
    labels: Sequence[str],
    feats: Sequence[list[str]] | None = None,
) -> float:
    """The share of the centroids (from :data:`WEIGHTS`) whose blend with the suggestions people
    were ``shown`` best predicts the labels they gave, the centroids' part predicted out of fold
    (``FOLDS`` interleaved folds, one per label below that). Ties go to the smaller share."""
    n = len(texts)
    folds = min(FOLDS, n)
    if folds < 2:
        return 0.0
    model = np.vstack([as_distribution(lb, c, labels) for lb, c in shown])
    feats = feats if feats is not None else [featurize(t) for t in texts]
    oof = np.zeros((n, len(labels)))
    for k in range(folds):
        held = np.arange(k, n, folds)
        keep = np.setdiff1d(np.arange(n), held)
        part = Centroids.fit([texts[i] for i in keep], [gold[i] for i in keep], labels, [feats[i] for i in keep])
        oof[held] = part.proba([texts[i] for i in held], [feats[i] for i in held])
    y = np.array([list(labels).index(g) if g in labels else -1 for g in gold])
    scores = {w: float(np.mean(((1 - w) * model + w * oof).argmax(axis=1) == y)) for w in WEIGHTS}
    return max(WEIGHTS, key=lambda w: (scores[w], -w))


def blend(
    suggested: Sequence[tuple[str | None, float]], learned: Centroids, texts: Sequence[str]
) -> list[tuple[str, float]]:
    """The model's suggestions for ``texts`` mixed with the learned centroids' (``learned.weight``;
    at 0 the model's, as they were: no suggestion stays none)."""
    labels, w = learned.labels, learned.weight
    if w == 0:
        return list(suggested)
    p_learned = learned.proba(texts)
    out = []
    for (label, conf), row in zip(suggested, p_learned, strict=True):
        p = (1 - w) * as_distribution(label, conf, labels) + w * row
        best = int(p.argmax())
        out.append((labels[best], round(float(p[best]), 4)))
    return out
