"""Redis Streams bus for the live copilot: N worker processes share the rooms (the ``live`` extra).

Layout (all keys under ``prefix``, default ``shopgen:live``)::

    {prefix}:stream                  one stream, each entry {id, room, user, text, ts}
    consumer group "copilot"         every worker reads with XREADGROUP, acknowledges with XACK
    {prefix}:rooms                   SET of rooms seen
    {prefix}:room:{room}:seen        SET of counted comment ids (expires ``seen_ttl_s`` after the last add)
    {prefix}:room:{room}:intents     HASH intent → count, "_total", and "_dropped:<reason>"
    {prefix}:room:{room}:questions   ZSET normalised question → count (clustered when read)
    {prefix}:room:{room}:complaints  LIST of recent complaints (JSON), newest first, at most 100
    {prefix}:room:{room}:sent_sum / sent_n   HASH 10-second bucket → sentiment sum / count
    {prefix}:room:{room}:dup         HASH user + normalised text → comment time it was last seen
    {prefix}:room:{room}:flood       HASH user → "tokens:time" of the user's token bucket

Delivery is at-least-once: a worker classifies a batch, applies it to the room state with one Lua
script per comment (``SADD`` of the comment id to the seen set guards every increment, atomically,
so a re-delivered comment is never counted twice), and only then XACKs. Entries a dead worker left
pending are taken over with XAUTOCLAIM once idle for ``claim_idle_ms``. When Redis goes away the
worker logs, backs off (exponentially, capped) and retries; it never crashes, and acked work is
already in Redis.

The bus path runs the filters and the classifier of the fast path: validation, normalisation, the
spam filter, intent + sentiment in the worker, and the per-user duplicate and flood filters
(:class:`~shopgen.live.filters.FilterSettings`, same rules and comment-time clock as the in-process
:class:`~shopgen.live.filters.Filters`) inside the same Lua script, so all workers share that state
and a re-delivered comment is not judged twice. With several workers, comments of one user can be
applied slightly out of order; the filters then compare comment times, as the in-process ones do.
Auto-replies stay with an in-process :class:`~shopgen.live.pipeline.Copilot` (they need the shop's
knowledge base).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable

from shopgen.core.errors import BackendError, InvalidInput
from shopgen.core.lazy import require
from shopgen.live.aggregate import QuestionClusters, merge_complaints
from shopgen.live.classify import Classifier
from shopgen.live.filters import FilterSettings, spam_check
from shopgen.live.intent import LABELS
from shopgen.live.normalize import Comment, normalize

log = logging.getLogger(__name__)

GROUP = "copilot"

_APPLY = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[8]))
redis.call('SADD', KEYS[7], ARGV[7])
local intent = ARGV[2]
local ts, user = tonumber(ARGV[9]), ARGV[10]
if string.sub(intent, 1, 1) ~= '_' and tonumber(ARGV[11]) > 0 then
  local dk = user .. '\t' .. ARGV[3]
  local last = redis.call('HGET', KEYS[8], dk)
  redis.call('HSET', KEYS[8], dk, ARGV[9])
  redis.call('EXPIRE', KEYS[8], tonumber(ARGV[8]))
  if last and ts - tonumber(last) >= 0 and ts - tonumber(last) <= tonumber(ARGV[11]) then
    intent = '_dropped:duplicate'
  end
end
local rate, burst = tonumber(ARGV[12]), tonumber(ARGV[13])
if string.sub(intent, 1, 1) ~= '_' and rate > 0 and user ~= '' then
  local tokens, last = burst, ts
  local state = redis.call('HGET', KEYS[9], user)
  if state then
    local sep = string.find(state, ':', 1, true)
    tokens, last = tonumber(string.sub(state, 1, sep - 1)), tonumber(string.sub(state, sep + 1))
  end
  tokens = math.min(burst, tokens + math.max(0, ts - last) * rate)
  if tokens < 1 then
    intent = '_dropped:flood'
  else
    tokens = tokens - 1
  end
  redis.call('HSET', KEYS[9], user, string.format('%.17g:%.17g', tokens, math.max(last, ts)))
  redis.call('EXPIRE', KEYS[9], tonumber(ARGV[8]))
end
redis.call('HINCRBY', KEYS[2], intent, 1)
if string.sub(intent, 1, 1) == '_' then return 1 end
redis.call('HINCRBY', KEYS[2], '_total', 1)
if intent == 'ask' then redis.call('ZINCRBY', KEYS[3], 1, ARGV[3]) end
if intent == 'complain' then
  redis.call('LPUSH', KEYS[4], ARGV[4])
  redis.call('LTRIM', KEYS[4], 0, 99)
end
if ARGV[6] ~= '' then
  redis.call('HINCRBYFLOAT', KEYS[5], ARGV[5], ARGV[6])
  redis.call('HINCRBY', KEYS[6], ARGV[5], 1)
end
return 1
"""


def _redis():
    return require("redis", "live")


