"""The linear sentiment model: shopgen's one linear text classifier with two labels.

A :class:`~shopgen.models.textclf.LinearTextClassifier` over the ``zh-words`` features
(:func:`shopgen.text.features.featurize`) with labels ``(negative, positive)`` and one sigmoid
column: ``logit = Σ w[f] · x[f] + b`` with ``x`` the L2-normalised sublinear-tf × idf row;
``score = sigmoid(logit)`` is P(positive). A text with no known feature has logit 0.0 (P = 0.5):
the model has no evidence about it, and the intercept alone is only the training set's balance.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from shopgen.core.errors import ConfigError
from shopgen.models.textclf import LinearTextClassifier

DEFAULT_MODEL = Path(__file__).parent / "data" / "sentiment-zh-linear.npz"
LABELS = ("negative", "positive")


class LinearSentiment:
    """A :class:`~shopgen.insight.sentiment.SentimentModel` (``decision``, ``proba``, ``meta``)."""

    name = "linear"

    def __init__(self, clf: LinearTextClassifier) -> None:
        if clf.labels != LABELS or clf.coef.shape[1] != 1:
            raise ConfigError(f"not a sentiment model: labels {clf.labels}, weights {clf.coef.shape}")
        self.clf = clf

    @property
    def meta(self) -> dict:
        return self.clf.meta

    @property
    def vocab(self) -> dict[str, int]:
        return self.clf.vocab

    def decision(self, texts: list[str]) -> np.ndarray:
        """Logits, one per text (0.0 for a text with no known feature)."""
        rows = self.clf.rows(self.clf.featurize(texts))
        return np.where(rows.empty, 0.0, self.clf.logits(rows)[:, 0])

    def proba(self, texts: list[str]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.decision(texts)))

    def save(self, path: Path | str) -> Path:
        return self.clf.save(path)

    @classmethod
    def load(cls, path: Path | str) -> LinearSentiment:
        """Raises ConfigError for a missing file or one that is not a two-label sentiment model."""
        return cls(LinearTextClassifier.load(path, "sentiment model"))
