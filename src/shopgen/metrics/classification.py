"""Accuracy, per-label precision/recall/F1, macro-F1 and a confusion matrix, for any labels.

Checked against scikit-learn's ``classification_report`` in the tests. A label that is never
predicted has precision 0 (scikit-learn's ``zero_division=0``).
"""

from __future__ import annotations

from collections.abc import Sequence


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def report(y_true: Sequence, y_pred: Sequence, labels: Sequence | None = None, digits: int = 4) -> dict:
    if len(y_true) != len(y_pred):
        raise ValueError("y_true and y_pred differ in length")
    labels = list(labels) if labels is not None else sorted(set(y_true) | set(y_pred), key=str)
    per, f1s = {}, []
    for lb in labels:
        tp = sum(1 for t, p in zip(y_true, y_pred) if t == lb and p == lb)
        n_pred = sum(1 for p in y_pred if p == lb)
        n_true = sum(1 for t in y_true if t == lb)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_true if n_true else 0.0
        f1s.append(_f1(prec, rec))
        per[str(lb)] = {
            "precision": round(prec, digits),
            "recall": round(rec, digits),
            "f1": round(f1s[-1], digits),
            "support": n_true,
        }
    n = len(y_true)
    acc = sum(1 for t, p in zip(y_true, y_pred) if t == p) / n if n else 0.0
    macro = sum(f1s) / len(labels) if labels else 0.0
    index = {lb: i for i, lb in enumerate(labels)}
    confusion = [[0] * len(labels) for _ in labels]
    for t, p in zip(y_true, y_pred):
        if t in index and p in index:
            confusion[index[t]][index[p]] += 1
    return {
        "n": n,
        "accuracy": round(acc, digits),
        "macro_f1": round(macro, digits),
        "per_label": per,
        "labels": [str(lb) for lb in labels],
        "confusion": confusion,
    }
