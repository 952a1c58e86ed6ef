import numpy as np
import pytest

from shopgen.insight import evaluate

from .conftest import NEGATIVE, POSITIVE


def test_macro_f1_matches_hand_computation():
    y = np.array([1, 1, 1, 0, 0])
    pred = np.array([1, 1, 0, 0, 1])
    # class 1: P=2/3 R=2/3 F1=2/3; class 0: P=1/2 R=1/2 F1=1/2
    assert evaluate.macro_f1(y, pred) == pytest.approx((2 / 3 + 1 / 2) / 2)
    assert evaluate.scores(y, pred) == {"n": 5, "accuracy": 0.6, "macro_f1": 0.5833}


def write_csv(path, pos, neg):
    rows = ["label,review"] + [f"1,{t}" for t in pos] + [f"0,{t}" for t in neg]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def test_run_with_training_file_and_both_baselines(tmp_path):
    train = write_csv(tmp_path / "train.csv", POSITIVE * 3, NEGATIVE * 3)
    test = write_csv(tmp_path / "test.csv", POSITIVE, NEGATIVE)
    r = evaluate.run(test, train=train, baseline_n=5, seed=1)
    assert r["n"] == 12 and r["accuracy"] == 1.0 and r["model"] == "trained"
    assert r["baseline"]["snownlp"]["n"] == 5
    assert r["baseline"]["char_ngram_lr"]["n"] == 12 and r["baseline"]["char_ngram_lr"]["accuracy"] == 1.0
    assert r["texts_per_s"] > 0


def test_train_and_save_records_provenance(tmp_path):
    train = write_csv(tmp_path / "train.csv", POSITIVE * 3, NEGATIVE * 3)
    out = evaluate.train_and_save(train, str(tmp_path / "m.npz"), dev=train, min_df=1)
    assert out["n_train"] == 36 and out["dev_accuracy"] == 1.0
    from shopgen.insight.model import LinearSentiment

    meta = LinearSentiment.load(tmp_path / "m.npz").meta
    assert meta["trained_on"] == "train.csv" and meta["sha256"] == evaluate.sha256(train)
