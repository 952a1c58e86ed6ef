from pathlib import Path

import pytest

from shopgen.core.errors import InvalidInput
from shopgen.live import replay
from shopgen.live.aggregate import QuestionClusters, RoomAggregate

DATA = Path(__file__).parent / "data"


def _r(intent, score=0.5, label="negative"):
    return {"intent": intent, "confidence": 0.9, "sentiment": {"label": label, "score": score}}


def test_aggregation_is_idempotent():
    agg = RoomAggregate("r")
    assert agg.add("c1", 10.0, "扣1", "扣1", _r("buy")) is True
    assert agg.add("c1", 10.0, "扣1", "扣1", _r("buy")) is False  # re-delivered
    agg.add("c2", 11.0, "主播好", "主播好", _r("other", 0.9, "positive"))
    s = agg.snapshot()
    assert s["intents"]["buy"] == 1 and s["comments"] == 2 and s["buy_rate"] == 0.5
    assert s["redelivered"] == 1 and s["counted"] == 2


def test_window_slides():
    agg = RoomAggregate("r", window_s=60, bucket_s=10)
    agg.add("a", 0.0, "扣1", "扣1", _r("buy"))
    agg.add("b", 100.0, "666", "666", _r("other"))
    s = agg.snapshot()
    assert s["intents"]["buy"] == 0 and s["intents"]["other"] == 1
    assert [b["t"] for b in s["sentiment"]] == [100.0]


def test_question_clusters_group_near_duplicates():
    q = QuestionClusters(min_dice=0.5)
    for i, text in enumerate(["这件有xl吗", "这件有xl吗", "这件有xl码吗", "包邮吗", "新疆包邮吗", "敏感肌能用吗"]):
        q.add(text, text, float(i), f"c{i}")
    top = q.top(10.0)
    assert [(c.question, c.count) for c in top] == [("这件有xl吗", 3), ("包邮吗", 2), ("敏感肌能用吗", 1)]
    assert top[0].last_comment == "c2"


def test_identical_and_near_identical_complaints_are_one_with_a_count():
    agg = RoomAggregate("r")
    texts = [
        "发货太慢了，等了一周",
        "发货太慢了，等了一周",
        "发货太慢了等了一周！",
        "发货太慢了，等了一周了",
        "客服不回消息",
    ]
    for i, text in enumerate(texts):
        agg.add(f"c{i}", float(i), text, text, _r("complain", 0.2 - i * 0.01), user=f"u{i % 3}")
    complaints = agg.snapshot()["complaints"]
    assert [(c["text"], c["count"]) for c in complaints] == [("客服不回消息", 1), ("发货太慢了，等了一周了", 4)]
    assert sorted(complaints[1]["users"]) == ["u0", "u1", "u2"] and complaints[1]["last_ts"] == 3.0


def test_complaints_most_negative_first():
    agg = RoomAggregate("r")
    agg.add("a", 1.0, "发货慢", "发货慢", _r("complain", 0.3))
    agg.add("b", 2.0, "客服太差了", "客服太差了", _r("complain", 0.01))
    assert [c["id"] for c in agg.snapshot()["complaints"]] == ["b", "a"]


def test_read_bilibili_xml():
    cs = replay.read(DATA / "danmaku.xml")
    assert [(c.room, c.user, c.text, c.ts, c.id) for c in cs] == [
        ("bilibili-12345", "a1b2c3", "这件有XL吗", 1.5, "9001"),
        ("bilibili-12345", "d4e5f6", "扣1", 2.0, "9002"),
        ("bilibili-12345", "a1b2c3", "发货太慢 & 客服不回", 3.25, "9003"),
    ]


def test_read_bilibili_csv_and_room_override():
    cs = replay.read(DATA / "bilibili.csv", "auto")
    assert [(c.room, c.user, c.text, c.ts, c.id) for c in cs] == [
        ("P2", "74f5f189", "包邮吗", 453.0, "3858893191"),
        ("P2", "330f8e54", "已拍,开心", 3789.0, "3859964859"),
        ("P3", "61309383", "主播好", 7.0, "3868304125"),
    ]
    assert {c.room for c in replay.read(DATA / "bilibili.csv", room="x")} == {"x"}


def test_read_jsonl():
    cs = replay.read(DATA / "comments.jsonl")
    assert [c.text for c in cs] == ["这件有XL吗", "已拍", "发货太慢了"] and cs[1].id == "m2"


@pytest.mark.parametrize(
    "name, fmt, message",
    [
        ("danmaku_bad.xml", "auto", "danmaku_bad.xml line 3 column 1 (comment 2): <d p> has 3 fields, expected 8"),
        ("bad.csv", "csv", "bad.csv line 4: ts is not a number or hh:mm:ss: 'not-a-time'"),
        ("bad.jsonl", "jsonl", "bad.jsonl line 2: comment is missing text"),
        ("comments.jsonl", "csv", "comments.jsonl line 1:"),
    ],
)
def test_malformed_line_named(name, fmt, message):
    with pytest.raises(InvalidInput) as e:
        replay.read(DATA / name, fmt)
    assert e.value.message.startswith(message), e.value.message


def test_paced_speeds():
    cs = replay.read(DATA / "comments.jsonl")
    assert [len(b) for b in replay.paced(cs, None, batch=2)] == [2, 1]
    t = [0.0]
    slept = []

    def clock():
        return t[0]

    def sleep(s):
        slept.append(round(s, 3))
        t[0] += s

    out = [[c.text for c in b] for b in replay.paced(cs, 2.0, clock=clock, sleep=sleep)]
    assert out == [["这件有XL吗"], ["已拍"], ["发货太慢了"]] and slept == [0.75, 0.75]
    with pytest.raises(InvalidInput):
        list(replay.paced(cs, 0))


def test_question_clusters_take_a_weight():
    q = QuestionClusters(min_dice=0.5)
    q.add("包邮吗", "包邮吗", 1.0, "c1", weight=4)
    q.add("新疆包邮吗", "新疆包邮吗", 2.0, "c2", weight=3)
    assert [(c.question, c.count) for c in q.top(2.0)] == [("包邮吗", 7)]


def test_parse_speed():
    assert replay.parse_speed("max") is None and replay.parse_speed(None) is None
    assert replay.parse_speed("2.5") == 2.5 and replay.parse_speed(4) == 4.0
    for bad, message in [
        ("fast", "--speed must be 'max' or a positive number, not 'fast'"),
        ("0", "--speed must be positive"),
        ("-1", "--speed must be positive"),
        ("nan", "--speed must be positive"),
    ]:
        with pytest.raises(InvalidInput) as e:
            replay.parse_speed(bad, "--speed")
        assert e.value.message == message
    with pytest.raises(InvalidInput, match=r"speed must be 'max' or a number in \(0, 1000\]"):
        replay.parse_speed(1001, most=1000)
