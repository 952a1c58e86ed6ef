"""Duplicates among augmented texts: exact, and the same after normalisation (full/half width,
case, spaces, punctuation and emoji ignored).

>>> d = Deduper(["包邮吗？"])
>>> d.check("包邮吗？"), d.check("包邮吗"), d.check("包邮吗!!"), d.check("发货吗")
('duplicate', 'near_duplicate', 'near_duplicate', None)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_NOISE = re.compile(r"[\W_]+")


def norm_key(text: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", text).lower())


class Deduper:
    """Remembers the originals and every text it let through."""

    def __init__(self, originals: Iterable[str] = ()) -> None:
        self._exact: set[str] = set()
        self._norm: set[str] = set()
        for t in originals:
            self._remember(t)

    def _remember(self, text: str) -> None:
        self._exact.add(text)
        self._norm.add(norm_key(text))

    def check(self, text: str) -> str | None:
        """``None`` (new: remembered from now on), ``"duplicate"`` or ``"near_duplicate"``."""
        if text in self._exact:
            return "duplicate"
        if norm_key(text) in self._norm:
            return "near_duplicate"
        self._remember(text)
        return None
