"""Post-processing that makes a draft fit its kind: clean-up, length limits, bullets, sections, hashtags.

Each function returns the shaped text; :func:`problems` says what still does not fit, as issues of
type ``"length"`` or ``"structure"`` (same shape as grounding issues).
"""

from __future__ import annotations

import re

from shopgen.copywriting.prompts import LIVE_SECTIONS, LIVE_SECTIONS_EN, limits

SENTENCE_END = "。！？!?；;…"
SOFT_BREAK = "，,、：: ｜|/ -—"
_PREFIX = re.compile(r"^\s*(?:文案|标题|商品标题|描述|商品描述|title|description)\s*[:：]\s*", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•·●▪]|\d+[.、)）]|[①②③④⑤⑥⑦⑧⑨])\s*")


def clean(text: str) -> str:
    """Strip a label such as '文案：' and wrapping quotes that small models like to add."""
    text = _PREFIX.sub("", text.strip())
    if len(text) >= 2 and text[0] in "\"“「『'" and text[-1] in "\"”」』'":
        text = text[1:-1].strip()
    return text


_EMPHASIS = re.compile(r"\*\*|__|^#+\s*")
_HEADING = re.compile(r"^【[^】]{1,12}】$")


def paragraph(text: str) -> str:
    """One Chinese paragraph from what small models write as Markdown despite the prompt: bold and
    heading marks and bullets go, a section heading line (「【高性价比】」) goes, and a line that ends
    without punctuation is joined to the next with a comma instead of running into it."""
    lines = []
    for raw in text.splitlines():
        line = _BULLET.sub("", _EMPHASIS.sub("", raw.strip())).strip()
        if line and not _HEADING.match(line):
            lines.append("".join(line.split()))
    out = ""
    for line in lines:
        if out and out[-1] not in SENTENCE_END + "，,、：:":
            out += "，"
        out += line
    return out


def trim_to_sentence(text: str, max_chars: int) -> str:
    """At most ``max_chars``, cut after the last sentence end that fits (else at a soft break)."""
    if len(text) <= max_chars:
        return text
    head = text[:max_chars]
    cut = max(head.rfind(c) for c in SENTENCE_END)
    if cut >= max_chars // 2:
        return head[: cut + 1]
    cut = max(head.rfind(c) for c in SOFT_BREAK)
    return (head[:cut] if cut >= max_chars // 2 else head).rstrip(SOFT_BREAK) + "。"


def shape_title(text: str, max_chars: int) -> str:
    line = next((x for x in text.splitlines() if x.strip()), "").strip()
    line = line.strip(SENTENCE_END + "。.")
    if len(line) > max_chars:
        head = line[:max_chars]
        cut = max(head.rfind(c) for c in SOFT_BREAK + SENTENCE_END)
        line = head[:cut] if cut >= max_chars // 2 else head
    return line.strip(SOFT_BREAK + SENTENCE_END)


def bullets(text: str) -> list[str]:
    lines = [_BULLET.sub("", x).strip() for x in text.splitlines()]
    return [x for x in lines if x]


def shape_bullets(text: str, max_items: int) -> str:
    return "\n".join(f"- {b}" for b in bullets(text)[:max_items])


def shape(text: str, kind: str, lang: str = "zh") -> str:
    text = clean(text)
    lo, hi = limits(kind, lang)
    if kind == "title":
        return shape_title(text, hi)
    if kind == "selling_points":
        return shape_bullets(text, hi)
    if kind == "description":
        return trim_to_sentence(" ".join(text.split()) if lang == "en" else paragraph(text), hi)
    return text


def add_hashtags(text: str, tags: list[str]) -> str:
    """A social post without hashtags gets them from the facts."""
    if "#" in text or not tags:
        return text
    return text.rstrip() + "\n" + " ".join(f"#{t}" for t in tags[:4])


def repeated(text: str, size: int = 8, times: int = 3) -> str | None:
    """A run of ``size`` characters that occurs ``times`` or more (small models fall into loops)."""
    seen: dict[str, int] = {}
    compact = "".join(text.split())
    for i in range(len(compact) - size + 1):
        chunk = compact[i : i + size]
        seen[chunk] = seen.get(chunk, 0) + 1
        if seen[chunk] >= times:
            return chunk
    return None


def problems(text: str, kind: str, lang: str = "zh") -> list[dict]:
    lo, hi = limits(kind, lang)
    out = []
    loop = repeated(text)
    if loop:
        out.append(_issue("structure", "repetition", f"the text repeats itself ({loop!r} three times or more)"))
    if kind == "selling_points":
        n = len(bullets(text))
        if not lo <= n <= hi:
            out.append(_issue("length", f"{n} bullets", f"needs {lo} to {hi} bullets"))
        return out
    n = len(text)
    if kind == "live_script":
        labels = LIVE_SECTIONS_EN if lang == "en" else LIVE_SECTIONS
        missing = [s for s in labels if s not in text]
        if missing:
            out.append(_issue("structure", "sections", f"missing sections: {' '.join(missing)}"))
        lo, hi = int(lo * 0.8), int(hi * 1.2)  # spoken length is approximate
    if kind == "social_post" and "#" not in text:
        out.append(_issue("structure", "hashtags", "no #hashtags"))
    if not lo <= n <= hi:
        out.append(_issue("length", f"{n} characters", f"needs {lo} to {hi} characters"))
    return out


def _issue(kind: str, claim: str, detail: str) -> dict:
    return {"type": kind, "claim": claim, "span": None, "detail": detail, "aspect": "form"}


def drop_clauses(text: str, spans: list[list[int]]) -> str:
    """``text`` without the clauses (between commas or sentence ends) that hold any of ``spans``."""
    from shopgen.copywriting.compliance import _clause_bounds

    for start, end in sorted(spans, reverse=True):
        if end <= len(text):
            lo, hi = _clause_bounds(text, start, end)
            text = text[:lo] + text[hi:]
    return text.strip()
