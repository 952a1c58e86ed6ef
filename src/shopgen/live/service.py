"""The copilot inside the app: rooms, the host panel's event log, replays, scripts and voice.

One :class:`LiveService` per app, built by the composition root (:mod:`shopgen.server`) from the
database, the assistant's shared index, the runtime and the settings. Rooms are
in-process :class:`~shopgen.live.pipeline.Copilot` objects (the Redis bus in
:mod:`shopgen.live.bus` is the scale-out path for N worker processes); auto-replies come from the
customer-service assistant's model-free routes (FAQ, size chart, orders) with the on-stage product
as context, and are spoken by the virtual host voice when the room has voice on.

Every reply, complaint and on-stage change is appended to the room's event log with a sequence
number; the panel's SSE stream sends what is new plus a fresh snapshot once a second.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.live import replay as replay_mod
from shopgen.live.classify import Classifier
from shopgen.live.pipeline import AssistantAnswerer, Copilot, Rooms

log = logging.getLogger(__name__)

DEMO_RECORDING = Path(__file__).resolve().parents[1] / "demo" / "data" / "live_comments.jsonl"
MAX_ROOMS = 50
EVENT_LOG = 500
ROOM_CHARS = 64
MAX_WAIT_S = 10.0  # a replay waits at most this long for its next comment (a break in a recording is cut short)
STOP_WAIT_S = 5.0  # how long stopping waits for the replay's thread to finish its batch
SHOWN_REJECTS = 20


def check_room(room: str) -> str:
    """A room name without outer spaces: letters of any script (我的直播间), digits, ``-``, ``_``
    and single spaces inside; InvalidInput in Chinese otherwise."""
    room = (room or "").strip()
    if not room:
        raise InvalidInput("直播间名称：不能为空")
    if len(room) > ROOM_CHARS:
        raise InvalidInput(f"直播间名称：最多 {ROOM_CHARS} 个字符，现在是 {len(room)} 个")
    if "  " in room or any(not (c.isalnum() or c in "-_ ") for c in room):
        raise InvalidInput("直播间名称：只能包含中英文字母、数字、- _ 和中间的单个空格")
    return room


class RoomLog:
    """A bounded, numbered log of one room's events (thread-safe)."""

    def __init__(self) -> None:
        self.events: deque[dict] = deque(maxlen=EVENT_LOG)
        self.seq = 0
        self.lock = threading.Lock()

    def add(self, event: dict) -> None:
        with self.lock:
            self.seq += 1
            self.events.append({**event, "seq": self.seq})

    def after(self, seq: int) -> list[dict]:
        with self.lock:
            return [e for e in self.events if e["seq"] > seq]


class Replay:
    def __init__(self, room: str, comments: list, speed: float | None, rejected: list[dict] | None = None) -> None:
        self.room, self.comments, self.speed = room, comments, speed
        self.rejected = rejected or []
        self.sent = 0
        self.status = "running"
        self.error: str | None = None
        self.started = time.time()
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def halt(self) -> None:
        """Stop, and give the thread a moment to finish its batch (its waits end at once)."""
        self.stop.set()
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join(STOP_WAIT_S)

    def to_dict(self) -> dict:
        return {
            "room": self.room,
            "total": len(self.comments),
            "sent": self.sent,
            "status": self.status,
            "speed": self.speed or "max",
            "error": self.error,
            "rejected": len(self.rejected),
            "rejects": self.rejected[:SHOWN_REJECTS],
        }


