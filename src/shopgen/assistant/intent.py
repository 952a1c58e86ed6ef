"""Shopper-turn intent: shopgen's linear text classifier over the shared text features, averaged
with its dense half, a softmax over e5 sentence embeddings.

On 514 hand-written training turns, 5-fold cross-validation on the training file gave 0.759
accuracy for the text features alone, 0.839 for e5 alone and 0.850 for the average, so the
default uses both. The dense half only applies with the embedding model it was trained on
(``meta["dense_embedder"]``, multilingual-e5-small); with another embedder, or none, the text half
answers alone (:meth:`~shopgen.models.textclf.LinearTextClassifier.uses`).

Labels (the shipped default): product, order_status, return, complaint, shipping, payment,
invoice, promotion, human, chitchat. ``shopgen intent train --data FILE`` fits another on
labelled JSONL (``{"text", "label"}``); the model file is the one format of
:class:`~shopgen.models.textclf.LinearTextClassifier` (numpy only, no pickle). The runtime loads a
model once (``runtime.intent(name)``); the functions here take the loaded model.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from shopgen.core.lazy import require
from shopgen.models.textclf import LinearTextClassifier, from_logistic
from shopgen.text.features import featurize
from shopgen.text.vectorize import build_vocab, tfidf_rows

DEFAULT_MODEL = Path(__file__).parent / "data" / "intent-zh-linear.npz"
DEFAULT_DATA = Path(__file__).parent / "data" / "intent_train.jsonl"
# class weighting for ``shopgen intent train``: on long-tailed training sets (benchmarks/intent_longtail.py)
# "balanced" raised macro-F1 most without costing accuracy
BALANCE = 1.0
ABSTAIN_AT = (0.3, 0.4, 0.5, 0.6, 0.7)


def load(name: str | Path | None = None) -> LinearTextClassifier:
    """The shipped model (``None`` or ``"default"``) or one trained with ``shopgen intent train``.
    Raises ConfigError for a missing or foreign file."""
    return LinearTextClassifier.load(DEFAULT_MODEL if name in (None, "default") else Path(name), "intent model")


def class_weights(y: np.ndarray, power: float) -> np.ndarray:
    """Per-example weights ``(n / (k · n_class)) ** power``: 0 leaves the classes as they come, 1 is
    scikit-learn's "balanced" (every class weighs the same in total)."""
    counts = np.bincount(y)
    w = (len(y) / (len(counts) * counts.astype(float))) ** power
    return w[y]


def fit(
    texts: list[str],
    labels: list[str],
    *,
    c: float = 30.0,
    min_df: int = 1,
    source: str = "",
    embedder=None,
    balance: float = BALANCE,
) -> LinearTextClassifier:
    """Fit the text half, and the dense half when an embedder is given (C chosen by 5-fold CV on
    the shipped training file: 30 for both)."""
    lm = require("sklearn.linear_model", "insight")
    feats = [featurize(t) for t in texts]
    vocab, idf = build_vocab(feats, min_df)
    x = tfidf_rows(feats, vocab, idf).to_csr(len(vocab))
    names = sorted(set(labels))
    y = np.array([names.index(lb) for lb in labels])
    weights = class_weights(y, balance)
    clf = lm.LogisticRegression(C=c, max_iter=2000)
    clf.fit(x, y, sample_weight=weights)
    meta = {
        "features": "zh-words",
        "source": source,
        "n": len(texts),
        "c": c,
        "balance": balance,
        "script": "shopgen intent train",
        "trained": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    model = LinearTextClassifier(tuple(names), vocab, idf, *from_logistic(clf), meta)
    if embedder is not None:
        e = np.vstack([embedder.embed_queries(texts[i : i + 64]) for i in range(0, len(texts), 64)])
        head = lm.LogisticRegression(C=c, max_iter=3000).fit(e, y, sample_weight=weights)
        model.dense_coef, model.dense_intercept = from_logistic(head, full=True)
        model.meta["dense_embedder"] = embedder.model
    return model


def abstain_table(gold: list[str], scored: list[tuple[str, float]], at=ABSTAIN_AT) -> list[dict]:
    """For each threshold: the share of turns answered (confidence at or above it; the rest go to
    a person) and the accuracy on those."""
    out = []
    for t in at:
        kept = [(g, p) for g, (p, conf) in zip(gold, scored) if conf >= t]
        out.append(
            {
                "below": t,
                "answered": round(len(kept) / len(gold), 4) if gold else 0.0,
                "accuracy_answered": round(sum(g == p for g, p in kept) / len(kept), 4) if kept else None,
            }
        )
    return out


def classify(text: str, model: LinearTextClassifier, embedder=None) -> str:
    return model.predict([text], embedder)[0][0]
