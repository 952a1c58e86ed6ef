"""Where a live room's figures are kept: in this process (``memory``) or in Redis (``redis``, shared
by N workers). Both run the same fast path (validation, filters, the comment classifier) and give
back the same figures, checked by one contract test run against each (tests/live/test_contract_state.py).

- ``memory``: :class:`~shopgen.live.pipeline.Copilot` rooms; figures over a sliding window
  (``window_s``, 300 s by default), the question clusters and auto-replies with them.
- ``redis``: :class:`~shopgen.live.bus.RedisBus` + :class:`~shopgen.live.bus.Worker`; figures since
  the room began, kept in Redis so every worker process sees them (auto-replies stay in-process).

:meth:`RoomState.snapshot` returns the part of the host panel's figures both keep:
``comments``, ``intents``, ``buy_rate``, ``dropped``, ``top_questions`` (``question``, ``count``,
``examples``) and ``complaints`` (``id``, ``user``, ``text``, ``ts``, ``sentiment``; most negative first).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Protocol

from shopgen.core.registry import Registry
from shopgen.live.classify import Classifier
from shopgen.live.filters import FilterSettings
from shopgen.live.normalize import Comment
from shopgen.live.pipeline import Copilot, CopilotSettings, Rooms


class RoomState(Protocol):
    name: str

    def ingest(self, comments: Iterable[Comment]) -> None:
        """Run the fast path over comments of any rooms and count them (re-delivered ids once)."""
        ...

    def snapshot(self, room: str, top: int = 10) -> dict: ...


room_states: Registry[RoomState] = Registry("live room state")

_QUESTION = ("question", "count", "examples")
_COMPLAINT = ("id", "user", "text", "ts", "sentiment")


def _common(snap: dict) -> dict:
    return {
        "comments": snap["comments"],
        "intents": dict(snap["intents"]),
        "buy_rate": snap["buy_rate"],
        "dropped": dict(snap["dropped"]),
        "top_questions": [{k: q[k] for k in _QUESTION} for q in snap["top_questions"]],
        "complaints": [{k: c[k] for k in _COMPLAINT} for c in snap["complaints"]],
    }


class MemoryRoomState:
    name = "memory"

    def __init__(self, classifier: Classifier, filters: FilterSettings | None = None, window_s: float = 300.0):
        settings = CopilotSettings(window_s=window_s, filters=filters or FilterSettings())
        self.rooms = Rooms(factory=partial(Copilot, classifier=classifier, settings=settings))

    def ingest(self, comments: Iterable[Comment]) -> None:
        by_room: dict[str, list[Comment]] = {}
        for c in comments:
            by_room.setdefault(c.room, []).append(c)
        for room, items in by_room.items():
            self.rooms.create(room, exist_ok=True).ingest_many(items)

    def snapshot(self, room: str, top: int = 10) -> dict:
        return _common(self.rooms.get(room).snapshot(top))


class RedisRoomState:
    name = "redis"

    def __init__(self, classifier: Classifier, bus) -> None:
        from shopgen.live.bus import Worker

        self.bus = bus
        self.bus.ensure_group()
        self.worker = Worker(bus, "room-state", block_ms=50, classifier=classifier)

    def ingest(self, comments: Iterable[Comment]) -> None:
        """Publish, then work the stream until this room state's group has nothing left."""
        self.bus.publish(None, comments)
        self.worker.run(until=lambda: self.bus.lag() == 0)

    def snapshot(self, room: str, top: int = 10) -> dict:
        return _common(self.bus.snapshot(room, top))


@room_states.register("memory")
def _memory(classifier: Classifier, filters: FilterSettings | None = None, **_) -> RoomState:
    return MemoryRoomState(classifier, filters)


@room_states.register("redis")
def _redis(
    classifier: Classifier,
    filters: FilterSettings | None = None,
    url: str = "redis://127.0.0.1:6379/0",
    prefix: str = "shopgen:live",
    client=None,
) -> RoomState:
    from shopgen.live.bus import RedisBus

    return RedisRoomState(classifier, RedisBus(url, prefix=prefix, client=client, filters=filters))
