"""The labelling store: least confident first, batches of suggestions, skip, undo, export."""

from __future__ import annotations

import json

import pytest

from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.labelling import queue
from shopgen.labelling.texts import Text
from shopgen.security.principal import Principal
from shopgen.store.models import LabelItem

ANNA = Principal(kind="user", name="anna", role="operator")
BOB = Principal(kind="user", name="bob", role="agent")


class Scripted:
    """Suggests ``a`` with the confidence written after ``#`` in the text; records each batch."""

    def __init__(self):
        self.batches: list[int] = []

    def default_labels(self):
        return ["a", "b"]

    def suggest(self, texts, labels):
        self.batches.append(len(texts))
        return [("a", float(t.split("#")[1])) for t in texts]


def _task(s, texts, kind="sentiment", labels=("a", "b", "c")):
    return queue.create(
        s,
        ANNA,
        name="t",
        kind=kind,
        labels=list(labels),
        texts=[Text(t, f"f:{i}") for i, t in enumerate(texts)],
        source="x",
    )


def test_queue_gives_the_least_confident_first_and_labels_in_order(db):
    sug = Scripted()
    with db.session() as s:
        task = _task(s, ["sure#0.9", "unsure#0.2", "middling#0.6"])
        first = queue.next_item(s, task, sug, ANNA)
        assert first.text == "unsure#0.2" and first.suggested == "a" and first.confidence == 0.2
        queue.label(s, task, first.id, ANNA, label="b")
        assert queue.next_item(s, task, sug, ANNA).text == "middling#0.6"
        p = queue.progress(s, task)
        assert (p["total"], p["done"], p["pending"], p["suggested"]) == (3, 1, 2, 3)
        assert p["counts"] == {"a": 0, "b": 1, "c": 0}
    assert sug.batches == [3]  # suggested once, not per call


def test_suggestions_come_in_batches(db, monkeypatch):
    monkeypatch.setattr(queue, "BATCH", 4)
    monkeypatch.setattr(queue, "LOW_WATER", 2)
    sug = Scripted()
    with db.session() as s:
        task = _task(s, [f"t{i}#0.{i}" for i in range(1, 10)])
        for _ in range(3):
            item = queue.next_item(s, task, sug, ANNA)
            queue.label(s, task, item.id, ANNA, label="a")
        assert sug.batches == [4]
        queue.next_item(s, task, sug, ANNA)
        assert sug.batches == [4, 4]  # the second batch came when one suggested item was left
        assert queue.progress(s, task)["suggested"] == 8


def test_skip_comes_back_last_and_undo_takes_back_only_your_own_steps(db):
    sug = Scripted()
    with db.session() as s:
        task = _task(s, ["x#0.1", "y#0.5"])
        x = queue.next_item(s, task, sug, ANNA)
        queue.skip(s, task, x.id, ANNA)
        y = queue.next_item(s, task, sug, ANNA)
        assert y.text == "y#0.5"
        queue.label(s, task, y.id, BOB, label="c")
        again = queue.next_item(s, task, sug, ANNA)
        assert again.id == x.id and again.skipped
        assert queue.progress(s, task)["skipped"] == 1

        undone = queue.undo(s, task, ANNA)  # anna's skip, not bob's later label
        assert undone.id == x.id and not undone.skipped and undone.labelled_at is None
        with pytest.raises(Conflict, match="没有可以撤销"):
            queue.undo(s, task, ANNA)
        assert queue.undo(s, task, BOB).id == y.id
        assert queue.progress(s, task)["done"] == 0


def test_two_people_are_handed_different_items_and_a_hold_runs_out(db):
    from datetime import timedelta

    sug = Scripted()
    with db.session() as s:
        task = _task(s, ["x#0.1", "y#0.5", "z#0.9"])
        anna = queue.next_item(s, task, sug, ANNA)
        bob = queue.next_item(s, task, sug, BOB)
        assert (anna.text, bob.text) == ("x#0.1", "y#0.5")
        assert anna.held_by == ANNA.actor and bob.held_by == BOB.actor
        # asking again (a reloaded page) gives each the item they hold
        assert queue.next_item(s, task, sug, ANNA).id == anna.id
        assert queue.next_item(s, task, sug, BOB).id == bob.id
        # labelling releases the hold; anna's next is the one nobody holds
        queue.label(s, task, anna.id, ANNA, label="a")
        assert queue.next_item(s, task, sug, ANNA).text == "z#0.9"
        # bob walked away: once his hold runs out, his item goes to the next person who asks
        later = bob.held_until + timedelta(seconds=1)
        carol = Principal(kind="user", name="carol", role="agent")
        assert queue.next_item(s, task, sug, carol, now=later).id == bob.id
        # nothing left for a fourth person while the others hold the rest
        dave = Principal(kind="user", name="dave", role="agent")
        assert queue.next_item(s, task, sug, dave) is None
        # an undone item is held for the person who undid it
        undone = queue.undo(s, task, ANNA)
        assert undone.id == anna.id and undone.held_by == ANNA.actor
        assert queue.next_item(s, task, sug, ANNA).id == anna.id


