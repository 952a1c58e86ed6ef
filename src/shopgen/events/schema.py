"""The event shape every way in (API, file import, demo) goes through.

>>> e = EventIn(user="u1", item="FZ-1001", type="view", ts="2026-11-01T10:00:00+08:00")
>>> e.ts.isoformat(), len(e.key())
('2026-11-01T02:00:00+00:00', 32)
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

EventType = Literal["view", "click", "cart", "purchase", "favorite", "impression"]
TYPES: tuple[str, ...] = ("view", "click", "cart", "purchase", "favorite", "impression")
TYPE_LABELS = {
    "view": "浏览",
    "click": "点击",
    "cart": "加购",
    "purchase": "购买",
    "favorite": "收藏",
    "impression": "曝光",
}
# Surfaces name where an impression or click happened; any short name is accepted, these are labelled.
SURFACE_LABELS = {
    "recommend": "推荐位",
    "live": "直播间",
    "search": "搜索",
    "copy": "文案",
    "detail": "商品详情",
    "cart": "购物车",
}

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Id | None = None
    user: Id
    item: Id
    type: EventType
    ts: datetime
    surface: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] | None = None
    value: float | None = Field(default=None, allow_inf_nan=False)  # a rating, a quantity, an amount
    context: dict[str, Any] = Field(default_factory=dict)

    @field_validator("ts", mode="before")
    @classmethod
    def _epoch(cls, v):
        """Unix seconds (int, float or digits) are accepted as well as ISO 8601."""
        if isinstance(v, bool):
            raise ValueError("ts must be a time")
        if isinstance(v, int | float) or (isinstance(v, str) and v.strip().replace(".", "", 1).isdigit()):
            return datetime.fromtimestamp(float(v), UTC)
        return v

    @field_validator("ts")
    @classmethod
    def _utc(cls, v: datetime) -> datetime:
        """Naive times are taken as UTC; all times are stored in UTC."""
        return v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC)

    @field_validator("surface")
    @classmethod
    def _blank(cls, v: str | None) -> str | None:
        return v or None

    def key(self) -> str:
        """The event's id: the one it was sent with, or one derived from what it says, so the same
        fact imported twice is stored once."""
        if self.id:
            return self.id
        raw = "\x1f".join((self.user, self.item, self.type, self.ts.isoformat(), self.surface or ""))
        return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:32]
