"""The contract every live room state passes: the same stream, the same figures, whether a room
is kept in this process (``memory``) or in Redis (``redis``, skipped with a reason when no server
is reachable, required in CI)."""

import pytest

from shopgen.live.normalize import Comment
from shopgen.live.state import room_states

STREAM = [
    ("u1", "扣1"),
    ("u2", "这件有XL吗"),
    ("u3", "这件有ＸＬ吗？"),
    ("u4", "包邮吗"),
    ("u5", "发货太慢了，等了一周"),
    ("u6", "已拍"),
    ("u7", "加我vx abc12345 领福利"),
    ("u8", "包邮吗"),
    ("u9", "主播好漂亮"),
    ("u10", "客服一直不回消息，差评"),
    ("u2", "这件有XL吗"),  # the same user again 10 s later: a duplicate
    ("u11", "怎么退货"),
]


def _comments(room="r1"):
    return [Comment(room, user, text, float(i), id=f"c{i}") for i, (user, text) in enumerate(STREAM)]


def test_every_registered_state_has_a_contract_run():
    assert room_states.names() == ["memory", "redis"]


class RoomStateContract:
    """Subclasses provide ``state``, built from the session's comment classifier."""

    def test_counts_intents_and_drops(self, state):
        state.ingest(_comments())
        s = state.snapshot("r1")
        assert s["dropped"] == {"spam:contact": 1, "duplicate": 1}
        assert s["comments"] == len(STREAM) - 2 == sum(s["intents"].values())
        assert {k: v for k, v in s["intents"].items() if v} == {
            "buy": 2,
            "ask": 4,
            "complain": 2,
            "return": 1,
            "other": 1,
        }
        assert s["buy_rate"] == 0.2

    def test_a_redelivered_comment_is_counted_once(self, state):
        state.ingest(_comments())
        first = state.snapshot("r1")
        state.ingest(_comments())
        assert state.snapshot("r1") == first

    def test_questions_are_clustered_and_complaints_listed_most_negative_first(self, state):
        state.ingest(_comments())
        s = state.snapshot("r1")
        assert [q["count"] for q in s["top_questions"]] == [2, 2]  # 这件有XL吗 / 这件有ＸＬ吗？, 包邮吗 ×2
        assert sorted(len(q["examples"]) for q in s["top_questions"]) == [1, 2]
        assert {c["id"] for c in s["complaints"]} == {"c4", "c9"}
        scores = [c["sentiment"] for c in s["complaints"]]
        assert scores == sorted(scores) and all(0 <= x < 0.5 for x in scores)

    def test_rooms_are_kept_apart(self, state):
        state.ingest(_comments("a") + _comments("b")[:3])
        assert state.snapshot("a")["comments"] == 10 and state.snapshot("b")["comments"] == 3


class TestMemory(RoomStateContract):
    @pytest.fixture
    def state(self, classifier):
        return room_states.create("memory", classifier)


class TestRedis(RoomStateContract):
    @pytest.fixture
    def state(self, classifier, redis_bus):
        return room_states.create("redis", classifier, prefix=redis_bus.prefix, client=redis_bus.client)