class LiveService:
    def __init__(self, db, index, runtime, settings) -> None:
        """``index`` is the assistant's shared knowledge index (``assistant.shared.SharedIndex``);
        ``runtime`` owns the models (the comment intent and sentiment models, the assistant's intent
        model, the LLM for scripts, the voice)."""
        self.db, self.index, self.runtime, self.settings = db, index, runtime, settings
        self.rooms = Rooms(factory=self._make)
        self.logs: dict[str, RoomLog] = {}
        self.replays: dict[str, Replay] = {}
        self.voice_on: dict[str, bool] = {}
        self.scripts: dict[tuple, dict] = {}  # per (SKU, facts): a price change writes a new script
        self.cards: dict[str, dict | None] = {}  # room -> the on-stage product's card
        self._answerer_for: tuple | None = None  # (index, its AssistantAnswerer)
        self._classifier: Classifier | None = None
        self._lock = threading.Lock()
        self._voice = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-voice")

    # -- rooms -------------------------------------------------------------------------------

    def classifier(self) -> Classifier:
        """One comment classifier (and its cache) for every room, over the runtime's models."""
        with self._lock:
            if self._classifier is None:
                self._classifier = Classifier(self.runtime.live_intent(), self.runtime.sentiment("linear"))
            return self._classifier

    def _make(self, room: str, **kwargs) -> Copilot:
        self.logs[room] = RoomLog()
        return Copilot(
            room,
            answerer=self._answer,
            on_event=lambda e: self._on_event(room, e),
            classifier=self.classifier(),
            **kwargs,
        )

    def open(self, room: str, sku: str | None = None, voice: bool = False) -> dict:
        room = check_room(room)
        if room not in self.rooms and len(self.rooms.names()) >= MAX_ROOMS:
            raise Conflict(f"too many live rooms (at most {MAX_ROOMS}); close one first")
        fresh = room not in self.rooms
        self.rooms.create(room, exist_ok=True)
        self.voice_on[room] = bool(voice)
        if fresh:  # build the knowledge index now, not inside the first batch that needs an answer
            threading.Thread(target=self._warm, name=f"warm-{room}", daemon=True).start()
        if sku is not None:
            self.stage(room, sku)
        return self.room_info(room)

    def _warm(self) -> None:
        try:  # the index, its dense half (embeds the shop's documents), the query embedder and the answerer
            self._answerer().assistant.prepare("包邮吗")
        except Exception as exc:  # noqa: BLE001 - the first auto-reply will report it
            log.warning("could not prepare the knowledge index: %s", exc)

    def close(self, room: str) -> None:
        self.rooms.remove(room)
        if room in self.replays:
            self.replays[room].halt()
        self.logs.pop(room, None)
        self.voice_on.pop(room, None)
        self.cards.pop(room, None)

    def get(self, room: str) -> Copilot:
        return self.rooms.get(room)

    def room_info(self, room: str) -> dict:
        cop = self.get(room)
        rep = self.replays.get(room)
        return {
            "room": room,
            "on_stage": cop.on_stage,
            "voice": self.voice_on.get(room, False),
            "received": cop.received,
            "replay": rep.to_dict() if rep else None,
        }

    def stage(self, room: str, sku: str | None) -> dict | None:
        cop = self.get(room)
        card = self.product_card(sku) if sku else None
        cop.set_on_stage(sku or None)
        self.cards[room] = card
        return card

    def card(self, room: str) -> dict | None:
        """The on-stage product's card, built when it was staged: the panel's feed asks once a
        second per open panel, and a catalog read each time is wasted work. Rebuilt only when the
        room's product was changed behind :meth:`stage`'s back (``Copilot.set_on_stage``)."""
        sku = self.get(room).on_stage
        card = self.cards.get(room)
        if (card["sku"] if card else None) != sku:
            card = self.cards[room] = self.product_card(sku) if sku else None
        return card

    def product_card(self, sku: str) -> dict:
        from shopgen.store import catalog

        with self.db.session() as s:
            p = catalog.get_by_sku(s, sku)
            if p is None:
                raise NotFound(f"no product with SKU {sku}")
            d = catalog.to_dict(p)
        return {
            "sku": d["sku"],
            "title": d["title"],
            "price": d["price"],
            "stock": d["stock"],
            "category": d["category"],
            "brand": d["brand"],
            "attributes": d["attributes"],
            "colors": sorted({v["color"] for v in d["variants"] if v["color"]}),
            "sizes": sorted({v["size"] for v in d["variants"] if v["size"]}),
            "image": d["images"][0]["url"] if d["images"] else None,
        }

    # -- the pipeline's callbacks ------------------------------------------------------------

    def _answer(self, text: str, sku: str | None) -> dict | None:
        return self._answerer()(text, sku)

    def _answerer(self) -> AssistantAnswerer:
        """One answerer per knowledge index, not one per call: it runs under the room's lock.

        The index's cheap fingerprint is still checked each call (``SharedIndex.get``) so shop
        edits reach the live replies; the Assistant is rebuilt only when the index was. No LLM
        backend is made: :class:`AssistantAnswerer` only calls ``prepare`` (as ``cli/live.py``)."""
        from shopgen.assistant.answer import assistant_over

        index = self.index.get()
        with self._lock:
            if self._answerer_for is None or self._answerer_for[0] is not index:
                answerer = AssistantAnswerer(
                    assistant_over(self.db, index, None, self.runtime.intent()),
                    order_pattern=self.settings.pii_order_pattern,
                )
                self._answerer_for = (index, answerer)
            return self._answerer_for[1]

    def _on_event(self, room: str, event: dict) -> None:
        if event.get("type") == "reply" and self.voice_on.get(room):
            # speak off the ingest path: the audio lands in the speaker's cache, so the panel's
            # request for it (POST /api/live/speak with the same text) is answered at once
            self._voice.submit(self._say_quietly, event["text"])
        room_log = self.logs.get(room)
        if room_log is not None:
            room_log.add(event)

    def events_after(self, room: str, seq: int) -> list[dict]:
        self.get(room)
        room_log = self.logs.get(room)
        return room_log.after(seq) if room_log else []

    # -- ingest and replay -------------------------------------------------------------------

    def ingest(self, room: str, comments: list[dict]) -> list[dict]:
        return self.get(room).ingest_many(comments)

    def start_replay(
        self, room: str, source: str | Path | None = None, speed: float | None = 1.0, *, fmt: str = "auto"
    ) -> dict:
        cop = self.get(room)
        current = self.replays.get(room)
        if current and current.status == "running" and current.stop.is_set():
            current.halt()  # being stopped: let it finish
        if current and current.status == "running":
            raise Conflict(f"a replay is already running in room {room}")
        rejected: list[dict] = []  # comments a live room would refuse (over 200 characters …): counted, skipped
        comments = replay_mod.read(source or DEMO_RECORDING, fmt, room=room, rejected=rejected)
        if not comments:
            first = f"; the first rejected at {rejected[0]['at']}: {rejected[0]['error']}" if rejected else ""
            raise InvalidInput(f"the recording holds no valid comments ({len(rejected)} rejected{first})")
        rep = self.replays[room] = Replay(room, comments, speed, rejected)
        rep.thread = threading.Thread(target=self._run_replay, args=(cop, rep), name=f"replay-{room}", daemon=True)
        rep.thread.start()
        return rep.to_dict()

    def _run_replay(self, cop: Copilot, rep: Replay) -> None:
        try:
            pace = replay_mod.paced(rep.comments, rep.speed, batch=256, max_wait=MAX_WAIT_S, stop=rep.stop)
            for batch in pace:
                if rep.stop.is_set():
                    break
                cop.ingest_many(batch)
                rep.sent += len(batch)
            rep.status = "stopped" if rep.stop.is_set() else "done"
        except Exception as exc:  # noqa: BLE001 - reported on the panel
            log.exception("replay failed")
            rep.status, rep.error = "failed", str(exc)

    def stop_replay(self, room: str) -> dict:
        self.get(room)
        rep = self.replays.get(room)
        if rep is None:
            raise NotFound(f"no replay in room {room}")
        rep.halt()
        return rep.to_dict()

    # -- script and voice --------------------------------------------------------------------

    def script_facts(self, room: str) -> tuple[str, list]:
        """(SKU, facts) of the on-stage product; raises before any script is written."""
        from shopgen.copywriting import attrs
        from shopgen.store import catalog

        sku = self.get(room).on_stage
        if not sku:
            raise InvalidInput("请先把一个商品设为讲解中，再生成口播稿", {"field": "sku"})
        with self.db.session() as s:
            p = catalog.get_by_sku(s, sku)
            if p is None:
                raise NotFound(f"没有 SKU 为 {sku} 的商品", {"sku": sku})
            return sku, attrs.product_facts(p)  # prices a shopper pays, never a stale product price

    def script(self, room: str, refresh: bool = False) -> dict:
        """The on-stage product's live script (copywriting's ``live_script``), cached per SKU."""
        out = None
        for item in self.script_stream(room, refresh):
            if isinstance(item, dict):
                out = item
        assert out is not None
        return out

    def script_stream(self, room: str, refresh: bool = False, *, prepared: tuple[str, list] | None = None):
        """Yield the first draft's tokens (``str``) as the model writes them, then the finished
        script (a dict: ``sku``, ``text``, ``issues`` and ``compliance`` each with a Chinese ``label``
        and ``text``, ``seasons``). A cached script (same SKU and facts, no ``refresh``) comes at
        once; one written before the product changed (its price) is never served."""
        from shopgen.copywriting import labels, seasons
        from shopgen.copywriting.generate import CopyResult, Copywriter

        sku, facts = prepared or self.script_facts(room)
        key = (sku, tuple(facts))
        if not refresh and key in self.scripts:
            yield self.scripts[key]
            return
        result = None
        for item in Copywriter(self.runtime.llm()).stream(facts, "live_script"):
            if isinstance(item, CopyResult):
                result = item
            elif item:
                yield item
        data = result.to_dict()
        out = {
            "sku": sku,
            **data,
            "issues": labels.described(data["issues"]),
            "compliance": labels.described(data["compliance"]),
            "seasons": "".join(seasons.allowed(facts)),
        }
        self.scripts[key] = out
        yield out

    def speaker(self):
        return self.runtime.speaker()

    def _say_quietly(self, text: str) -> None:
        try:
            self.speak(text)
        except Exception as exc:  # noqa: BLE001 - a voice failure must not lose the reply
            log.warning("live voice failed: %s", exc)

    def speak(self, text: str):
        return self.speaker().say(text)

    def audio_path(self, name: str) -> Path:
        directory = getattr(self.speaker(), "directory", None)  # where a file-writing voice keeps its audio
        if directory is None or not name.endswith(".wav") or "/" in name or "\\" in name or name.startswith("."):
            raise NotFound(f"no audio {name}")
        path = directory / name
        if not path.is_file():
            raise NotFound(f"no audio {name}")
        return path
