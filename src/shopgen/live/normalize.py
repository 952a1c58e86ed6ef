"""Live comments: the :class:`Comment` record, its validation, and text normalisation.

Normalisation (:func:`normalize`) makes repeated live comments collapse onto one key, so the caches,
the duplicate filter and the question clusters see "扣1！！！" and "扣１!" as the same thing:

- NFKC: full-width letters, digits and punctuation → half-width (``！`` → ``!``, ``ＸＬ`` → ``xl``);
- emoji (Unicode pictographs and Bilibili/Douyin ``[doge]``-style emotes) are cut out of the text
  into ``emoji`` tokens, with ``has_emoji`` as a flag;
- zero-width and other format characters are dropped;
- runs are collapsed: punctuation to one (``!!!`` → ``!``), digits to three (``666666`` → ``666``),
  anything else to two (``哈哈哈哈哈`` → ``哈哈``);
- latin letters are lower-cased, whitespace is collapsed and trimmed.

>>> normalize("哈哈哈哈哈 ６６６６６６！！！👍").text
'哈哈 666!'
>>> normalize("哈哈哈哈哈 ６６６６６６！！！👍").emoji
('👍',)
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from shopgen.core.errors import InvalidInput

MAX_CHARS = 200

_EMOTE = r"\[[^\[\]\s]{1,10}\]"
_BASE = (
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U00002b00-\U00002bff\U0001f1e6-\U0001f1ff"
    "\u2300-\u23ff\u2190-\u21ff\u3030\u303d\u3297\u3299\u00a9\u00ae\u2122\u2764]"
)
_MOD = "[\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]*"
_PICTO = f"{_BASE}{_MOD}(?:\u200d{_BASE}{_MOD})*"
_EMOJI = re.compile(f"{_EMOTE}|{_PICTO}")
_SPACE = re.compile(r"\s+")
_PUNCT_RUN = re.compile(r"([!?.,~\-=。，、？！…~·*^_+])\1+")
_DIGIT_RUN = re.compile(r"(\d)\1{3,}")
_OTHER_RUN = re.compile(r"([^\d\s!?.,~\-=。，、？！…·*^_+])\1{2,}")
_ALLOWED_CONTROL = frozenset("\t\n\r")


@dataclass(frozen=True)
class Normalized:
    text: str
    emoji: tuple[str, ...] = ()

    @property
    def has_emoji(self) -> bool:
        return bool(self.emoji)

    @property
    def key(self) -> str:
        """What the classifier and caches see: the text, or an emoji marker for emoji-only comments."""
        return self.text or ("[emoji]" if self.emoji else "")


@lru_cache(maxsize=65536)
def normalize(text: str) -> Normalized:
    """Normalise one comment's text (cached: live comments repeat a lot)."""
    text = unicodedata.normalize("NFKC", text)
    emoji: list[str] = []

    def cut(m: re.Match) -> str:
        emoji.append(m.group(0).replace("\ufe0f", ""))
        return " "

    text = _EMOJI.sub(cut, text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = text.lower()
    text = _PUNCT_RUN.sub(r"\1", text)
    text = _DIGIT_RUN.sub(r"\1\1\1", text)
    text = _OTHER_RUN.sub(r"\1\1", text)
    return Normalized(_SPACE.sub(" ", text).strip(), tuple(emoji))


def check_text(text: object, max_chars: int = MAX_CHARS) -> str:
    """The comment text, or InvalidInput saying what is wrong with it."""
    if not isinstance(text, str):
        raise InvalidInput(f"comment text must be a string, not {type(text).__name__}")
    if not text.strip():
        raise InvalidInput("comment text is empty")
    if len(text) > max_chars:
        raise InvalidInput(f"comment text is too long ({len(text)} characters, at most {max_chars})")
    for ch in text:
        cat = unicodedata.category(ch)
        if (cat == "Cc" and ch not in _ALLOWED_CONTROL) or cat in ("Cs", "Co") or ch == "\ufffd":
            raise InvalidInput(f"comment text contains a binary or control character (U+{ord(ch):04X})")
    return text


@dataclass
class Comment:
    """One live comment. ``ts`` is seconds (Unix time live, or stream offset in a recording).
    ``id`` is the platform's message id when there is one; otherwise it is derived from
    room + user + ts + text, so a re-delivered comment keeps its id."""

    room: str
    user: str
    text: str
    ts: float
    id: str = ""
    extra: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.room, str) or not self.room.strip():
            raise InvalidInput("comment room is empty")
        self.user = "" if self.user is None else str(self.user)
        self.text = check_text(self.text)
        try:
            self.ts = float(self.ts)
        except (TypeError, ValueError):
            raise InvalidInput(f"comment ts is not a number: {self.ts!r}") from None
        if self.ts != self.ts:  # NaN
            raise InvalidInput("comment ts is not a number: nan")
        if self.ts in (float("inf"), float("-inf")):
            raise InvalidInput(f"comment ts is not a finite number: {self.ts}")
        if not self.id:
            raw = f"{self.room}\x1f{self.user}\x1f{self.ts!r}\x1f{self.text}".encode()
            self.id = hashlib.blake2b(raw, digest_size=10).hexdigest()
        else:
            self.id = str(self.id)

    @classmethod
    def from_dict(cls, d: dict, room: str | None = None) -> Comment:
        if not isinstance(d, dict):
            raise InvalidInput("a comment must be a JSON object")
        missing = [k for k in ("text", "ts") if k not in d] + ([] if room or "room" in d else ["room"])
        if missing:
            raise InvalidInput(f"comment is missing {', '.join(missing)}")
        return cls(
            room=str(room or d["room"]), user=d.get("user", ""), text=d["text"], ts=d["ts"], id=str(d.get("id") or "")
        )
