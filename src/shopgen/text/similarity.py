"""Cheap surface similarity for short Chinese texts.

>>> round(bigram_dice("衣服寄回来运费谁出", "退货运费谁出？"), 2)
0.46
"""

from __future__ import annotations

import re

from shopgen.text.tokenize import normalise

_KEEP = re.compile(r"[\w]+", re.UNICODE)


def bigrams(text: str) -> set[str]:
    chars = "".join(_KEEP.findall(normalise(text)))
    return {chars[i : i + 2] for i in range(len(chars) - 1)} or ({chars} if chars else set())


def dice(x: set[str], y: set[str]) -> float:
    """Dice coefficient of two sets (0.0 when either is empty)."""
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def bigram_dice(a: str, b: str) -> float:
    """Dice coefficient of the character-bigram sets, punctuation and case ignored."""
    return dice(bigrams(a), bigrams(b))
