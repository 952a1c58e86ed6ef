import json
from functools import partial

import pytest

from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.live.normalize import Comment
from shopgen.live.pipeline import AssistantAnswerer, Copilot, CopilotSettings, InMemoryAdapter, Rooms


class FakeAnswerer:
    def __init__(self):
        self.calls = []

    def __call__(self, text, sku):
        self.calls.append((text, sku))
        return {"text": f"{sku}: 有的", "route": "faq"}


def _ask(i, ts, text="这件有XL吗"):
    return Comment("r", f"u{i}", text, ts)


def test_ingest_counts_once_and_drops_spam(classifier):
    cop = Copilot("r", classifier=classifier)
    c = Comment("r", "u1", "扣1", 1.0, id="m1")
    first, again = cop.ingest(c), cop.ingest(c)
    assert first["intent"] == "buy" and first["counted"] and not again["counted"]
    assert cop.ingest({"user": "u2", "text": "加微信abc123", "ts": 2})["dropped"] == "spam:contact"
    s = cop.snapshot()
    assert s["intents"]["buy"] == 1 and s["comments"] == 1 and s["dropped"] == {"spam:contact": 1}
    with pytest.raises(InvalidInput, match="not 'r'"):
        cop.ingest(Comment("other", "u", "hi", 1))


def test_auto_reply_rate_limited_per_cluster_and_room(classifier):
    events, adapter, ans = [], InMemoryAdapter(), FakeAnswerer()
    cop = Copilot(
        "r",
        classifier=classifier,
        answerer=ans,
        on_event=events.append,
        adapter=adapter,
        settings=CopilotSettings(reply_cooldown_s=30, replies_per_minute=2),
    )
    cop.set_on_stage("SKU-1")
    cop.ingest_many([_ask(1, 0.0)])
    assert adapter.sent == []  # a single question is not a cluster yet
    cop.ingest_many([_ask(2, 1.0), _ask(3, 2.0, "这件有xl码吗")])
    assert [s["text"] for s in adapter.sent] == ["SKU-1: 有的"]
    assert adapter.sent[0]["in_reply_to"] == cop.agg.questions.top(2.0)[0].last_comment
    cop.ingest_many([_ask(4, 10.0)])  # same cluster within 30 s: no second reply
    assert len(adapter.sent) == 1
    cop.ingest_many([_ask(5, 40.0)])  # cooldown over, new questions arrived
    assert len(adapter.sent) == 2
    for i, q in enumerate(["包邮吗", "敏感肌能用吗", "什么时候发货"]):  # room budget: 2 a minute
        cop.ingest_many([_ask(10 + i, 41.0 + i, q), _ask(20 + i, 41.0 + i, q)])
    assert len(adapter.sent) == 2
    replies = [e for e in events if e["type"] == "reply"]
    assert len(replies) == 2 and replies[0]["sku"] == "SKU-1" and replies[0]["count"] == 3
    assert events[0]["type"] == "on_stage"
    assert len(ans.calls) == 1  # the cluster's answer is cached per (question, sku)


def test_biggest_cluster_answered_first(classifier):
    adapter = InMemoryAdapter()
    cop = Copilot(
        "r",
        classifier=classifier,
        answerer=lambda text, sku: {"text": "答:" + text},
        adapter=adapter,
        settings=CopilotSettings(replies_per_minute=1),
    )
    batch = [_ask(i, 1.0, "包邮吗") for i in range(2)] + [_ask(10 + i, 1.0, "敏感肌能用吗") for i in range(4)]
    cop.ingest_many(batch)
    assert [s["text"] for s in adapter.sent] == ["答:敏感肌能用吗"]


def test_answerer_none_means_no_reply_and_failures_are_contained(classifier):
    calls = []

    def broken(text, sku):
        calls.append(text)
        raise RuntimeError("boom")

    def unsure(text, sku):
        calls.append(text)
        return None

    for answerer in (broken, unsure):
        calls.clear()
        adapter = InMemoryAdapter()
        cop = Copilot("r", answerer=answerer, adapter=adapter, classifier=classifier)
        cop.ingest_many([_ask(1, 1.0), _ask(2, 2.0)])
        assert calls, f"{answerer.__name__} was never asked"
        assert cop.auto_replies == 0 and adapter.sent == []


