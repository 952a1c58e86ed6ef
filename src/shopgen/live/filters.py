"""Cheap filters in front of the classifier. Each returns a drop reason, or None to keep the comment.

- :func:`spam_reason` (stateless): links, QQ/WeChat contact ads, money-making / traffic promo,
  a phrase pasted over and over in one comment.
- :class:`DuplicateFilter`: the same user sending the same normalised text again within
  ``window_s`` seconds (of comment time, so recordings replayed at any speed behave the same).
- :class:`FloodLimiter`: a token bucket per room + user (``rate`` comments a second, ``burst`` at once).

All state is bounded (least recently seen keys are forgotten first).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

_LINK = re.compile(r"(https?://|www\.|\b[a-z0-9-]+\.(com|cn|net|top|xyz|cc|vip|io)\b|t\.cn/|dwz\.)", re.I)
_CONTACT = re.compile(
    r"(加\s*(我|v|微|薇|威|q|扣|vx|wx)"
    r"|(微信|薇信|威信|vx|wx|v信|qq|扣扣|企鹅)\s*(号|群)?\s*[:：]?\s*[a-z0-9_-]{5,}"
    r"|\bq\s*[:：]?\s*\d{5,11}\b|\d{5,11}\s*(qq|扣扣))",
    re.I,
)
_PROMO = re.compile(
    r"(兼职|日赚|日结|刷单|代刷|赚钱|躺赚|私聊|私信我|看我头像|点我头像|主页有|免费领取?|福利群|进群|代购|低价出|"
    r"刷粉|涨粉|互粉|互关|博彩|彩票|棋牌|裸聊|贷款|套现)"
)
_PASTED = re.compile(r"(.{4,})\1{2,}", re.S)


def spam_reason(text: str) -> str | None:
    """``spam:link``, ``spam:contact``, ``spam:promo`` or ``spam:repeat``; None for ordinary text."""
    if _LINK.search(text):
        return "spam:link"
    if _CONTACT.search(text):
        return "spam:contact"
    if _PROMO.search(text):
        return "spam:promo"
    if any(len(set(m.group(1))) >= 3 for m in _PASTED.finditer(text)):
        return "spam:repeat"
    return None


def spam_check(raw: str, norm: str) -> str | None:
    """The spam rule both pipelines apply (in-process :class:`Filters` and the Redis worker):
    the raw text lowercased keeps links and contact ids intact, the normalised one catches
    look-alike spellings."""
    return spam_reason(raw.lower()) or spam_reason(norm)


class _Bounded(OrderedDict):
    def __init__(self, max_keys: int) -> None:
        super().__init__()
        self.max_keys = max_keys

    def put(self, key, value) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.max_keys:
            self.popitem(last=False)


class DuplicateFilter:
    """Drop the same (room, user, normalised text) seen within ``window_s`` seconds."""

    def __init__(self, window_s: float = 10.0, max_keys: int = 100_000) -> None:
        self.window_s = window_s
        self._last = _Bounded(max_keys)

    def check(self, room: str, user: str, norm: str, ts: float) -> str | None:
        key = (room, user, norm)
        last = self._last.get(key)
        self._last.put(key, ts)
        if last is not None and 0 <= ts - last <= self.window_s:
            return "duplicate"
        return None


class FloodLimiter:
    """Token bucket per (room, user): ``burst`` comments at once, refilled at ``rate`` a second."""

    def __init__(self, rate: float = 1.0, burst: float = 5.0, max_keys: int = 100_000) -> None:
        self.rate, self.burst = rate, burst
        self._buckets = _Bounded(max_keys)

    def check(self, room: str, user: str, ts: float) -> str | None:
        if not user:
            return None  # anonymous comments cannot be told apart
        key = (room, user)
        tokens, last = self._buckets.get(key, (self.burst, ts))
        tokens = min(self.burst, tokens + max(0.0, ts - last) * self.rate)
        if tokens < 1.0:
            self._buckets.put(key, (tokens, max(last, ts)))
            return "flood"
        self._buckets.put(key, (tokens - 1.0, max(last, ts)))
        return None


@dataclass
class FilterSettings:
    spam: bool = True
    duplicate_window_s: float = 10.0
    flood_rate: float = 1.0
    flood_burst: float = 5.0


class Filters:
    """Spam, then duplicate, then flood; the first that objects names the reason."""

    def __init__(self, settings: FilterSettings | None = None) -> None:
        self.settings = s = settings or FilterSettings()
        self.dup = DuplicateFilter(s.duplicate_window_s)
        self.flood = FloodLimiter(s.flood_rate, s.flood_burst)

    def check(self, room: str, user: str, raw: str, norm: str, ts: float) -> str | None:
        if self.settings.spam and (reason := spam_check(raw, norm)):
            return reason
        if self.settings.duplicate_window_s > 0 and (reason := self.dup.check(room, user, norm, ts)):
            return reason
        if self.settings.flood_rate > 0:
            return self.flood.check(room, user, ts)
        return None
