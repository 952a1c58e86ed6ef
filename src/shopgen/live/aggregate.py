"""Per-room aggregation of classified comments: intent counts, buy-signal rate, question clusters,
complaints needing attention and the sentiment trend, over a sliding window.

Idempotent: :meth:`RoomAggregate.add` takes the comment id and ignores an id it has already counted
(a bounded seen-set per room), so an at-least-once transport can re-deliver freely.

Complaints: identical and near-identical ones (bigram Dice ≥ 0.6) are shown once with ``count``.

Question clusters: an ``ask`` comment joins the cluster whose representative has the same
normalised text, else the most similar one by character-bigram Dice (≥ ``min_dice``, 0.5), else
starts a new cluster. Clusters idle for longer than the window are dropped.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field

from shopgen.live.window import BucketWindow, SeenSet
from shopgen.text.similarity import bigrams, dice


@dataclass
class Cluster:
    id: str
    question: str
    grams: set[str]
    count: int = 0
    first_ts: float = 0.0
    last_ts: float = 0.0
    last_comment: str = ""
    sku: str | None = None
    examples: list[str] = field(default_factory=list)
    # auto-reply bookkeeping (used by the pipeline)
    answer: dict | None = None
    answer_key: tuple | None = None
    replied_ts: float | None = None
    replied_count: int = 0
    failed_ts: float | None = None  # when the answerer last failed on it

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "question": self.question,
            "count": self.count,
            "examples": self.examples,
            "first_ts": self.first_ts,
            "last_ts": self.last_ts,
            "sku": self.sku,
            "answer": self.answer,
            "replied": self.replied_ts is not None,
        }


class QuestionClusters:
    def __init__(self, min_dice: float = 0.5, max_clusters: int = 300, idle_s: float = 300.0) -> None:
        self.min_dice, self.max_clusters, self.idle_s = min_dice, max_clusters, idle_s
        self.clusters: dict[str, Cluster] = {}
        self._exact: dict[str, str] = {}
        self._ids = itertools.count(1)

    def add(self, norm: str, raw: str, ts: float, cid: str, sku: str | None = None, weight: int = 1) -> Cluster:
        """Count ``weight`` asks of ``norm`` (the Redis bus adds each stored question's total at once)."""
        c = self.clusters.get(self._exact.get(norm, ""))
        if c is None:
            grams = bigrams(norm)
            best, score = None, 0.0
            for cand in self.clusters.values():
                s = dice(grams, cand.grams)
                if s > score:
                    best, score = cand, s
            if best is not None and score >= self.min_dice:
                c = best
            else:
                c = Cluster(f"q{next(self._ids)}", raw, grams, first_ts=ts, sku=sku)
                self.clusters[c.id] = c
                self._evict(ts)
            self._exact[norm] = c.id
        c.count += weight
        c.last_ts = max(c.last_ts, ts)
        c.last_comment = cid
        if raw not in c.examples and len(c.examples) < 3:
            c.examples.append(raw)
        return c

    def _evict(self, now: float) -> None:
        stale = [k for k, c in self.clusters.items() if c.last_ts and c.last_ts < now - self.idle_s]
        if len(self.clusters) > self.max_clusters:
            rest = sorted((c for c in self.clusters.values() if c.id not in stale), key=lambda c: (c.count, c.last_ts))
            stale += [c.id for c in rest[: len(self.clusters) - len(stale) - self.max_clusters]]
        for k in stale:
            del self.clusters[k]
        if stale:
            gone = set(stale)
            self._exact = {n: k for n, k in self._exact.items() if k not in gone}

    def top(self, now: float, n: int = 10) -> list[Cluster]:
        live = [c for c in self.clusters.values() if c.last_ts >= now - self.idle_s]
        return sorted(live, key=lambda c: (-c.count, -c.last_ts))[:n]


class RoomAggregate:
    def __init__(
        self,
        room: str,
        window_s: float = 300.0,
        bucket_s: float = 10.0,
        max_seen: int = 200_000,
        min_dice: float = 0.5,
        max_complaints: int = 200,
    ) -> None:
        self.room = room
        self.window = BucketWindow(window_s, bucket_s)
        self.seen = SeenSet(max_seen)
        self.questions = QuestionClusters(min_dice, idle_s=window_s)
        self.complaints: deque[dict] = deque(maxlen=max_complaints)
        self.counted = 0
        self.redelivered = 0

    @property
    def now(self) -> float:
        return self.window.now

    def add(
        self, cid: str, ts: float, raw: str, norm: str, result: dict, sku: str | None = None, user: str = ""
    ) -> Cluster | bool:
        """Count one classified comment. False if ``cid`` was counted before; the question
        cluster for an ``ask``; True otherwise."""
        if not self.seen.add(cid):
            self.redelivered += 1
            return False
        self.counted += 1
        intent, score = result["intent"], result["sentiment"]["score"]
        self.window.add(ts, intent, score if result["sentiment"]["label"] != "neutral" else None, sku)
        if intent == "ask":
            return self.questions.add(norm, raw, ts, cid, sku)
        if intent == "complain":
            self.complaints.append({"id": cid, "user": user, "text": raw, "ts": ts, "sku": sku, "sentiment": score})
        return True

    def rewind(self, ts: float) -> None:
        """Forget what was counted after ``ts`` in the window and complaints (the room's clock had
        followed a comment with a wrong ``ts``; see ``window.RoomClock``)."""
        self.window.rewind(ts)
        kept = [c for c in self.complaints if c["ts"] <= ts]
        self.complaints.clear()
        self.complaints.extend(kept)

    def snapshot(self, top: int = 10) -> dict:
        now = self.window.now
        intents = self.window.intents()
        total = sum(intents.values())
        cutoff = now - self.window.window_s
        complaints = sorted((c for c in self.complaints if c["ts"] > cutoff), key=lambda c: (c["sentiment"], -c["ts"]))
        by_sku = {
            sku: {
                "comments": sum(c.values()),
                "buy": c.get("buy", 0),
                "ask": c.get("ask", 0),
                "buy_rate": round(c.get("buy", 0) / max(sum(c.values()), 1), 4),
            }
            for sku, c in self.window.by_sku().items()
        }
        return {
            "now": None if now == float("-inf") else now,
            "window_s": self.window.window_s,
            "comments": total,
            "intents": {k: intents.get(k, 0) for k in _labels()},
            "buy_rate": round(intents.get("buy", 0) / total, 4) if total else 0.0,
            "by_sku": by_sku,
            "top_questions": [c.to_dict() for c in self.questions.top(now, top)],
            "complaints": merge_complaints(complaints)[:top],
            "sentiment": self.window.series(),
            "counted": self.counted,
            "redelivered": self.redelivered,
        }


COMPLAINT_DICE = 0.6  # complaints this alike (character bigrams) are one complaint on the panel


def merge_complaints(complaints: list[dict], min_dice: float = COMPLAINT_DICE) -> list[dict]:
    """Identical and near-identical complaints as one, with ``count`` (how many) and ``users``.

    ``complaints`` most negative first; each merged complaint keeps its most negative member's
    fields (that is, the first), and the order stays most negative first.
    """
    merged: list[tuple[set[str], dict]] = []
    for c in complaints:
        grams = bigrams(c["text"])
        for g, m in merged:
            if g == grams or dice(g, grams) >= min_dice:
                m["count"] += 1
                if c.get("user") and c["user"] not in m["users"]:
                    m["users"].append(c["user"])
                m["last_ts"] = max(m["last_ts"], c["ts"])
                break
        else:
            merged.append((grams, {**c, "count": 1, "users": [c["user"]] if c.get("user") else [], "last_ts": c["ts"]}))
    return [m for _g, m in merged]


def _labels() -> tuple[str, ...]:
    from shopgen.live.intent import LABELS

    return LABELS
