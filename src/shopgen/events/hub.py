"""The plug point between those who ingest events and those who react to them.

>>> hub = EventHub()
>>> seen = []
>>> hub.subscribe(seen.append)
>>> hub.publish(Ingested(received=2, inserted=1, duplicates=1, users=("u1",), items=("FZ-1001",)))
>>> seen[0].inserted
1
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ingested:
    """What one committed ingest stored: counts and the shoppers and products it touched."""

    received: int
    inserted: int
    duplicates: int
    users: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    source: str = ""

    def summary(self) -> dict:
        return {"received": self.received, "inserted": self.inserted, "duplicates": self.duplicates}


Subscriber = Callable[[Ingested], None]


class EventHub:
    """In-process publish/subscribe, called after the ingest's transaction committed.

    A subscriber that raises is logged and skipped: a consumer's bug must not fail an ingest that
    is already stored. Subscribers should be quick (drop a cache, bump a counter, queue work)."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, fn: Subscriber) -> None:
        with self._lock:
            self._subscribers.append(fn)

    def publish(self, ingested: Ingested) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for fn in subscribers:
            try:
                fn(ingested)
            except Exception:  # noqa: BLE001 - see the class docstring
                log.exception("event subscriber %r failed", fn)
