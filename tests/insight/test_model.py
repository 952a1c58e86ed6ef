import numpy as np
import pytest

from shopgen.assistant.intent import load as load_intent
from shopgen.core.errors import ConfigError, InvalidInput
from shopgen.insight import train
from shopgen.insight.model import DEFAULT_MODEL, LinearSentiment

from .conftest import NEGATIVE, POSITIVE


@pytest.fixture(scope="module")
def tiny():
    return train.fit(POSITIVE * 2 + NEGATIVE * 2, [1] * 12 + [0] * 12, c=10.0, min_df=1, meta={"note": "tiny"})


def test_fit_separates_its_training_data(tiny):
    p = tiny.proba(POSITIVE + NEGATIVE)
    assert (p[:6] > 0.5).all() and (p[6:] < 0.5).all()


def test_save_load_roundtrip_keeps_scores_and_meta(tiny, tmp_path):
    path = tiny.save(tmp_path / "m.npz")
    back = LinearSentiment.load(path)
    assert back.meta["note"] == "tiny" and back.meta["n_features"] == len(back.vocab)
    np.testing.assert_allclose(back.decision(POSITIVE), tiny.decision(POSITIVE), atol=0.02)


def test_text_with_no_known_feature_scores_one_half(tiny):
    assert tiny.proba(["zzzz", ""]).tolist() == [0.5, 0.5]


def test_fit_needs_both_labels():
    with pytest.raises(InvalidInput, match="both labels"):
        train.fit(POSITIVE, [1] * len(POSITIVE))


def test_load_missing_or_foreign_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        LinearSentiment.load(tmp_path / "nope.npz")
    np.savez(tmp_path / "other.npz", x=np.zeros(3))
    with pytest.raises(ConfigError, match="not a shopgen sentiment model"):
        LinearSentiment.load(tmp_path / "other.npz")
    intent = tmp_path / "intent.npz"
    load_intent().save(intent)  # the same file format, but ten labels
    with pytest.raises(ConfigError, match="not a sentiment model"):
        LinearSentiment.load(intent)


def test_shipped_model_is_small_and_records_provenance():
    assert DEFAULT_MODEL.stat().st_size < 5_000_000
    meta = LinearSentiment.load(DEFAULT_MODEL).meta
    assert meta["trained_on"] == "online_shopping_10_cats.train.csv"
    assert meta["n_train"] == 50214 and len(meta["sha256"]) == 64
    assert meta["dev"] == "online_shopping_10_cats.dev.csv" and meta["dev_accuracy"] >= 0.93
    assert meta["data_sha256"] == meta["sha256"] and meta["script"].startswith("shopgen insight train")
    assert meta["features"] == "zh-words"
