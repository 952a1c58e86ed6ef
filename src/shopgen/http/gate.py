"""Admission control for text generation: bounded work per caller and overall.

The embedded model decodes one answer at a time, so a burst of LLM turns would queue for minutes
(four turns from one key finished after 19, 67, 131 and 181 s). The gate admits a generation only
while fewer than ``per_caller`` of that caller's and fewer than ``overall`` generations are in
flight (running or waiting for the model); otherwise the request is answered at once with 429
(this caller has enough in flight) or 503 (the machine is full), both with ``Retry-After``
estimated from recent generation times. Answers that need no model (FAQ, orders, size advice)
never pass through the gate.

    with gate.slot("key:ab12cd34"):
        ... generate ...

    ticket = gate.admit("key:ab12cd34")   # for a stream: release when the stream ends
    ...
    ticket.release()                      # idempotent
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from contextlib import contextmanager

from shopgen.core.errors import Busy, RateLimited


class Ticket:
    """One admitted generation; :meth:`release` frees its slot once, however often it is called."""

    def __init__(self, gate: GenerationGate, caller: str) -> None:
        self.gate, self.caller = gate, caller
        self.start = time.perf_counter()
        self._done = False
        self._lock = threading.Lock()

    def release(self) -> None:
        with self._lock:
            if self._done:
                return
            self._done = True
        self.gate.release(self.caller, time.perf_counter() - self.start)


class GenerationGate:
    def __init__(self, overall: int, per_caller: int, typical_seconds: float = 8.0) -> None:
        if overall < 1 or per_caller < 1:
            raise ValueError("gate limits must be at least 1")
        self.overall, self.per_caller = overall, per_caller
        self._inflight: Counter[str] = Counter()
        self._total = 0
        self._lock = threading.Lock()
        self._seconds = typical_seconds  # moving average of one generation's wall time

    def acquire(self, caller: str) -> None:
        """Admit one generation for ``caller`` or raise RateLimited / Busy (with Retry-After)."""
        with self._lock:
            if self._inflight[caller] >= self.per_caller:
                raise RateLimited(
                    f"{self._inflight[caller]} answers for this client are still being written; try again shortly",
                    self._retry_after(self._inflight[caller]),
                )
            if self._total >= self.overall:
                raise Busy("the assistant is busy answering others; please try again shortly", self._retry_after(1))
            self._inflight[caller] += 1
            self._total += 1

    def release(self, caller: str, seconds: float | None = None) -> None:
        with self._lock:
            if self._inflight[caller] <= 0:
                return
            self._inflight[caller] -= 1
            if not self._inflight[caller]:
                del self._inflight[caller]
            self._total -= 1
            if seconds is not None and seconds > 0:
                self._seconds = 0.8 * self._seconds + 0.2 * seconds

    def _retry_after(self, ahead: int) -> int:
        # the model works one answer at a time: everything in flight finishes before a new one
        return min(120, max(1, math.ceil(self._seconds * max(ahead, self._total))))

    def admit(self, caller: str) -> Ticket:
        self.acquire(caller)
        return Ticket(self, caller)

    @contextmanager
    def slot(self, caller: str):
        ticket = self.admit(caller)
        try:
            yield
        finally:
            ticket.release()

    def stats(self) -> dict:
        with self._lock:
            return {
                "in_flight": self._total,
                "callers": len(self._inflight),
                "typical_seconds": round(self._seconds, 2),
            }
