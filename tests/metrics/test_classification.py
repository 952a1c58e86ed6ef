import random

import pytest
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from shopgen.metrics.classification import report


def test_matches_scikit_learn_on_random_labels():
    rng = random.Random(3)
    labels = ["buy", "ask", "rate", "other"]
    y = [rng.choice(labels) for _ in range(300)]
    p = [t if rng.random() < 0.6 else rng.choice(labels[:3]) for t in y]
    r = report(y, p, labels)
    assert r["accuracy"] == pytest.approx(accuracy_score(y, p), abs=1e-4)
    assert r["macro_f1"] == pytest.approx(f1_score(y, p, labels=labels, average="macro", zero_division=0), abs=1e-4)
    prec, rec, f1, sup = precision_recall_fscore_support(y, p, labels=labels, zero_division=0)
    for i, lb in enumerate(labels):
        assert r["per_label"][lb]["precision"] == pytest.approx(prec[i], abs=1e-4)
        assert r["per_label"][lb]["recall"] == pytest.approx(rec[i], abs=1e-4)
        assert r["per_label"][lb]["f1"] == pytest.approx(f1[i], abs=1e-4)
        assert r["per_label"][lb]["support"] == sup[i]
    assert sum(map(sum, r["confusion"])) == 300


def test_never_predicted_label_scores_zero_and_confusion_is_row_true():
    r = report(["a", "b", "b"], ["a", "a", "b"], ["a", "b", "c"])
    assert r["per_label"]["c"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert r["confusion"] == [[1, 0, 0], [1, 1, 0], [0, 0, 0]]
