import json

import numpy as np
import pytest

from shopgen.core.errors import InvalidInput
from shopgen.insight import sentiment

from .conftest import DATA, NEGATIVE, POSITIVE, sample_rows


@pytest.fixture(scope="module")
def model(models):
    return models.sentiment("linear")


def test_clear_reviews_get_the_right_label(model):
    results = sentiment.analyze(POSITIVE + NEGATIVE, model)
    assert [r["label"] for r in results] == ["positive"] * 6 + ["negative"] * 6
    assert all(r["language"] == "zh" for r in results)
    assert all(0.0 <= r["score"] <= 1.0 for r in results)


def test_empty_text_is_invalid(model):
    with pytest.raises(InvalidInput, match="text is empty"):
        sentiment.analyze_one("   ", model)
    with pytest.raises(InvalidInput, match="text 2 is empty"):
        sentiment.analyze(["好", ""], model)


def test_non_chinese_is_flagged_and_pulled_towards_one_half(model):
    r = sentiment.analyze_one("terrible quality, I want a refund", model)
    assert r["language"] == "non-zh"
    assert 0.25 <= r["score"] <= 0.75
    assert sentiment.language("！！！123") == "none"
    assert sentiment.language("iPhone手机壳很好看") == "zh"


def test_model_is_loaded_once_by_the_runtime(models, model):
    assert models.sentiment() is models.sentiment("linear") is model


def test_accuracy_on_fixed_dev_sample_is_pinned(model):
    rows = sample_rows("dev", 800)
    p = model.proba([r["review"] for r in rows]) >= 0.5
    acc = float(np.mean(p == np.array([int(r["label"]) for r in rows])))
    assert acc >= 0.925, acc  # measured 0.94 on this sample; full dev 0.9393


def test_accuracy_on_our_out_of_domain_set_is_pinned(model):
    rows = [json.loads(line) for line in (DATA / "ood_sentiment.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 150
    p = model.proba([r["text"] for r in rows]) >= 0.5
    acc = float(np.mean(p == np.array([r["label"] for r in rows])))
    assert acc >= 0.85, acc


def test_nothing_heavy_at_import_time():
    import subprocess
    import sys

    code = (
        "import sys, shopgen.cli.main, shopgen.insight.monitor, shopgen.insight.report, shopgen.insight.topics; "
        "print(sorted(m for m in ('sklearn', 'matplotlib', 'snownlp', 'scipy', 'jieba') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