def test_snapshot_shape_is_json(classifier):
    events = []
    cop = Copilot("r", answerer=FakeAnswerer(), on_event=events.append, classifier=classifier)
    cop.set_on_stage("SKU-9")
    cop.ingest_many(
        [
            _ask(1, 1.0),
            _ask(2, 2.0),
            Comment("r", "u3", "发货太慢了，客服也不回", 3.0),
            Comment("r", "u4", "已拍", 4.0),
            Comment("r", "u5", "主播好漂亮", 12.0),
        ]
    )
    s = json.loads(json.dumps(cop.snapshot()))
    for key in (
        "room",
        "on_stage",
        "intents",
        "buy_rate",
        "top_questions",
        "complaints",
        "sentiment",
        "replies",
        "latency_ms",
        "talking_points",
        "by_sku",
        "dropped",
        "received",
    ):
        assert key in s
    assert s["on_stage"] == "SKU-9" and s["by_sku"]["SKU-9"]["comments"] == 5
    assert s["top_questions"][0]["answer"]["text"] == "SKU-9: 有的" and s["top_questions"][0]["replied"]
    assert s["complaints"][0]["text"] == "发货太慢了，客服也不回"
    assert [b["t"] for b in s["sentiment"]] == [0.0, 10.0]
    assert s["latency_ms"]["n"] == 5 and s["latency_ms"]["p99"] >= s["latency_ms"]["p50"]
    assert any("这件有XL吗" in t for t in s["talking_points"])
    assert [e["type"] for e in events] == ["on_stage", "complaint", "reply"]


def test_the_same_auto_reply_is_listed_once():
    from shopgen.live.pipeline import dedupe_replies

    sent = [
        {"text": "有XL的，库存充足", "question": "这件有XL吗", "count": 3, "ts": 1.0},
        {"text": "包邮的", "question": "包邮吗", "count": 2, "ts": 2.0},
        {"text": "有XL的，库存充足", "question": "这件有xl码吗", "count": 5, "ts": 3.0},
        {"text": "有XL的， 库存充足", "question": "这件有XL吗", "count": 4, "ts": 4.0},
    ]
    out = dedupe_replies(sent)
    assert [(r["text"], r["times"], r["count"], r["ts"]) for r in out] == [
        ("包邮的", 1, 2, 2.0),
        ("有XL的， 库存充足", 3, 5, 4.0),
    ]


def test_rooms_registry(classifier):
    rooms = Rooms(factory=partial(Copilot, classifier=classifier))
    cop = rooms.create("a")
    assert rooms.get("a") is cop and rooms.create("a", exist_ok=True) is cop and rooms.names() == ["a"]
    with pytest.raises(Conflict):
        rooms.create("a")
    with pytest.raises(NotFound, match="no such live room: b"):
        rooms.get("b")
    with pytest.raises(NotFound):
        rooms.ingest({"room": "b", "user": "u", "text": "hi", "ts": 1})
    assert rooms.ingest({"room": "a", "user": "u", "text": "包邮吗", "ts": 1})["intent"] == "ask"


def test_assistant_answerer_only_passes_model_free_routes():
    from shopgen.assistant.answer import Draft, Reply

    class FakeAssistant:
        def __init__(self, r):
            self.r = r

        def prepare(self, text, history=None, context_sku=None):
            return self.r

    assert AssistantAnswerer(FakeAssistant(Reply("七天无理由", "faq")))("能退吗", "S")["text"] == "七天无理由"
    # a public room never discloses an order or personal data, whatever the assistant would say
    order = Reply("订单 SG202611010001 已发货，运单号 SF1", "order")
    for text in ("SG202611010001到哪了", "我的快递到哪了"):
        got = AssistantAnswerer(FakeAssistant(order))(text, "S")
        assert got["route"] == "private" and got["flag"] == "order" and "SF1" not in got["text"]
    got = AssistantAnswerer(FakeAssistant(Reply("七天无理由", "faq")))("我电话13800138001能退吗", "S")
    assert got["flag"] == "personal" and "13800138001" not in got["text"]
    assert AssistantAnswerer(FakeAssistant(Draft([], [], "")))("能退吗", "S") is None
    assert AssistantAnswerer(FakeAssistant(Reply("转人工", "handoff", handoff=True)))("x", None) is None


def test_a_failed_answer_does_not_silence_the_question_for_the_rest_of_the_stream(classifier):
    """The answerer failing once (the knowledge index was rebuilding, a database hiccup) is not a
    verdict: the cluster is asked again after the cooldown, and answered."""
    calls = []

    def flaky(text, sku):
        calls.append(text)
        if len(calls) == 1:
            raise RuntimeError("index not ready")
        return {"text": "有XL的", "route": "faq"}

    adapter = InMemoryAdapter()
    cop = Copilot(
        "r", answerer=flaky, adapter=adapter, classifier=classifier, settings=CopilotSettings(reply_cooldown_s=30)
    )
    cop.ingest_many([_ask(1, 1.0), _ask(2, 2.0)])
    assert len(calls) == 1 and adapter.sent == []
    cop.ingest_many([_ask(3, 10.0)])  # within the cooldown: not asked again yet
    assert len(calls) == 1
    cop.ingest_many([_ask(4, 40.0)])
    assert len(calls) == 2 and [s["text"] for s in adapter.sent] == ["有XL的"]
    assert cop.snapshot()["top_questions"][0]["answer"]["text"] == "有XL的"
