"""Retrieval queries from the conversation: an elliptical follow-up is searched together with the
shopper's previous question.

「衣服不合适可以退吗？」 then 「那运费谁出」: the second turn alone does not say whose postage, so the
knowledge index is searched with both turns. A turn counts as elliptical when it opens with a
follow-up word (那, 那么, 还有, 如果是 …) or holds only a few Chinese characters (「银卡呢」「台灯呢」).
Only the search changes; the model still answers the turn as asked (it sees the history), and the
turns that stand alone are searched as they are. Measured on the follow-ups of
``tests/assistant/data/followups.jsonl`` (BENCHMARKS.md, "Follow-up questions").
"""

from __future__ import annotations

import re

LEADS = ("那么", "那如果", "那要是", "那", "还有", "另外", "如果是", "要是", "换成")
SHORT_CHARS = 6  # Chinese characters; 「那没拆的呢」 and 「专票呢」 are short, 「跑步鞋偏大还是偏小」 is not
PREVIOUS_CHARS = 60
_HAN = re.compile(r"[\u4e00-\u9fff]")
_EDGE = re.compile(r"^[\s，,。.!！?？、~～…]+|[\s，,。.!！?？、~～…]+$")


def is_elliptical(text: str) -> bool:
    core = _EDGE.sub("", text)
    return bool(core) and (core.startswith(LEADS) or len(_HAN.findall(core)) <= SHORT_CHARS)


def retrieval_query(text: str, history: list[dict]) -> str:
    """``text``, or the shopper's previous question and ``text`` when ``text`` is elliptical."""
    if not is_elliptical(text):
        return text
    for m in reversed(history):
        content = (m.get("content") or "").strip()
        if m.get("role") == "user" and content and content != text.strip():
            return f"{content[:PREVIOUS_CHARS]} {text}"
    return text
