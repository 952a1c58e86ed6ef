"""Short evidence for the model: only the parts of each passage that bear on the question.

The first token of an LLM answer waits for the whole prompt to be read, and on two CPU cores the
1.5B model reads roughly a hundred tokens a second, so every character of evidence costs time.
A passage is cut into clauses (at 。；！？ and line breaks); its first clause (the title or the
question of an FAQ) is always kept, the others are ranked by how many of the question's character
bigrams they share (numbers and the price clause win when the question asks about price) and kept,
in their original order, until ``budget`` characters are used.
"""

from __future__ import annotations

import re

from shopgen.text.similarity import bigrams

_CLAUSE = re.compile(r"(?<=[。；;！!？?\n])")
PRICE_WORDS = re.compile(r"价|钱|多少|贵|便宜|优惠|折")
SIZE_WORDS = re.compile(r"码|尺|号|身高|体重|胸围|腰围")


def clauses(text: str) -> list[str]:
    return [c for c in (p.strip() for p in _CLAUSE.split(text)) if c]


def _boost(clause: str, query: str) -> float:
    score = 0.0
    if PRICE_WORDS.search(query) and ("售价" in clause or "元" in clause):
        score += 5
    if SIZE_WORDS.search(query) and ("尺码" in clause or "码" in clause):
        score += 5
    return score


def compact(text: str, query: str, budget: int = 120) -> str:
    """``text`` cut to at most about ``budget`` characters of the clauses most relevant to ``query``."""
    parts = clauses(text)
    if len(text) <= budget or len(parts) <= 1:
        return text[: budget * 2] if len(text) > budget * 2 else text
    q = bigrams(query)
    head, rest = parts[0][:budget], parts[1:]
    ranked = sorted(range(len(rest)), key=lambda i: -(len(q & bigrams(rest[i])) + _boost(rest[i], query)))
    keep, used = set(), len(head)
    for i in ranked:
        if used + len(rest[i]) > budget and keep:
            continue
        if used + len(rest[i]) > budget * 1.5:
            continue
        keep.add(i)
        used += len(rest[i])
    return "".join([head, *(rest[i] for i in sorted(keep))])