class RedisBus:
    def __init__(
        self,
        url: str = "redis://127.0.0.1:6379/0",
        prefix: str = "shopgen:live",
        client=None,
        group: str = GROUP,
        seen_ttl_s: int = 86_400,
        socket_timeout: float = 5.0,
        filters: FilterSettings | None = None,
    ) -> None:
        redis = _redis()
        self.url, self.prefix, self.group, self.seen_ttl_s = url, prefix, group, seen_ttl_s
        self.filters = filters or FilterSettings()
        self.client = client or redis.Redis.from_url(
            url, decode_responses=True, socket_timeout=socket_timeout, socket_connect_timeout=socket_timeout
        )
        self.stream = f"{prefix}:stream"
        self._apply = self.client.register_script(_APPLY)

    def key(self, room: str, what: str) -> str:
        return f"{self.prefix}:room:{room}:{what}"

    def ensure_group(self) -> None:
        redis = _redis()
        try:
            self.client.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def publish(self, room: str | None, comments: Iterable[Comment | dict], chunk: int = 500) -> int:
        """XADD every comment (``room`` overrides theirs when given); returns how many."""
        n = 0
        pipe = self.client.pipeline(transaction=False)
        for c in comments:
            if not isinstance(c, Comment):
                c = Comment.from_dict(c, room=room)
            pipe.xadd(
                self.stream, {"id": c.id, "room": room or c.room, "user": c.user, "text": c.text, "ts": repr(c.ts)}
            )
            n += 1
            if n % chunk == 0:
                pipe.execute()
        pipe.execute()
        return n

    def rooms(self) -> list[str]:
        return sorted(self.client.smembers(f"{self.prefix}:rooms"))

    def counts(self, room: str) -> dict[str, int]:
        return {k: int(v) for k, v in self.client.hgetall(self.key(room, "intents")).items()}

    def seen(self, room: str) -> int:
        return int(self.client.scard(self.key(room, "seen")))

    def pending(self) -> int:
        return int(self.client.xpending(self.stream, self.group)["pending"])

    def lag(self) -> int:
        """Entries not yet delivered to the group (Redis ≥ 7), plus those delivered but unacked."""
        for g in self.client.xinfo_groups(self.stream):
            if g["name"] == self.group:
                return int(g.get("lag") or 0) + int(g["pending"])
        return 0

    def snapshot(self, room: str, top: int = 10) -> dict:
        """Room figures kept in Redis, in the shape of :meth:`Copilot.snapshot`'s aggregate part."""
        counts = self.counts(room)
        total = counts.get("_total", 0)
        qs = self.client.zrevrange(self.key(room, "questions"), 0, 199, withscores=True)
        # the same grouping as the in-process pipeline (best match, not first); no time in Redis
        grouped = QuestionClusters(max_clusters=len(qs) + 1, idle_s=float("inf"))
        for i, (q, score) in enumerate(qs):
            grouped.add(q, q, 0.0, str(i), weight=int(score))
        clusters = [
            {"question": c.question, "count": c.count, "examples": c.examples} for c in grouped.clusters.values()
        ]
        complaints = [json.loads(x) for x in self.client.lrange(self.key(room, "complaints"), 0, 49)]
        sums = self.client.hgetall(self.key(room, "sent_sum"))
        ns = self.client.hgetall(self.key(room, "sent_n"))
        series = [
            {"t": float(b), "n": int(ns.get(b, 0)), "sentiment": round(float(sums[b]) / max(int(ns.get(b, 1)), 1), 4)}
            for b in sorted(sums, key=float)
        ][-60:]
        return {
            "room": room,
            "comments": total,
            "intents": {k: counts.get(k, 0) for k in LABELS},
            "buy_rate": round(counts.get("buy", 0) / total, 4) if total else 0.0,
            "dropped": {k[9:]: v for k, v in counts.items() if k.startswith("_dropped:")},
            "top_questions": sorted(clusters, key=lambda c: -c["count"])[:top],
            "complaints": merge_complaints(sorted(complaints, key=lambda c: c["sentiment"]))[:top],
            "sentiment": series,
        }

    def delete_all(self) -> None:
        """Remove the stream and every room key under this prefix (tests, resets)."""
        keys = list(self.client.scan_iter(f"{self.prefix}:*", count=1000))
        for i in range(0, len(keys), 500):
            self.client.delete(*keys[i : i + 500])


