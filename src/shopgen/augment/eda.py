"""EDA for Chinese (Wei and Zou, 2019, "EDA: Easy Data Augmentation Techniques for Boosting
Performance on Text Classification Tasks"): synonym replacement (SR), random insertion of a
synonym (RI), random swap (RS) and random deletion (RD), over jieba words.

Product facts (:mod:`shopgen.augment.facts`) and Latin words are single words that no operation
may replace, delete, move or split, and an edit that would make a fact read differently (a number
followed by an inserted 包装 reads as 99包) is not made. Negations and question particles (不好,
能不能, 吗) are only ever replaced by a synonym: dropping 不 or 吗 turns a sentence into its
opposite or a question into a statement. Each operation changes
``n = max(1, round(alpha × words))`` words (RD deletes each word with probability ``alpha``).
Variants depend only on ``(seed, text)``: the same row gives the same variants in any file.

>>> variants("这件纯棉T恤175cm穿XL码合适吗", 2, seed=0)  # doctest: +SKIP
[('sr', '这件纯棉T恤175cm穿XL码合身吗'), ('ri', '这件纯棉T恤175cm穿XL码刚好合适吗')]
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from shopgen.augment import facts
from shopgen.augment.lexicon import Lexicon, default
from shopgen.text.tokenize import pieces

OPS = ("sr", "ri", "rs", "rd")
#: negations and question particles: replaced only by a synonym (不好 → 不行), never moved or dropped
KEEP = frozenset("别 无 未 非 吗 么 嘛 呢".split())
_NEGATING = ("不", "没")
_PUNCT = re.compile(r"^[\W_]+$")
_ASCII = re.compile(r"[0-9A-Za-z]")
_MAX_MERGE = 4  # jieba may cut a lexicon phrase (想问下 → 想 / 问下): rejoin up to this many words


@dataclass(frozen=True)
class Word:
    text: str
    kind: str = "free"  # free | keep (synonyms only) | fixed (facts, Latin words, punctuation)


def _kind(word: str) -> str:
    if _PUNCT.match(word) or _ASCII.search(word):
        return "fixed"
    return "keep" if word in KEEP or any(n in word for n in _NEGATING) else "free"


def _free_words(chunk: str, lexicon: Lexicon) -> list[Word]:
    ws = pieces(chunk)
    out, i = [], 0
    while i < len(ws):
        for k in range(min(_MAX_MERGE, len(ws) - i), 0, -1):
            joined = "".join(ws[i : i + k])
            if k == 1 or lexicon.synonyms(joined):
                break
        out.append(Word(joined, _kind(joined)))
        i += k
    return out


def segment(text: str, lexicon: Lexicon | None = None) -> list[Word]:
    """Words of ``text``; each fact is one fixed word. ``"".join`` gives ``text`` back."""
    lexicon = lexicon or default()
    out, pos = [], 0
    for span in facts.spans(text):
        if span.kind == "latin":  # left to jieba, which keeps T恤 whole; fixed for containing Latin
            continue
        out += _free_words(text[pos : span.start], lexicon)
        out.append(Word(span.text, "fixed"))
        pos = span.end
    return out + _free_words(text[pos:], lexicon)


def _where(words: list[Word], *kinds: str) -> list[int]:
    return [i for i, w in enumerate(words) if w.kind in kinds]


def replace(words: list[Word], n: int, rng: random.Random, lexicon: Lexicon) -> list[Word]:
    idx = [i for i in _where(words, "free", "keep") if lexicon.synonyms(words[i].text)]
    rng.shuffle(idx)
    out = list(words)
    for i in idx[:n]:
        out[i] = Word(rng.choice(lexicon.synonyms(words[i].text)), words[i].kind)
    return out


def insert(words: list[Word], n: int, rng: random.Random, lexicon: Lexicon) -> list[Word]:
    idx = [i for i in _where(words, "free") if lexicon.synonyms(words[i].text)]
    out = list(words)
    for _ in range(n if idx else 0):
        synonym = rng.choice(lexicon.synonyms(words[rng.choice(idx)].text))
        out.insert(rng.randint(0, len(out)), Word(synonym, _kind(synonym)))
    return out


def swap(words: list[Word], n: int, rng: random.Random, lexicon: Lexicon) -> list[Word]:
    out = list(words)
    for _ in range(n):
        idx = _where(out, "free")
        if len(idx) < 2:
            break
        a, b = rng.sample(idx, 2)
        out[a], out[b] = out[b], out[a]
    return out


def delete(words: list[Word], p: float, rng: random.Random, lexicon: Lexicon) -> list[Word]:
    idx = _where(words, "free")
    if len(idx) < 2:  # deleting the only free word leaves too little of the sentence
        return list(words)
    gone = {i for i in idx if rng.random() < p} or {rng.choice(idx)}
    if len(gone) == len(idx):
        gone.discard(rng.choice(sorted(gone)))
    return [w for i, w in enumerate(words) if i not in gone]


def join(words: list[Word]) -> str:
    """The words as text; a space where two Latin or digit words would otherwise run together."""
    out: list[str] = []
    for w in words:
        if out and out[-1][-1:].isascii() and out[-1][-1:].isalnum() and w.text[:1].isascii() and w.text[:1].isalnum():
            out.append(" ")
        out.append(w.text)
    return "".join(out)


def apply(op: str, words: list[Word], rng: random.Random, *, alpha: float, lexicon: Lexicon) -> str:
    """One EDA operation on segmented words; returns the new text, or the old one when the edit
    would change what the facts read as (99 + 包装 → "99包")."""
    n = max(1, round(alpha * len(_where(words, "free", "keep"))))
    if op == "rd":
        edited = delete(words, alpha, rng, lexicon)
    else:
        edited = {"sr": replace, "ri": insert, "rs": swap}[op](words, n, rng, lexicon)
    text, new = join(words), join(edited)
    return new if facts.facts(new) == facts.facts(text) else text


def variants(
    text: str, n: int, *, seed: int = 0, alpha: float = 0.1, lexicon: Lexicon | None = None
) -> list[tuple[str, str]]:
    """Up to ``n`` distinct ``(op, variant)`` pairs of ``text``, operations taken in turn from a
    seeded start; an operation that changes nothing (no synonym known) is tried again with the next."""
    lexicon = lexicon or default()
    rng = random.Random(f"{seed}\x00{text}")
    words = segment(text, lexicon)
    start, out, seen = rng.randrange(len(OPS)), [], {text}
    for attempt in range(4 * n):
        if len(out) >= n:
            break
        op = OPS[(start + attempt) % len(OPS)]
        new = apply(op, words, rng, alpha=alpha, lexicon=lexicon)
        if new not in seen and new.strip():
            seen.add(new)
            out.append((op, new))
    return out
