"""The contract every sentiment model passes: the same tests, run against each registered model
(``linear``, ``ensemble``), both loaded through the runtime as the service loads them."""

import numpy as np
import pytest

from shopgen.insight import sentiment

from .conftest import NEGATIVE, POSITIVE


def test_every_registered_model_has_a_contract_run():
    assert set(sentiment.sentiment_models.names()) == {"linear", "ensemble"}


class SentimentContract:
    name = ""

    @pytest.fixture
    def model(self, models):
        return models.sentiment(self.name)

    def test_names_itself_and_records_provenance(self, model):
        assert model.name == self.name and isinstance(model.meta, dict) and model.meta

    def test_one_logit_and_one_probability_per_text(self, model):
        texts = POSITIVE[:2] + NEGATIVE[:2]
        d, p = model.decision(texts), model.proba(texts)
        assert d.shape == p.shape == (4,) and ((p >= 0) & (p <= 1)).all()
        np.testing.assert_allclose(p, 1 / (1 + np.exp(-d)), rtol=1e-5)
        assert model.proba([]).shape == (0,)

    def test_a_blank_text_is_one_half(self, model):
        assert model.proba(["   "]).tolist() == [0.5]

    def test_a_batch_scores_like_single_texts(self, model):
        texts = POSITIVE[:3] + NEGATIVE[:3]
        np.testing.assert_allclose(model.proba(texts), [model.proba([t])[0] for t in texts], atol=1e-4)

    def test_clear_reviews_get_the_right_label(self, model):
        labels = [r["label"] for r in sentiment.analyze(POSITIVE + NEGATIVE, model)]
        assert labels == ["positive"] * len(POSITIVE) + ["negative"] * len(NEGATIVE)


class TestLinear(SentimentContract):
    name = "linear"


class TestEnsemble(SentimentContract):
    name = "ensemble"
