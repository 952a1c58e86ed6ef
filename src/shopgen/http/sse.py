"""One Server-Sent Events frame: ``event: NAME`` and one line of JSON (Chinese kept as is)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator


def sse(event: str, data) -> str:
    """``data`` as JSON; values JSON cannot write (datetimes, paths) as their ``str``."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"


def primed(frames: Iterator[str]) -> Iterator[str]:
    """``frames`` started now (call it off the event loop): from its first frame on, a generator
    that is dropped is closed, so its ``finally`` (which releases a generation slot) runs even
    when the client goes away before the first byte is sent."""
    first = next(frames, None)
    return iter(()) if first is None else itertools.chain([first], frames)
