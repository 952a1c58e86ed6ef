"""Text standardisation (标准化) for training, evaluation and knowledge-base rows.

What changes, in order:

1. HTML remnants: tags (``<br>``, ``<p class=…>``) become a space (a ``<br>``/``</p>`` a line
   break), entities are decoded (``&amp;`` → ``&``, ``&nbsp;`` → a space), and a stray entity
   name left by a half-done decode (``nbsp;``) goes too.
2. Invisible characters: zero-width spaces and joiners, byte-order marks in mid-text (ATEC's
   question pairs carry one at the start of a field), other control characters.
3. Width: NFKC, so full-width Latin letters and digits become half-width (``ｉＰｈｏｎｅ１５`` →
   ``iPhone15``) and compatibility forms are unfolded (``㎏`` → ``kg``), **except** the full-width
   punctuation Chinese text is written with (``，！？：；（）～`` …), which NFKC would turn into
   ASCII: Chinese copy and reviews use full-width punctuation, and a model trained on it should
   see it. ``。、「」《》`` are not touched by NFKC anyway.
4. Chinese punctuation in Chinese context: an ASCII ``, ! ? ; :`` between two Chinese characters
   becomes its full-width form (``不错,下次`` → ``不错，下次``), so one file ends up with one
   convention. ASCII punctuation elsewhere (``3.5``, ``10:00``, ``Hi, all``) stays.
5. Whitespace: runs of spaces and tabs become one space, each line is stripped, blank lines go;
   line breaks inside a field are kept (a knowledge-base answer's paragraphs).

Traditional → simplified (OpenCC ``t2s``) is separate and on request (:func:`to_simplified`):
it rewrites characters, which is wrong for a shop that writes traditional Chinese on purpose.

>>> normalise("ｉＰｈｏｎｅ１５　很好用,推荐！&nbsp;<br/>物流&amp;包装都不错")
'iPhone15 很好用，推荐！\\n物流&包装都不错'
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from shopgen.core.lazy import require

# Full-width punctuation kept as is (NFKC would make it ASCII). The full-width forms block minus
# letters and digits; plus the ideographic space, which NFKC correctly makes a space.
_KEEP = frozenset(chr(c) for c in range(0xFF01, 0xFF5F) if not chr(c).isalnum()) | frozenset("｟｠")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.S)
_BREAK_TAG = re.compile(r"<(?:br\s*/?|/p|/div|/li|/h[1-6])\s*>", re.I)
_BARE_ENTITY = re.compile(r"(?<![&A-Za-z])(?:nbsp|amp|lt|gt|quot|apos);")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\r\f\v\u3000\xa0]+")
_HALF_TO_FULL = {",": "，", "!": "！", "?": "？", ";": "；", ":": "："}
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ZH_PUNCT = re.compile(rf"(?<=[{_CJK}])\s*([,!?;:])\s*(?=[{_CJK}])")


def _nfkc(text: str) -> str:
    if text.isascii():
        return text
    return "".join(c if c in _KEEP else unicodedata.normalize("NFKC", c) for c in text)


def strip_html(text: str) -> str:
    """Tags to spaces (block ends to line breaks), entities decoded, stray entity names removed."""
    if "<" in text:
        text = _BREAK_TAG.sub("\n", text)
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if ";" in text:
        text = _BARE_ENTITY.sub(" ", text)
    return text


def normalise(text: str) -> str:
    """Standardise one text field (see the module docstring for the rules)."""
    text = strip_html(text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n"))
    text = _nfkc(text)
    text = _ZH_PUNCT.sub(lambda m: _HALF_TO_FULL[m.group(1)], text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=1)
def _t2s():
    opencc = require("opencc", "data")
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese with OpenCC's ``t2s`` table (``這件衣服質量很好`` → ``这件衣服质量很好``).
    Raises MissingExtra when the ``data`` extra is not installed."""
    return _t2s().convert(text) if text else text


_KEY_DROP = re.compile(r"[\W_]+")


def dedup_key(text: str) -> str:
    """The form two texts must share to count as exact duplicates: NFKC (punctuation included),
    lower case, without whitespace and punctuation. ``"好评！！"`` and ``"好评!"`` are one text."""
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", text).lower())


def cjk_share(text: str) -> float:
    """Share of Chinese among the text's "words": each Chinese character counts one, each run of
    other letters (``iPhone``, ``XL``) counts one; digits, punctuation and spaces do not count.
    ``"iPhone XR 很好"`` → 0.5; ``"good"`` → 0.0; a text without any → 0.0."""
    cjk = len(_CJK_CHAR.findall(text))
    other = len(_OTHER_WORD.findall(text))
    return cjk / (cjk + other) if cjk + other else 0.0


_CJK_CHAR = re.compile(f"[{_CJK}]")
_OTHER_WORD = re.compile(rf"[^\W\d_{_CJK}]+")
