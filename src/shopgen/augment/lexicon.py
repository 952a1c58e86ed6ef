"""The lexicon EDA draws on: the shipped synonym groups (``data/synonyms.txt``, written for shopgen)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from shopgen.text.lexicon import Lexicon

__all__ = ["DEFAULT", "Lexicon", "default"]

DEFAULT = Path(__file__).parent / "data" / "synonyms.txt"


@lru_cache(maxsize=1)
def default() -> Lexicon:
    """The shipped lexicon, read once."""
    return Lexicon.load(DEFAULT)
