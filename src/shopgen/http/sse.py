"""One Server-Sent Events frame: ``event: NAME`` and one line of JSON (Chinese kept as is)."""

from __future__ import annotations

import json


def sse(event: str, data) -> str:
    """``data`` as JSON; values JSON cannot write (datetimes, paths) as their ``str``."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"