def test_a_claim_taken_by_someone_else_in_between_moves_on(db):
    """Two requests at once: the first candidate is claimed by the other person after it was read;
    the conditional UPDATE refuses it and the next candidate is handed out."""
    sug = Scripted()
    with db.session() as s:
        task = _task(s, ["x#0.1", "y#0.5"])
        queue._suggest_more(s, task, sug)
        x = s.query(LabelItem).filter_by(task_id=task.id, text="x#0.1").one()
        assert queue._claimed(s, x.id, BOB.actor, queue.utcnow()) is not None
        assert queue._claimed(s, x.id, ANNA.actor, queue.utcnow()) is None
        assert queue.next_item(s, task, sug, ANNA).text == "y#0.5"


def test_unknown_label_is_refused_in_chinese_naming_the_field(db):
    with db.session() as s:
        task = _task(s, ["x#0.1"])
        item_id = s.query(LabelItem.id).filter_by(task_id=task.id).scalar()
        with pytest.raises(InvalidInput) as exc:
            queue.label(s, task, item_id, ANNA, label="zzz")
        assert exc.value.message.startswith("标签：没有“zzz”这个标签") and exc.value.detail == {"field": "label"}
        with pytest.raises(InvalidInput, match="^标签：必须填写"):
            queue.label(s, task, item_id, ANNA)
        with pytest.raises(NotFound, match="条目 999999 不在标注任务"):
            queue.label(s, task, 999999, ANNA, label="a")


def test_aspects_take_a_list_in_the_task_order_and_export_as_aspects(db):
    with db.session() as s:
        task = _task(s, ["物流很快#1", "还行#0"], kind="aspects", labels=("质量", "物流", "价格"))
        ids = [i for (i,) in s.query(LabelItem.id).filter_by(task_id=task.id).order_by(LabelItem.id)]
        with pytest.raises(InvalidInput, match="^方面：没有“外观”这个方面"):
            queue.label(s, task, ids[0], ANNA, aspects=["外观"])
        with pytest.raises(InvalidInput, match="^方面："):
            queue.label(s, task, ids[0], ANNA, label="物流")
        queue.label(s, task, ids[0], ANNA, aspects=["价格", "物流", "价格"])
        queue.label(s, task, ids[1], ANNA, aspects=[])
        lines = [json.loads(x) for x in queue.export_lines(s, task)]
        assert lines == [{"text": "物流很快#1", "aspects": ["物流", "价格"]}, {"text": "还行#0", "aspects": []}]
        assert queue.progress(s, task)["counts"] == {"质量": 0, "物流": 1, "价格": 1, "": 1}


def test_export_holds_labelled_items_only_in_upload_order(db):
    sug = Scripted()
    with db.session() as s:
        task = _task(s, ["一#0.9", "二#0.1", "三#0.5"])
        ids = [i for (i,) in s.query(LabelItem.id).filter_by(task_id=task.id).order_by(LabelItem.id)]
        queue.next_item(s, task, sug, ANNA)
        queue.label(s, task, ids[2], ANNA, label="b")
        queue.label(s, task, ids[0], ANNA, label="a")
        queue.skip(s, task, ids[1], ANNA)
        assert list(queue.export_lines(s, task)) == [
            '{"text": "一#0.9", "label": "a"}\n',
            '{"text": "三#0.5", "label": "b"}\n',
        ]


def test_a_task_with_a_bad_name_writes_nothing(db):
    with db.session() as s:
        with pytest.raises(InvalidInput, match="^任务名称：不能为空"):
            queue.create(s, ANNA, name="  ", kind="intent", labels=["a", "b"], texts=[Text("x")], source="")
        assert queue.tasks(s) == []
