"""Label audit (标注质检): rows whose label is probably wrong, by cross-validated confidence.

The method is confident learning's core step (Northcutt, Jiang and Chuang, JAIR 2021):

1. Out-of-fold probabilities: split the rows into ``folds`` stratified parts (fixed seed); for
   each, fit shopgen's linear text classifier (the shared ``zh-words`` features, sublinear tf-idf,
   logistic regression: what the sentiment and intent models are) on the other parts and predict
   this one. Every row is scored by a model that never saw it.
2. Per-label thresholds: ``t[j]`` is the mean probability of label ``j`` over the rows labelled
   ``j`` (the model's average self-confidence on that label).
3. A row labelled ``y`` is flagged when ``p[y] < t[y]`` and some other label ``k`` has
   ``p[k] ≥ t[k]``; the suggestion is the most probable such ``k``. Flags are ranked by the margin
   ``p[k] − p[y]``, most suspicious first.

The classifier sees words, not meaning: sarcasm, a review that praises and complains, or a label
that depends on something outside the text will be flagged too. The list is for a person to check,
never for relabelling automatically.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.core.lazy import require


@dataclass
class Flag:
    index: int
    given: str
    suggested: str
    p_given: float
    p_suggested: float

    @property
    def margin(self) -> float:
        return self.p_suggested - self.p_given


def _fit_predict(feats_train, y_train, feats_test, n_labels: int, c: float, min_df: int) -> np.ndarray:
    from shopgen.text.vectorize import build_vocab, tfidf_rows

    lm = require("sklearn.linear_model", "insight")
    exc = require("sklearn.exceptions", "insight")
    vocab, idf = build_vocab(feats_train, min_df)
    x = tfidf_rows(feats_train, vocab, idf).to_csr(len(vocab))
    clf = lm.LogisticRegression(C=c, max_iter=1000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", exc.ConvergenceWarning)
        clf.fit(x, y_train)
    p = np.zeros((len(feats_test), n_labels))
    p[:, clf.classes_] = clf.predict_proba(tfidf_rows(feats_test, vocab, idf).to_csr(len(vocab)))
    return p


def out_of_fold(
    texts: list[str], labels: list[str], *, folds: int = 5, seed: int = 7, c: float = 4.0
) -> tuple[list[str], np.ndarray]:
    """``(label names, probabilities)``: row ``i``'s probabilities come from a model fitted
    without the fold holding ``i``. Raises InvalidInput when a label has fewer rows than folds."""
    from shopgen.text.features import featurize

    if folds < 2:
        raise InvalidInput("--folds must be at least 2")
    names = sorted(set(labels))
    if len(names) < 2:
        raise InvalidInput("the label audit needs at least two labels")
    counts = {n: labels.count(n) for n in names}
    few = [n for n in names if counts[n] < folds]
    if few:
        raise InvalidInput(
            f"label {few[0]!r} has {counts[few[0]]} rows; the label audit needs at least {folds} per label (lower --folds)"
        )
    ms = require("sklearn.model_selection", "insight")
    y = np.array([names.index(lb) for lb in labels])
    feats = [featurize(t) for t in texts]
    min_df = 2 if len(texts) >= 2000 else 1
    proba = np.zeros((len(texts), len(names)))
    for train, test in ms.StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        proba[test] = _fit_predict([feats[i] for i in train], y[train], [feats[i] for i in test], len(names), c, min_df)
    return names, proba


def thresholds(y: np.ndarray, proba: np.ndarray) -> np.ndarray:
    """Mean self-confidence per label: ``t[j] = mean(proba[y == j, j])``."""
    return np.array([proba[y == j, j].mean() if (y == j).any() else 1.0 for j in range(proba.shape[1])])


def find_flags(names: list[str], labels: list[str], proba: np.ndarray) -> list[Flag]:
    """Rows whose given label is below its threshold while another label is above its own,
    most suspicious (largest margin) first."""
    y = np.array([names.index(lb) for lb in labels])
    t = thresholds(y, proba)
    flags = []
    for i in np.flatnonzero(proba[np.arange(len(y)), y] < t[y]):
        confident = proba[i] >= t
        confident[y[i]] = False
        if confident.any():
            k = int(np.argmax(np.where(confident, proba[i], -1.0)))
            flags.append(Flag(int(i), names[y[i]], names[k], float(proba[i, y[i]]), float(proba[i, k])))
    flags.sort(key=lambda f: (-f.margin, f.index))
    return flags


def audit(texts: list[str], labels: list[str], *, folds: int = 5, seed: int = 7) -> tuple[dict, list[Flag]]:
    """Summary figures and every flag (ranked). The summary has the out-of-fold accuracy, the
    thresholds, and how many rows were flagged from each label to each suggestion."""
    names, proba = out_of_fold(texts, labels, folds=folds, seed=seed)
    flags = find_flags(names, labels, proba)
    y = np.array([names.index(lb) for lb in labels])
    pairs: dict[str, int] = {}
    for f in flags:
        pairs[f"{f.given} → {f.suggested}"] = pairs.get(f"{f.given} → {f.suggested}", 0) + 1
    summary = {
        "rows": len(texts),
        "folds": folds,
        "seed": seed,
        "model": "shopgen linear text classifier (zh-words features, logistic regression, C=4)",
        "out_of_fold_accuracy": round(float((proba.argmax(axis=1) == y).mean()), 4),
        "thresholds": {n: round(float(v), 4) for n, v in zip(names, thresholds(y, proba))},
        "flagged": len(flags),
        "flagged_share": round(len(flags) / len(texts), 4),
        "flagged_by_change": dict(sorted(pairs.items())),
    }
    return summary, flags
