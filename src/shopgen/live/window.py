"""Time-bucketed sliding windows, a bounded seen-set and the room clock, the building blocks of
room aggregation.

Time is the comments' own ``ts`` (the room's clock only moves forward with the newest comment seen),
so a recording replayed at ×10 or at full speed aggregates exactly like the live stream did. One
comment with a wrong ``ts`` must not move that clock far ahead (everything after it would be "too
old" for the window, for the rest of the stream): :class:`RoomClock` decides the time each comment
counts at.
"""

from __future__ import annotations

from collections import Counter, OrderedDict, deque
from dataclasses import dataclass, field


class SeenSet:
    """The last ``max_ids`` comment ids, for idempotent counting of re-delivered comments."""

    def __init__(self, max_ids: int = 200_000) -> None:
        self.max_ids = max_ids
        self._ids: OrderedDict[str, None] = OrderedDict()

    def add(self, cid: str) -> bool:
        """True if ``cid`` is new (and now remembered), False if it was seen already."""
        if cid in self._ids:
            return False
        self._ids[cid] = None
        if len(self._ids) > self.max_ids:
            self._ids.popitem(last=False)
        return True

    def __contains__(self, cid: str) -> bool:
        return cid in self._ids

    def __len__(self) -> int:
        return len(self._ids)


@dataclass
class Bucket:
    start: float
    intents: Counter = field(default_factory=Counter)
    by_sku: dict[str, Counter] = field(default_factory=dict)
    sentiment_sum: float = 0.0
    sentiment_n: int = 0
    negative: int = 0

    @property
    def n(self) -> int:
        return sum(self.intents.values())


class BucketWindow:
    """Counts over the last ``window_s`` seconds in ``bucket_s`` buckets."""

    def __init__(self, window_s: float = 300.0, bucket_s: float = 10.0) -> None:
        if window_s <= 0 or bucket_s <= 0:
            raise ValueError("window_s and bucket_s must be positive")
        self.window_s, self.bucket_s = window_s, bucket_s
        self.buckets: deque[Bucket] = deque()
        self.now = float("-inf")

    def _bucket(self, ts: float) -> Bucket | None:
        start = ts - ts % self.bucket_s
        if start <= self.now - self.window_s:
            return None  # older than the window: too late to count
        for b in reversed(self.buckets):
            if b.start == start:
                return b
            if b.start < start:
                break
        b = Bucket(start)
        self.buckets.append(b)
        if len(self.buckets) > 1 and self.buckets[-2].start > start:  # late comment: keep order
            self.buckets = deque(sorted(self.buckets, key=lambda x: x.start))
        return b

    def rewind(self, ts: float) -> None:
        """Set the window's time back to ``ts`` (the clock had followed an outlier): buckets after
        it go."""
        self.now = ts
        while self.buckets and self.buckets[-1].start > ts:
            self.buckets.pop()

    def advance(self, ts: float) -> None:
        if ts > self.now:
            self.now = ts
        cutoff = self.now - self.window_s
        while self.buckets and self.buckets[0].start + self.bucket_s <= cutoff:
            self.buckets.popleft()

    def add(self, ts: float, intent: str, sentiment: float | None, sku: str | None) -> None:
        self.advance(ts)
        b = self._bucket(ts)
        if b is None:
            return
        b.intents[intent] += 1
        if sku:
            b.by_sku.setdefault(sku, Counter())[intent] += 1
        if sentiment is not None:
            b.sentiment_sum += sentiment
            b.sentiment_n += 1
            b.negative += sentiment < 0.5

    def intents(self) -> Counter:
        total: Counter = Counter()
        for b in self.buckets:
            total.update(b.intents)
        return total

    def by_sku(self) -> dict[str, Counter]:
        out: dict[str, Counter] = {}
        for b in self.buckets:
            for sku, c in b.by_sku.items():
                out.setdefault(sku, Counter()).update(c)
        return out

    def series(self) -> list[dict]:
        return [
            {
                "t": b.start,
                "n": b.n,
                "sentiment": round(b.sentiment_sum / b.sentiment_n, 4) if b.sentiment_n else None,
                "negative": b.negative,
                "buy": b.intents.get("buy", 0),
                "ask": b.intents.get("ask", 0),
            }
            for b in self.buckets
        ]


class RoomClock:
    """The time a room's comments count at: the newest ``ts`` seen, guarded against outliers.

    A ``ts`` more than ``max_gap`` seconds ahead of the clock (a viewer's wrong clock, milliseconds
    sent as seconds, a forged value) does not move it: the comment counts at the clock's time
    (``clamped`` counts them). ``confirm`` such comments in a row are a real jump (a break in the
    stream, a recording's next part), and the clock follows. Until ``confirm`` comments have agreed
    with the clock it is not trusted: a far-away comment then resets it (``admit`` says so, and the
    window rewinds), so a room whose first comment was the outlier recovers too.

    >>> clock = RoomClock(max_gap=600, confirm=3)
    >>> [clock.admit(ts)[0] for ts in (10, 11, 12, 9e12, 13)]
    [10, 11, 12, 12, 13]
    """

    def __init__(self, max_gap: float = 600.0, confirm: int = 3) -> None:
        if max_gap <= 0 or confirm < 1:
            raise ValueError("max_gap must be positive and confirm at least 1")
        self.max_gap, self.confirm = max_gap, confirm
        self.now = float("-inf")
        self.agreed = 0  # comments within max_gap of the clock since it was last set by a jump
        self.ahead = 0  # far-ahead comments in a row
        self.clamped = 0

    def admit(self, ts: float) -> tuple[float, bool]:
        """(the time to count the comment at, whether the clock went back)."""
        if self.now == float("-inf"):
            return self._jump(ts), False
        trusted = self.agreed >= self.confirm
        if ts > self.now + self.max_gap:
            self.ahead += 1
            if not trusted or self.ahead >= self.confirm:
                return self._jump(ts), False
            self.clamped += 1
            return self.now, False
        self.ahead = 0
        if ts < self.now - self.max_gap:
            if not trusted:  # the clock was set by an outlier: go back
                return self._jump(ts), True
            return ts, False  # a late comment: the window decides whether it still counts
        self.agreed += 1
        self.now = max(self.now, ts)
        return ts, False

    def _jump(self, ts: float) -> float:
        self.now, self.agreed, self.ahead = ts, 1, 0
        return ts
