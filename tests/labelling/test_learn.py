"""Suggestions that learn from people's labels: centroids, the weight chosen on the labels given,
and the queue re-suggesting once enough labels came in."""

from __future__ import annotations

import numpy as np
import pytest

from shopgen.labelling import learn, queue
from shopgen.labelling.texts import Text
from shopgen.security.principal import Principal

ANNA = Principal(kind="user", name="anna", role="operator")
LABELS = ["物流", "尺码"]
SHIPPING = ["快递什么时候到", "物流三天没更新", "快递到哪了", "发货太慢了", "快递员不送货上门", "物流信息查不到"]
SIZING = ["这件衣服偏大吗", "尺码表准不准", "175穿什么码", "鞋子偏小一码", "裤子尺码怎么选", "L码会不会太大"]


def test_centroids_tell_the_shops_labels_apart():
    c = learn.Centroids.fit(SHIPPING + SIZING, ["物流"] * 6 + ["尺码"] * 6, LABELS)
    p = c.proba(["快递怎么还没到", "XL码偏大吗"])
    assert p.shape == (2, 2) and np.allclose(p.sum(axis=1), 1.0)
    assert p[0].argmax() == 0 and p[1].argmax() == 1
    # a label nobody gave yet, and a text with no known feature: no crash, no preference
    empty = learn.Centroids.fit([], [], LABELS)
    assert empty.n == 0 and np.allclose(empty.proba(["随便"]), 0.5)


def test_the_weight_follows_whichever_predicted_the_given_labels():
    texts, gold = SHIPPING + SIZING, ["物流"] * 6 + ["尺码"] * 6
    right = [(g, 0.9) for g in gold]
    assert learn.choose_weight(texts, gold, right, LABELS) == 0.0  # the model was right: keep it
    nothing = [(None, 0.0)] * len(gold)
    assert learn.choose_weight(texts, gold, nothing, LABELS) > 0.0  # it had nothing: learn
    assert learn.choose_weight(texts[:1], gold[:1], nothing[:1], LABELS) == 0.0  # one label: nothing to tell
    few = ["快递三天没更新", "尺码偏大吗", "快递到哪了", "175穿什么码偏大"]
    assert learn.choose_weight(few, ["物流", "尺码"] * 2, nothing[:4], LABELS) > 0.0  # one fold per label


def test_blend_mixes_a_suggestion_with_the_centroids():
    c = learn.Centroids.fit(SHIPPING + SIZING, ["物流"] * 6 + ["尺码"] * 6, LABELS)
    c.weight = 1.0
    assert learn.blend([(None, 0.0)], c, ["快递怎么还没到"])[0][0] == "物流"
    c.weight = 0.0
    assert learn.blend([("尺码", 0.8)], c, ["快递怎么还没到"]) == [("尺码", 0.8)]
    assert learn.blend([(None, 0.0)], c, ["快递怎么还没到"]) == [(None, 0.0)]  # no suggestion stays none
    assert learn.as_distribution("尺码", 0.8, LABELS).tolist() == pytest.approx([0.2, 0.8])
    assert learn.as_distribution(None, 0.0, LABELS).tolist() == [0.5, 0.5]


class Nothing:
    """A model that knows none of the task's labels (a shop's own label set)."""

    def default_labels(self):
        return []

    def suggest(self, texts, labels):
        return [(None, 0.0) for _ in texts]


def test_the_queue_learns_the_shops_labels_as_they_are_given(db, monkeypatch):
    monkeypatch.setattr(learn, "LEARN_FROM", 8)
    monkeypatch.setattr(learn, "RELEARN_EVERY", 4)
    queue._learned.clear()
    later_shipping, later_sizing = "快递为什么还没到", "M码会偏大吗"
    texts = SHIPPING[:4] + SIZING[:4] + [later_shipping, later_sizing] + SHIPPING[4:] + SIZING[4:]
    truth = dict(zip(SHIPPING + SIZING, ["物流"] * 6 + ["尺码"] * 6)) | {later_shipping: "物流", later_sizing: "尺码"}
    with db.session() as s:
        task = queue.create(
            s, ANNA, name="自定义", kind="intent", labels=LABELS, texts=[Text(t, "x") for t in texts], source="x"
        )
        for _ in range(8):
            item = queue.next_item(s, task, Nothing(), ANNA)
            assert item.suggested is None  # nothing learnt yet
            queue.label(s, task, item.id, ANNA, label=truth[item.text])
        item = queue.next_item(s, task, Nothing(), ANNA)
        assert queue.progress(s, task)["learned_from"] == 8
        assert item.suggested == truth[item.text] and item.confidence > 0.5
        pending = {i.text: i.suggested for i in s.query(queue.LabelItem).filter_by(task_id=task.id, labelled_at=None)}
        assert pending[later_shipping] == "物流" and pending[later_sizing] == "尺码"


def test_a_label_set_in_the_studios_chinese_names_gets_the_models_suggestions():
    """An operator who types the names the studio shows (物流配送, 投诉) instead of the codes still
    gets the intent model's suggestions, in the task's words; a label it does not know gets none."""
    from shopgen.labelling.suggest import Models, for_kind, in_task_words

    class Intent:
        labels = ("complaint", "shipping")

        def proba(self, texts, embedder=None):
            return np.array([[0.2, 0.8] if "快递" in t else [0.9, 0.1] for t in texts])

    class Sentiment:
        def proba(self, texts):
            return np.array([0.9 for _ in texts])

    models = Models(
        intent=Intent, embedder=lambda: None, sentiment=Sentiment, aspect_names=(), clauses=list, mentions=list
    )
    intent = for_kind("intent", models)
    assert intent.suggest(["快递没到", "太差了"], ["物流配送", "投诉"]) == [("物流配送", 0.8), ("投诉", 0.9)]
    assert intent.suggest(["快递没到"], ["shipping", "投诉"]) == [("shipping", 0.8)]
    assert intent.suggest(["快递没到"], ["物流", "尺码"]) == [(None, 0.0)]
    assert for_kind("sentiment", models).suggest(["很好"], ["正面", "负面"]) == [("正面", 0.9)]
    assert in_task_words(["positive", "negative"], ["好评", "差评"]) == {}
