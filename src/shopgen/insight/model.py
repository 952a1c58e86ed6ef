"""The linear sentiment model as plain arrays: vocabulary, idf, weights.

Stored as one compressed ``.npz`` (float16 weights, the vocabulary as one NUL-joined string and a
JSON ``meta`` with provenance), so loading needs numpy only and never unpickles anything: the file
works across numpy / scikit-learn versions.

Scoring: ``logit = Σ w[f] · x[f] + b`` with ``x`` the L2-normalised sublinear-tf × idf vector of
:func:`shopgen.text.features.featurize`; ``score = sigmoid(logit)`` is P(positive).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from shopgen.models import npz
from shopgen.text.vectorize import Sparse, tfidf_rows

DEFAULT_MODEL = Path(__file__).parent / "data" / "sentiment-zh-linear.npz"


@dataclass
class LinearSentiment:
    vocab: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    intercept: float = 0.0
    meta: dict = field(default_factory=dict)

    def vectorize(self, texts: list[str]) -> Sparse:
        return tfidf_rows(texts, self.vocab, self.idf)

    def decision(self, texts: list[str]) -> np.ndarray:
        """Logits, one per text (0.0 for a text with no known feature)."""
        m = self.vectorize(texts)
        contrib = self.coef[m.indices].astype(np.float32) * m.values
        sums = np.add.reduceat(np.append(contrib, 0.0), m.indptr[:-1]) if len(texts) else np.zeros(0)
        empty = np.diff(m.indptr) == 0
        sums[empty] = 0.0
        return np.where(empty, 0.0, sums + self.intercept)

    def proba(self, texts: list[str]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.decision(texts)))

    def save(self, path: Path | str) -> Path:
        return npz.save(
            path,
            meta=self.meta,
            strings={"vocab": npz.vocab_terms(self.vocab)},
            idf=self.idf.astype(np.float16),
            coef=self.coef.astype(np.float16),
            intercept=np.array(self.intercept, np.float32),
        )

    @classmethod
    def load(cls, path: Path | str) -> LinearSentiment:
        z = npz.load(path, "sentiment model", ("vocab", "idf", "coef", "intercept"))
        return cls(
            vocab=z.vocab(),
            idf=z.arrays["idf"].astype(np.float32),
            coef=z.arrays["coef"].astype(np.float32),
            intercept=float(z.arrays["intercept"]),
            meta=z.meta,
        )
