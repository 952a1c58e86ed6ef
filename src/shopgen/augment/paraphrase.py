"""LLM paraphrases of labelled texts, kept only when they still say the same thing.

A candidate is dropped, for the first reason that applies, when it is

- ``malformed``: empty, an echo of the prompt, or far longer than the original;
- ``facts``: it loses a product fact of the original or states one of its own
  (:func:`shopgen.augment.facts.same_facts`: sizes, prices, numbers, materials, colours, codes);
- ``meaning``: its e5 cosine similarity with the original is under ``min_similarity``;
- ``label``: the classifier (any ``texts -> labels`` callable) gives it another label;
- ``duplicate`` / ``near_duplicate``: it repeats an original or a text already kept
  (:class:`~shopgen.augment.dedupe.Deduper`).

The generator is any :class:`~shopgen.models.llm.base.TextGenerator` (the embedded model, a
server, or the scripted ``fake`` backend in unit tests); the embedder any
:class:`~shopgen.models.embed.base.Embedder`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from shopgen.augment.dedupe import Deduper
from shopgen.augment.facts import same_facts

Labeler = Callable[[list[str]], list[str]]

SYSTEM = (
    "你是电商数据增强助手。把买家的一句话换一种说法重写{n}遍，给出{n}句不同的中文句子。"
    "要求：说话人仍是买家，意思和语气不变；原句中的数字、价格、尺码、颜色、材质、型号、订单号原样保留；不添加新信息。"
    "每行一句，不要编号，不要解释。"
)
# one worked example: without it the 1.5B model gave one or two lines for four asked (13 of 40 on
# ten rows); with it, four lines almost every time
EXAMPLE = (
    {"role": "user", "content": "这个口红是正品吗"},
    {
        "role": "assistant",
        "content": "这支口红是不是正品？\n请问口红保证正品吗\n口红是正品吧？\n想确认一下这口红是正品不",
    },
)
_NUMBERING = re.compile(r"^\s*(?:\d+\s*[.、:：)）]|[-*•·]|（\d+）|\(\d+\))\s*")
_QUOTES = "\"'“”‘’「」『』"
_PREAMBLE = re.compile(r"(改写|说法|如下|以下|原句)[:：]?$")
REASONS = ("malformed", "facts", "meaning", "label", "duplicate", "near_duplicate")


def messages(text: str, n: int) -> list[dict]:
    return [{"role": "system", "content": SYSTEM.format(n=n)}, *EXAMPLE, {"role": "user", "content": text}]


def parse(reply: str) -> list[str]:
    """Candidate sentences of one reply: a line each, numbering, bullets and quotes removed."""
    out = []
    for line in reply.splitlines():
        line = _NUMBERING.sub("", line).strip().strip(_QUOTES).strip()
        if line and not _PREAMBLE.search(line):
            out.append(line)
    return out


def row_seed(seed: int, text: str) -> int:
    """The sampling seed of one row: the run's seed and the text, so a row gets the same
    paraphrases in any file and any order (as EDA's variants do)."""
    return int.from_bytes(hashlib.sha256(f"{seed}\x00{text}".encode()).digest()[:4], "big")


def generate(llm, text: str, n: int, *, temperature: float = 0.9, seed: int | None = None) -> list[str]:
    """Up to ``n`` parsed candidates from one call (the model may give fewer or more lines).
    ``seed``: the run's seed (:func:`row_seed`); None draws afresh."""
    budget = min(400, n * (2 * len(text) + 16))
    sampling = {} if seed is None else {"seed": row_seed(seed, text)}
    reply = llm.chat(messages(text, n), max_tokens=budget, temperature=temperature, **sampling).text
    return parse(reply)[:n]


@dataclass
class Candidate:
    row: int  # index of the original
    text: str


def _malformed(original: str, text: str) -> bool:
    return len(text) < 2 or len(text) > 3 * len(original) + 20 or "改写" in text


def _similarity(embedder, originals: Sequence[str], cands: list[Candidate]) -> np.ndarray:
    if not cands:
        return np.zeros(0, np.float32)
    a = embedder.embed_queries([originals[c.row] for c in cands])
    b = embedder.embed_queries([c.text for c in cands])
    return np.sum(a * b, axis=1)


def select(
    originals: Sequence[str],
    labels: Sequence[str],
    candidates: list[Candidate],
    *,
    embedder,
    labeler: Labeler | None = None,
    min_similarity: float = 0.95,
    dedupe: Deduper | None = None,
) -> tuple[list[Candidate], Counter]:
    """The candidates that pass every check, in order, and a count of the dropped per reason."""
    dropped: Counter = Counter({r: 0 for r in REASONS})
    alive = []
    for c in candidates:
        orig = originals[c.row]
        reason = "malformed" if _malformed(orig, c.text) else None if same_facts(orig, c.text) else "facts"
        if reason:
            dropped[reason] += 1
        else:
            alive.append(c)
    sims = _similarity(embedder, originals, alive)
    kept = [c for c, s in zip(alive, sims) if s >= min_similarity]
    dropped["meaning"] += len(alive) - len(kept)
    if labeler is not None and kept:
        predicted = labeler([c.text for c in kept])
        agreed = [c for c, p in zip(kept, predicted) if p == labels[c.row]]
        dropped["label"] += len(kept) - len(agreed)
        kept = agreed
    dedupe = dedupe if dedupe is not None else Deduper(originals)
    out = []
    for c in kept:
        reason = dedupe.check(c.text)
        if reason:
            dropped[reason] += 1
        else:
            out.append(c)
    return out, dropped
