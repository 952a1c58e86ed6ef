"""A linear classifier over sparse text features, stored as plain arrays.

``logits = x · W + b`` where ``x`` is the L2-normalised sublinear-tf × idf row of the text's feature
strings (:mod:`shopgen.text.vectorize`) and ``W`` has one column per label; probabilities are the
softmax over labels. A two-label model may keep a single column: then ``P(labels[1]) = sigmoid(x · w + b)``
(the same thing as a softmax over ``[0, x · w + b]``). Optionally a second, dense half scores sentence
embeddings (``e · D + d``, softmax) and is averaged with the text half when the embedder it was
trained on is given.

Which feature strings a text has is named in the file (``meta["features"]``, a key of
:data:`shopgen.text.features.FEATURES`), so a model is always scored with the features it was
trained on.

File format (:data:`FORMAT`): one compressed ``.npz`` written by :mod:`shopgen.models.npz`, so loading
never unpickles and a file outlives numpy and scikit-learn versions:

==================  ========================================================================
``labels``          the label names, NUL-joined
``vocab``           the feature strings in column order, NUL-joined
``idf``             float16, (features,)
``coef``            float16, (features, labels) or (features, 1) for a two-label sigmoid
``intercept``       float32, (labels,) or (1,)
``dense_coef``      optional float16, (embedding dim, labels); ``dense_intercept`` float32
``parent_*``        optional: a head over the labels' parents (hierarchical labels, below):
                    ``parent_labels``, ``parent_coef`` / ``parent_intercept`` over the same
                    features, ``parent_dense_coef`` / ``parent_dense_intercept``
``meta``            JSON: ``format``, ``features``, the training script and the hash of its data
                    (``script``, ``data_sha256`` …), and any figures the trainer recorded;
                    with a parent head, ``parents`` (each label's parent, in label order)
==================  ========================================================================

Hierarchical labels: with a parent head, the labels' probabilities are rescaled towards the
mass the parent head gives each parent (:func:`within_parents`; ``meta["parent_weight"]`` 1: each
parent's labels together carry exactly that mass). The parent head learns from every example
of a parent's labels together (``shopgen.assistant.intent``; benchmarks/intent_longtail.py
``--hierarchy``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from shopgen.core.errors import ConfigError
from shopgen.models import npz
from shopgen.text.features import feature_function
from shopgen.text.vectorize import Sparse, tfidf_rows

FORMAT = "shopgen-linear-text/1"


def softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class LinearTextClassifier:
    labels: tuple[str, ...]
    vocab: dict[str, int]
    idf: np.ndarray  # (features,)
    coef: np.ndarray  # (features, labels), or (features, 1): a sigmoid over two labels
    intercept: np.ndarray  # (labels,) or (1,)
    meta: dict = field(default_factory=dict)  # "features" names the feature function
    dense_coef: np.ndarray | None = None  # (embedding dim, labels)
    dense_intercept: np.ndarray | None = None
    parent: LinearTextClassifier | None = None  # a head over the labels' parents, same features

    def __post_init__(self) -> None:
        self.labels = tuple(self.labels)
        k = self.coef.shape[1] if self.coef.ndim == 2 else -1
        if k != len(self.labels) and not (k == 1 and len(self.labels) == 2):
            raise ConfigError(f"weights of shape {self.coef.shape} do not fit {len(self.labels)} labels")
        feature_function(self.features)  # an unknown feature name fails now, not at the first text
        if self.parent is not None:
            of = self.meta.get("parents")
            if not isinstance(of, list) or len(of) != len(self.labels) or set(of) != set(self.parent.labels):
                raise ConfigError("the parent head does not fit the labels' parents (meta['parents'])")

    @property
    def features(self) -> str:
        return self.meta.get("features", "zh-words")

    @property
    def dense_model(self) -> str | None:
        """The embedding model the dense half was trained on (None: no dense half)."""
        return self.meta.get("dense_embedder") if self.dense_coef is not None else None

    # -- scoring -----------------------------------------------------------------------------

    def featurize(self, texts: list[str]) -> list[list[str]]:
        fn = feature_function(self.features)
        return [fn(t) for t in texts]

    def rows(self, feats: list[list[str]]) -> Sparse:
        return tfidf_rows(feats, self.vocab, self.idf)

    def logits(self, rows: Sparse) -> np.ndarray:
        """``x · W + b`` per row: shape (rows, labels), or (rows, 1) for a sigmoid model."""
        return rows.dot(self.coef) + self.intercept

    def proba_features(self, feats: list[list[str]]) -> np.ndarray:
        """Label probabilities from already extracted features, shape (len(feats), labels)."""
        z = self.logits(self.rows(feats))
        if z.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1.0 - p, p], axis=1).astype(np.float32)
        return softmax(z)

    def uses(self, embedder) -> bool:
        """Whether the dense half applies: only with the embedding model it was trained on (another
        model's vectors would mean nothing to it; then the text half answers alone)."""
        return embedder is not None and self.dense_model is not None and embedder.model == self.dense_model

    def proba(self, texts: list[str], embedder=None) -> np.ndarray:
        """Label probabilities, shape (len(texts), labels); mixed with the dense half's (weighted by
        ``meta["dense_weight"]``, 0.5 when absent) when ``embedder`` is the one it was trained on
        (see :meth:`uses`)."""
        feats = self.featurize(texts)
        vectors = embedder.embed_queries(texts) if texts and self.uses(embedder) else None
        p = self._mixed(feats, vectors)
        if self.parent is not None and texts:
            p = self._within_parents(p, self.parent._mixed(feats, vectors))
        return p

    def _mixed(self, feats: list[list[str]], vectors: np.ndarray | None) -> np.ndarray:
        p = self.proba_features(feats)
        if vectors is not None and self.dense_coef is not None:
            w = float(self.meta.get("dense_weight", 0.5))  # chosen at training; equal halves before
            p = (1 - w) * p + w * softmax(vectors @ self.dense_coef + self.dense_intercept)
        return p

    def _within_parents(self, p: np.ndarray, parent_p: np.ndarray) -> np.ndarray:
        of = np.array([self.parent.labels.index(x) for x in self.meta["parents"]])
        return within_parents(p, parent_p, of, float(self.meta.get("parent_weight", 1.0)))

    def predict(self, texts: list[str], embedder=None) -> list[tuple[str, float]]:
        """``(label, probability)`` of the most likely label per text."""
        p = self.proba(texts, embedder)
        best = p.argmax(axis=1)
        return [(self.labels[i], float(p[n, i])) for n, i in enumerate(best)]

    # -- file --------------------------------------------------------------------------------

    def save(self, path: Path | str) -> Path:
        dense = (
            {}
            if self.dense_coef is None
            else {
                "dense_coef": self.dense_coef.astype(np.float16),
                "dense_intercept": np.asarray(self.dense_intercept, np.float32),
            }
        )
        strings = {"labels": self.labels, "vocab": npz.vocab_terms(self.vocab)}
        if self.parent is not None:
            q = self.parent
            strings["parent_labels"] = q.labels
            dense |= {"parent_coef": q.coef.astype(np.float16), "parent_intercept": np.asarray(q.intercept, np.float32)}
            if q.dense_coef is not None:
                dense |= {
                    "parent_dense_coef": q.dense_coef.astype(np.float16),
                    "parent_dense_intercept": np.asarray(q.dense_intercept, np.float32),
                }
        return npz.save(
            path,
            meta={**self.meta, "format": FORMAT, "features": self.features},
            sort_meta=True,
            strings=strings,
            idf=self.idf.astype(np.float16),
            coef=self.coef.astype(np.float16),
            intercept=np.asarray(self.intercept, np.float32),
            **dense,
        )

    @classmethod
    def load(cls, path: Path | str, what: str = "text classifier") -> LinearTextClassifier:
        """Raises ConfigError for a missing file, another format, or an unknown feature name."""
        z = npz.load(path, what, ("labels", "vocab", "idf", "coef", "intercept"))
        if z.meta.get("format") != FORMAT:
            raise ConfigError(f"not a shopgen {what}: {path} (format {z.meta.get('format')!r}, expected {FORMAT!r})")
        a, vocab = z.arrays, z.vocab()
        idf = a["idf"].astype(np.float32)
        parent = None
        if "parent_coef" in a:
            parent = cls(
                labels=tuple(z.strings("parent_labels")),
                vocab=vocab,
                idf=idf,
                coef=a["parent_coef"].astype(np.float32),
                intercept=a["parent_intercept"].astype(np.float32),
                meta={"features": z.meta.get("features", "zh-words"), "dense_weight": z.meta.get("dense_weight", 0.5)},
                dense_coef=a["parent_dense_coef"].astype(np.float32) if "parent_dense_coef" in a else None,
                dense_intercept=a["parent_dense_intercept"].astype(np.float32) if "parent_dense_coef" in a else None,
            )
        return cls(
            labels=tuple(z.strings("labels")),
            vocab=vocab,
            idf=idf,
            coef=a["coef"].astype(np.float32),
            intercept=a["intercept"].astype(np.float32),
            meta=z.meta,
            dense_coef=a["dense_coef"].astype(np.float32) if "dense_coef" in a else None,
            dense_intercept=a["dense_intercept"].astype(np.float32) if "dense_intercept" in a else None,
            parent=parent,
        )


def within_parents(p: np.ndarray, parent_p: np.ndarray, of: np.ndarray, weight: float = 1.0) -> np.ndarray:
    """Labels' probabilities ``p`` rescaled towards the parent head's ``parent_p`` (``of``: each
    label's parent column): ``p · (P_parent / Σ p over the parent's labels) ** weight``, renormalised.
    Weight 1 gives each parent's labels exactly the parent head's mass; 0 leaves ``p``."""
    mass = np.zeros_like(parent_p)
    np.add.at(mass.T, of, p.T)  # (texts, parents): the flat mass of each parent's labels
    out = p * (parent_p[:, of] / np.maximum(mass[:, of], 1e-12)) ** weight
    return out / out.sum(axis=1, keepdims=True)


def from_logistic(clf, full: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``(coef, intercept)`` in this layout from a fitted scikit-learn LogisticRegression: one column
    per class, or the single sigmoid column of a two-class fit (``full``: two softmax columns
    ``[0, w]`` instead, as the dense half needs)."""
    coef, intercept = clf.coef_.T.astype(np.float32), np.asarray(clf.intercept_, np.float32)
    if full and coef.shape[1] == 1:
        coef = np.hstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([[0.0], intercept]).astype(np.float32)
    return coef, intercept