class Worker:
    """One consumer of the group. ``run()`` loops until ``stop`` is set (or ``until()`` is true)."""

    def __init__(
        self,
        bus: RedisBus,
        name: str,
        batch: int = 256,
        block_ms: int = 500,
        claim_idle_ms: int = 30_000,
        ack_delay_s: float = 0.0,
        max_backoff_s: float = 5.0,
        *,
        classifier: Classifier,
    ) -> None:
        self.bus, self.name, self.batch, self.block_ms = bus, name, batch, block_ms
        self.claim_idle_ms, self.ack_delay_s, self.max_backoff_s = claim_idle_ms, ack_delay_s, max_backoff_s
        self.classifier = classifier
        self.processed = self.counted = self.claimed = self.errors = 0
        self._last_claim = 0.0
        self.stop = threading.Event()

    def run(self, until: Callable[[], bool] | None = None, log_every_s: float = 0.0) -> None:
        redis = _redis()
        backoff, group_ok, last_log = 0.1, False, time.monotonic()
        while not self.stop.is_set():
            try:
                if not group_ok:
                    self.bus.ensure_group()
                    group_ok = True
                self.step()
                backoff = 0.1
                if until is not None and until():
                    return
                if log_every_s and time.monotonic() - last_log >= log_every_s:
                    last_log = time.monotonic()
                    log.info(
                        "live worker %s: processed=%d counted=%d claimed=%d",
                        self.name,
                        self.processed,
                        self.counted,
                        self.claimed,
                    )
            except redis.ResponseError as exc:
                self.errors += 1
                if "NOGROUP" in str(exc):
                    group_ok = False
                log.warning("live worker %s: redis error: %s; retrying in %.1fs", self.name, exc, backoff)
                self.stop.wait(backoff)
                backoff = min(backoff * 2, self.max_backoff_s)
            except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
                self.errors += 1
                log.warning(
                    "live worker %s: redis unavailable (%s); retrying in %.1fs",
                    self.name,
                    str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
                    backoff,
                )
                self.stop.wait(backoff)
                backoff = min(backoff * 2, self.max_backoff_s)

    def step(self) -> int:
        """Claim idle pending entries (at most every claim_idle_ms / 2), then read new ones; process them."""
        b, n = self.bus, 0
        now = time.monotonic()
        if (now - self._last_claim) * 1000 >= self.claim_idle_ms / 2:
            self._last_claim = now
            start = "0-0"
            for _ in range(50):
                res = b.client.xautoclaim(b.stream, b.group, self.name, self.claim_idle_ms, start, count=self.batch)
                start, msgs = res[0], res[1]
                if msgs:
                    self.claimed += len(msgs)
                    n += self.process(msgs)
                if start in ("0-0", "0"):
                    break
        res = b.client.xreadgroup(b.group, self.name, {b.stream: ">"}, count=self.batch, block=self.block_ms)
        for _, msgs in res or []:
            n += self.process(msgs)
        return n

    def process(self, msgs: list) -> int:
        """Classify and apply a batch of stream entries, then XACK them."""
        b = self.bus
        items, ids = [], []
        for mid, fields in msgs:
            ids.append(mid)
            if not fields:  # deleted entry
                continue
            try:
                c = Comment(
                    room=fields.get("room", ""),
                    user=fields.get("user", ""),
                    text=fields.get("text", ""),
                    ts=fields.get("ts", "nan"),
                    id=fields.get("id", "") or mid,
                )
            except InvalidInput as exc:
                log.warning("live worker %s: skipping malformed entry %s: %s", self.name, mid, exc.message)
                continue
            items.append(c)
        norms = [normalize(c.text) for c in items]
        f = b.filters
        reasons = [spam_check(c.text, n.key) if f.spam else None for c, n in zip(items, norms)]
        kept = [i for i, r in enumerate(reasons) if r is None]
        labelled = dict(zip(kept, self.classifier.classify_normalized([norms[i] for i in kept])))
        pipe = b.client.pipeline(transaction=False)
        for i, c in enumerate(items):
            r = labelled.get(i)
            intent = r["intent"] if r else f"_dropped:{reasons[i]}"
            sent = r["sentiment"] if r else None
            score = "" if sent is None or sent["label"] == "neutral" else repr(float(sent["score"]))
            complaint = (
                json.dumps(
                    {
                        "id": c.id,
                        "user": c.user,
                        "text": c.text,
                        "ts": c.ts,
                        "sentiment": sent["score"] if sent else 0.5,
                    },
                    ensure_ascii=False,
                )
                if intent == "complain"
                else ""
            )
            keys = [
                b.key(c.room, "seen"),
                b.key(c.room, "intents"),
                b.key(c.room, "questions"),
                b.key(c.room, "complaints"),
                b.key(c.room, "sent_sum"),
                b.key(c.room, "sent_n"),
                f"{b.prefix}:rooms",
                b.key(c.room, "dup"),
                b.key(c.room, "flood"),
            ]
            bucket = str(int(c.ts // 10 * 10))
            self.bus._apply(
                keys=keys,
                args=[
                    c.id,
                    intent,
                    norms[i].key,
                    complaint,
                    bucket,
                    score,
                    c.room,
                    b.seen_ttl_s,
                    repr(float(c.ts)),
                    c.user,
                    f.duplicate_window_s,
                    f.flood_rate,
                    f.flood_burst,
                ],
                client=pipe,
            )
        applied = pipe.execute() if items else []
        self.counted += sum(1 for x in applied if x == 1)
        if self.ack_delay_s:
            time.sleep(self.ack_delay_s)  # test hook: widen the window between apply and ack
        if ids:
            b.client.xack(b.stream, b.group, *ids)
        self.processed += len(ids)
        return len(ids)


def check_connection(bus: RedisBus) -> None:
    """BackendError with a readable message when Redis cannot be reached."""
    redis = _redis()
    try:
        bus.client.ping()
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise BackendError(f"cannot reach Redis at {bus.url}: {exc}") from exc
