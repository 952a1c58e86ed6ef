"""The live-stream copilot for one room: comments in, labels + aggregates + auto-replies out.

::

    cop = Copilot("room-1", answerer=AssistantAnswerer(assistant), adapter=InMemoryAdapter(), on_event=print,
                  classifier=Classifier(runtime.live_intent(), runtime.sentiment("linear")))
    cop.set_on_stage("SKU-001")
    cop.ingest_many([Comment("room-1", "u1", "这件有XL吗", ts=1700000000.0), ...])
    cop.snapshot()   # JSON-able dict for the host panel

Fast path per comment: validate → normalise → filters (spam / duplicate / flood) → intent +
sentiment (:class:`~shopgen.live.classify.Classifier`, batched, LRU-cached) → aggregation
(:class:`~shopgen.live.aggregate.RoomAggregate`, idempotent by comment id). Time is the comments'
``ts``; all rate limits use it too, so replays behave like the live stream.

Auto-replies: after each batch, ``ask`` clusters with at least ``reply_min_cluster`` questions are
answered biggest first, at most one reply per cluster per ``reply_cooldown_s`` (and only when new
questions arrived since the last one), at most ``replies_per_minute`` per room and
``answers_per_batch`` answerer calls per batch. The answerer sees the cluster's representative
question and the on-stage SKU. Its verdict (an answer, or None: nothing it is sure of) is kept per
question and product; an answerer that *fails* (raises) is not a verdict: the cluster is asked
again ``reply_cooldown_s`` later, so one hiccup does not silence a question for the rest of the stream.

Interfaces (platform connectors and answer sources plug in here):

- **Answerer** — ``answerer(text: str, sku: str | None) -> dict | None``: a dict with at least
  ``"text"`` (optionally ``"route"``, ``"sources"``), or None when it has no answer it is sure of.
  :class:`AssistantAnswerer` adapts :class:`shopgen.assistant.answer.Assistant` and only passes FAQ,
  size-chart and catalog answers (stock, colours, sizes, materials, prices; never free LLM text: the fast path
  must not wait for a model; never orders or personal data: the room is public).
- **Adapter** — ``adapter.send_reply(room: str, text: str, in_reply_to: str) -> None`` posts a reply
  into the room on the platform (Douyin, Taobao Live, Bilibili …); ``in_reply_to`` is the id of the
  latest comment of the cluster being answered. Exceptions are caught, logged and reported as a
  ``reply_failed`` event. :class:`InMemoryAdapter` records replies (tests, demos, the host panel).
- **on_event** — ``on_event(event: dict)``, called synchronously; events are JSON-able dicts with
  ``type`` ∈ {``reply``, ``reply_failed``, ``complaint``, ``on_stage``}, ``room`` and ``ts``:

  - ``{"type": "reply", "room", "ts", "cluster", "question", "count", "text", "route", "sku", "in_reply_to"}``
  - ``{"type": "complaint", "room", "ts", "id", "user", "text", "sentiment"}``
  - ``{"type": "on_stage", "room", "ts", "sku", "previous"}``
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np

from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.live.aggregate import Cluster, RoomAggregate
from shopgen.live.classify import Classifier
from shopgen.live.filters import Filters, FilterSettings
from shopgen.live.normalize import Comment, normalize
from shopgen.live.window import RoomClock

log = logging.getLogger(__name__)


class Answerer(Protocol):
    def __call__(self, text: str, sku: str | None) -> dict | None: ...


class Adapter(Protocol):
    def send_reply(self, room: str, text: str, in_reply_to: str) -> None: ...


class InMemoryAdapter:
    """Keeps every reply it was asked to send (newest last)."""

    def __init__(self) -> None:
        self.sent: list[dict] = []
        self._lock = threading.Lock()

    def send_reply(self, room: str, text: str, in_reply_to: str) -> None:
        with self._lock:
            self.sent.append({"room": room, "text": text, "in_reply_to": in_reply_to})


PRIVATE = "涉及订单和个人信息的问题，请在私信或订单页联系客服查询，直播间里不公开回答哦。"


class AssistantAnswerer:
    """Answers from the customer-service assistant, but only its grounded, model-free routes, and
    never anything personal: a live room is public.

    Uses ``Assistant.prepare`` (never ``reply``), so a question that would need the LLM yields
    None instead of waiting for generation. A question that names an order or carries personal
    data (phone, address, ID …), or that the assistant would answer from an order, gets only
    :data:`PRIVATE` and a ``flag`` for the host."""

    def __init__(
        self, assistant, routes: Iterable[str] = ("faq", "size", "product"), order_pattern: str | None = None
    ) -> None:
        self.assistant = assistant
        self.routes = frozenset(routes) - {"order", "verify"}
        self.order_pattern = order_pattern

    def __call__(self, text: str, sku: str | None) -> dict | None:
        from shopgen.assistant.answer import Reply
        from shopgen.security import pii

        kw = {"order_pattern": self.order_pattern} if self.order_pattern else {}
        found = {f.kind for f in pii.find(text, **kw)}
        if found:
            return {
                "text": PRIVATE,
                "route": "private",
                "sources": [],
                "flag": "order" if found == {"order"} else "personal",
            }
        r = self.assistant.prepare(text, context_sku=sku)
        if r.route in ("order", "verify") or r.intent == "order_status":
            return {"text": PRIVATE, "route": "private", "sources": [], "flag": "order"}
        if not isinstance(r, Reply) or r.route not in self.routes or r.handoff:
            return None
        return {"text": r.text, "route": r.route, "sources": r.sources}


@dataclass
class CopilotSettings:
    window_s: float = 300.0
    bucket_s: float = 10.0
    filters: FilterSettings = field(default_factory=FilterSettings)
    reply_min_cluster: int = 2
    reply_cooldown_s: float = 30.0
    replies_per_minute: int = 6
    answers_per_batch: int = 3
    max_seen: int = 200_000
    latency_samples: int = 20_000
    recent_replies: int = 20
    max_ahead_s: float = 600.0  # a ts this far past the room's clock does not move it alone
    jump_confirm: int = 3  # far-ahead comments in a row that move it (a real gap in the stream)


def _as_comment(c: Comment | dict, room: str) -> Comment:
    if isinstance(c, Comment):
        return c
    return Comment.from_dict(c, room=None if isinstance(c, dict) and "room" in c else room)


class Copilot:
    def __init__(
        self,
        room: str,
        answerer: Answerer | None = None,
        on_event: Callable[[dict], Any] | None = None,
        adapter: Adapter | None = None,
        settings: CopilotSettings | None = None,
        *,
        classifier: Classifier,
    ) -> None:
        if not isinstance(room, str) or not room.strip():
            raise InvalidInput("room is empty")
        self.room = room
        self.settings = s = settings or CopilotSettings()
        self.answerer, self.on_event = answerer, on_event
        self.adapter = adapter if adapter is not None else InMemoryAdapter()
        self.classifier = classifier
        self.filters = Filters(s.filters)
        self.agg = RoomAggregate(room, s.window_s, s.bucket_s, s.max_seen)
        self.clock = RoomClock(s.max_ahead_s, s.jump_confirm)
        self.on_stage: str | None = None
        self.received = 0
        self.dropped: Counter = Counter()
        self.latencies_ms: deque[float] = deque(maxlen=s.latency_samples)
        self.replies: deque[dict] = deque(maxlen=s.recent_replies)
        self._reply_times: deque[float] = deque()
        self.auto_replies = 0
        self._lock = threading.RLock()

    # -- input -------------------------------------------------------------------------------

    def set_on_stage(self, sku: str | None) -> None:
        with self._lock:
            previous, self.on_stage = self.on_stage, (sku or None)
            now = self.agg.now if self.agg.now != float("-inf") else time.time()
        self._emit({"type": "on_stage", "room": self.room, "ts": now, "sku": self.on_stage, "previous": previous})

    def ingest(self, comment: Comment | dict) -> dict:
        return self.ingest_many([comment])[0]

    def ingest_many(self, batch: Iterable[Comment | dict]) -> list[dict]:
        """Run the fast path over a batch; one result per comment:
        ``{"id", "intent", "confidence", "sentiment", "dropped", "counted"}`` (``dropped`` is the
        filter's reason or None; ``counted`` is False for a re-delivered id). Latency is measured
        from the call. A malformed comment raises InvalidInput before anything of the batch is counted."""
        t0 = time.perf_counter()
        comments = [_as_comment(c, self.room) for c in batch]
        for c in comments:
            if c.room != self.room:
                raise InvalidInput(f"comment {c.id} is for room {c.room!r}, not {self.room!r}")
        with self._lock:
            norms = [normalize(c.text) for c in comments]
            results: list[dict] = [
                {"id": c.id, "intent": None, "confidence": None, "sentiment": None, "dropped": None, "counted": False}
                for c in comments
            ]
            keep, batch_ids, times = [], set(), [c.ts for c in comments]
            for i, (c, n) in enumerate(zip(comments, norms)):
                if c.id in self.agg.seen or c.id in batch_ids:
                    continue  # re-delivered: already counted (and already filtered) once
                times[i], back = self.clock.admit(c.ts)
                if back:
                    self._rewind(times[i])
                reason = self.filters.check(c.room, c.user, c.text, n.key, times[i])
                if reason:
                    results[i]["dropped"] = reason
                    self.dropped[reason] += 1
                    self.agg.seen.add(c.id)
                else:
                    keep.append(i)
                batch_ids.add(c.id)
            labelled = self.classifier.classify_normalized([norms[i] for i in keep])
            events = []
            for i, r in zip(keep, labelled):
                c = comments[i]
                results[i].update(r)
                out = self.agg.add(c.id, times[i], c.text, norms[i].key, r, self.on_stage, c.user)
                results[i]["counted"] = out is not False
                if out is not False and r["intent"] == "complain":
                    events.append(
                        {
                            "type": "complaint",
                            "room": self.room,
                            "ts": times[i],
                            "id": c.id,
                            "user": c.user,
                            "text": c.text,
                            "sentiment": r["sentiment"],
                        }
                    )
            self.received += len(comments)
            done = time.perf_counter()
            lat = (done - c0.extra["received"] if "received" in c0.extra else done - t0 for c0 in comments)
            self.latencies_ms.extend(x * 1000.0 for x in lat)
            if self.answerer is not None and any(r["intent"] == "ask" for r in labelled):
                events += self._auto_reply()
        for e in events:
            self._emit(e)
        return results

    def _rewind(self, ts: float) -> None:
        self.agg.rewind(ts)
        self._reply_times = deque(t for t in self._reply_times if t <= ts)

    # -- auto-replies ------------------------------------------------------------------------

    def _auto_reply(self) -> list[dict]:
        s, now = self.settings, self.agg.now
        while self._reply_times and self._reply_times[0] <= now - 60.0:
            self._reply_times.popleft()
        events, calls = [], 0
        for c in self.agg.questions.top(now, 20):
            if len(self._reply_times) >= s.replies_per_minute or calls >= s.answers_per_batch:
                break
            if c.count < s.reply_min_cluster or c.count <= c.replied_count:
                continue
            if c.replied_ts is not None and 0 <= now - c.replied_ts < s.reply_cooldown_s:
                continue
            if c.failed_ts is not None and now - c.failed_ts < s.reply_cooldown_s:
                continue
            answer = self._answer(c, now)
            calls += 1
            if c.failed_ts is not None:
                continue  # the answerer failed: asked again after the cooldown
            if not answer or not answer.get("text"):
                c.replied_count = c.count  # do not ask again until the cluster grows
                continue
            c.replied_ts, c.replied_count = now, c.count
            self._reply_times.append(now)
            event = {
                "type": "reply",
                "room": self.room,
                "ts": now,
                "cluster": c.id,
                "question": c.question,
                "count": c.count,
                "text": answer["text"],
                "route": answer.get("route"),
                "flag": answer.get("flag"),  # "order" | "personal": the host should follow up in private
                "sku": self.on_stage,
                "in_reply_to": c.last_comment,
            }
            try:
                self.adapter.send_reply(self.room, answer["text"], c.last_comment)
            except Exception as exc:  # a platform hiccup must not stop the room
                log.warning("live: send_reply failed in room %s: %s", self.room, exc)
                events.append({**event, "type": "reply_failed", "error": str(exc)})
                continue
            self.auto_replies += 1
            self.replies.append(event)
            events.append(event)
        return events

    def _answer(self, c: Cluster, now: float) -> dict | None:
        """The answerer's verdict on the cluster's question, kept per (question, product). A failure
        is not kept: it sets ``c.failed_ts`` and the question is asked again later."""
        key = (c.question, self.on_stage)
        if c.answer_key != key:
            try:
                answer = self.answerer(c.question, self.on_stage) if self.answerer else None
            except Exception as exc:
                log.warning("live: answerer failed on %r: %s", c.question, exc)
                c.failed_ts = now
                return None
            c.answer, c.answer_key = answer, key
        c.failed_ts = None
        return c.answer

    # -- output ------------------------------------------------------------------------------

    def _emit(self, event: dict) -> None:
        if self.on_event is None:
            return
        try:
            self.on_event(event)
        except Exception as exc:
            log.warning("live: on_event callback failed: %s", exc)

    def latency(self) -> dict:
        with self._lock:
            lat = np.fromiter(self.latencies_ms, np.float64)
        if not len(lat):
            return {"p50": None, "p99": None, "n": 0}
        p50, p99 = np.percentile(lat, [50, 99])
        return {"p50": round(float(p50), 3), "p99": round(float(p99), 3), "n": int(len(lat))}

    def snapshot(self, top: int = 10) -> dict:
        """Everything the host panel shows, JSON-able (see the module docstring for the shape)."""
        with self._lock:
            agg = self.agg.snapshot(top)
            snap = {
                "room": self.room,
                "on_stage": self.on_stage,
                **agg,
                "received": self.received,
                "dropped": dict(self.dropped),
                "clamped_ts": self.clock.clamped,
                "replies": dedupe_replies(self.replies),
                "auto_replies": self.auto_replies,
                "cache": {"hits": self.classifier.hits, "misses": self.classifier.misses},
                "settings": {k: v for k, v in asdict(self.settings).items() if k != "filters"},
            }
        snap["latency_ms"] = self.latency()
        snap["talking_points"] = talking_points(snap)
        return snap


def dedupe_replies(replies) -> list[dict]:
    """The recent auto-replies, oldest first, with a reply whose text was already sent shown once
    (the newest, with ``times``: how often it went out and ``count``: the most askers it answered)."""
    by_text: dict[str, dict] = {}
    for r in replies:
        key = "".join(str(r.get("text", "")).split())
        prev = by_text.pop(key, None)
        times = (prev["times"] if prev else 0) + 1
        count = max(r.get("count", 0), prev["count"] if prev else 0)
        by_text[key] = {**r, "times": times, "count": count}  # re-inserted: ordered by the newest send
    return list(by_text.values())


def talking_points(snap: dict, n: int = 5) -> list[str]:
    """Short prompts for the host, from the panel's own figures."""
    out = []
    for q in snap["top_questions"][:3]:
        if q["count"] >= 2:
            hint = f"：{q['answer']['text'][:40]}" if q.get("answer") else ""
            out.append(f"{q['count']} 人在问「{q['question']}」，口播回答一下{hint}")
    if snap["complaints"]:
        worst = snap["complaints"][0]
        n = sum(c.get("count", 1) for c in snap["complaints"])
        out.append(f"{n} 条抱怨，例如「{worst['text']}」，安抚并说明处理方式")
    if snap["comments"] >= 20 and snap["buy_rate"] >= 0.2:
        out.append(f"下单意愿高（{snap['buy_rate']:.0%} 评论在下单），报库存、催单")
    ret = snap["intents"].get("return", 0)
    if snap["comments"] >= 20 and ret / snap["comments"] >= 0.05:
        out.append("退换货问题较多，说明一下售后和七天无理由政策")
    return out[:n]


class Rooms:
    """Registry of running copilots, one per room (the API layer keeps one of these)."""

    def __init__(self, factory: Callable[..., Copilot] = Copilot) -> None:
        self.factory = factory
        self._rooms: dict[str, Copilot] = {}
        self._lock = threading.Lock()

    def create(self, room: str, exist_ok: bool = False, **kwargs) -> Copilot:
        with self._lock:
            if room in self._rooms:
                if exist_ok:
                    return self._rooms[room]
                raise Conflict(f"live room already exists: {room}")
            cop = self._rooms[room] = self.factory(room, **kwargs)
            return cop

    def get(self, room: str) -> Copilot:
        with self._lock:
            try:
                return self._rooms[room]
            except KeyError:
                raise NotFound(f"no such live room: {room}") from None

    def remove(self, room: str) -> None:
        with self._lock:
            if self._rooms.pop(room, None) is None:
                raise NotFound(f"no such live room: {room}")

    def names(self) -> list[str]:
        with self._lock:
            return sorted(self._rooms)

    def __contains__(self, room: str) -> bool:
        return room in self._rooms

    def ingest(self, comment: Comment | dict) -> dict:
        """Route one comment to its room's copilot (NotFound for a room never created)."""
        c = comment if isinstance(comment, Comment) else Comment.from_dict(comment)
        return self.get(c.room).ingest(c)
