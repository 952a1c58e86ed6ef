"""Times as the studio shows them: Beijing time on the server, the browser's own zone after
studio.js has run (``<time datetime=… data-local>``). Stored times are UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

SHOP_ZONE = ZoneInfo("Asia/Shanghai")


def shanghai(value: str | datetime | None, chars: int = 19) -> str:
    """``2026-05-01T00:30:00+00:00`` → ``2026-05-01 08:30:00`` (cut to ``chars``); naive means UTC."""
    if not value:
        return ""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(SHOP_ZONE).strftime("%Y-%m-%d %H:%M:%S")[:chars]


def utc_iso(value: str | datetime | None) -> str:
    """An unambiguous UTC stamp for ``<time datetime>`` (``…Z``): a browser reads a stamp without
    an offset as its own local time, which would shift nothing and label it wrong."""
    if not value:
        return ""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_shop_time(at: datetime) -> datetime:
    """A time the studio's user typed (a date on the audit filter: Beijing time unless it says
    otherwise) as the naive UTC the database stores."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=SHOP_ZONE)
    return at.astimezone(UTC).replace(tzinfo=None)
