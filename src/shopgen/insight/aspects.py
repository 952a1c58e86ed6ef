"""Which aspects a review talks about (质量, 尺码, 物流 …) and the polarity of each.

Method: split the review into clauses (punctuation and 但/不过/可是/就是), find aspect terms in each
clause (:mod:`shopgen.insight.lexicon`), and give each mention the polarity of its clause: a fixed
cue for that aspect when one is present (negation flips it), otherwise the sentiment model's logit
on the clause blended with the whole review's. A clause that names an aspect but carries no
opinion borrows the next clause ("物流嘛，很快").
"""

from __future__ import annotations

import re
from functools import lru_cache

from shopgen.core.errors import InvalidInput
from shopgen.insight.lexicon import ASPECTS, CUES, GENERAL, NEGATORS

_SPLIT = re.compile(r"[，,。.!！?？;；~～\n]+|(?:但是|但|不过|可是|可惜|就是|只是|而且)")
_CLAUSE_WEIGHT = 0.75
_CONFIDENT = 1.0


@lru_cache(maxsize=1)
def _tokenizer():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    for terms in ASPECTS.values():
        for t in terms:
            tok.add_word(t, freq=20000)
    return tok


def clauses(text: str) -> list[str]:
    return [c.strip() for c in _SPLIT.split(text) if c and c.strip()]


def mentions(clause: str) -> list[str]:
    """Aspects named in one clause, in lexicon order."""
    tokens = set(_tokenizer().lcut(clause, HMM=False))
    return [a for a, terms in ASPECTS.items() if any(t in tokens or (len(t) > 1 and t in clause) for t in terms)]


def cue_polarity(aspect: str | None, clause: str) -> int:
    """+1 / -1 from a fixed cue for this aspect (``None``: a general opinion word), 0 if none."""
    neg, pos = CUES.get(aspect, ((), ())) if aspect else GENERAL
    for sign, cues in ((-1, neg), (1, pos)):
        for cue in sorted(cues, key=len, reverse=True):
            at = clause.find(cue)
            if at >= 0:
                negated = any(clause[max(0, at - len(n)) : at] == n for n in NEGATORS) and not cue.startswith("不")
                return -sign if negated else sign
    return 0


def analyze(text: str, model) -> list[dict]:
    """``[{"aspect", "polarity", "score", "evidence"}]`` for one review, clause logits from ``model``
    (a loaded sentiment model; the thresholds were tuned on ``linear``). Raises InvalidInput if empty."""
    if not text or not text.strip():
        raise InvalidInput("text is empty")
    parts = clauses(text)
    if not parts:
        return []
    logits = model.decision(parts + [text])
    review_logit = float(logits[-1])
    found: dict[str, list[tuple[float, str]]] = {}
    for i, clause in enumerate(parts):
        for aspect in mentions(clause):
            found.setdefault(aspect, []).append(_mention_score(aspect, parts, i, logits, review_logit))
    return [_summary(aspect, scored) for aspect, scored in found.items()]


def _mention_score(aspect: str, parts: list[str], i: int, logits, review_logit: float) -> tuple[float, str]:
    clause = parts[i]
    cue = cue_polarity(aspect, clause)
    if cue:
        return 3.0 * cue, clause
    own = float(logits[i])
    if len(clause) <= 3 and i + 1 < len(parts):  # "物流嘛，很快": the opinion is in the next clause
        own, clause = float(logits[i + 1]), f"{clause}，{parts[i + 1]}"
    if abs(own) >= _CONFIDENT:  # a clear clause speaks for itself; the review only breaks near-ties
        return own, clause
    general = cue_polarity(None, clause)
    if general:
        return 2.0 * general, clause
    return _CLAUSE_WEIGHT * own + (1 - _CLAUSE_WEIGHT) * review_logit, clause


def _summary(aspect: str, scored: list[tuple[float, str]]) -> dict:
    signs = {s > 0 for s, _ in scored}
    mean = sum(s for s, _ in scored) / len(scored)
    polarity = "mixed" if len(signs) == 2 else ("positive" if mean > 0 else "negative")
    return {"aspect": aspect, "polarity": polarity, "score": round(mean, 3), "evidence": [c for _, c in scored]}
