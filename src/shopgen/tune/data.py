"""Training examples for ``shopgen tune``: facts → copy, from a pairs file or the shop's drafts.

Each example is the copywriter's own zero-shot prompt for the facts (so the tuned model is asked
exactly what it learnt to answer) and the copy as the target. Before training the examples are
cleaned: normalised, personal data masked, exact duplicates and copy outside the kind's length
limits dropped; :func:`prepare` says what it dropped and why. Too few examples is an error.
Cleaning is :mod:`shopgen.dataprep`'s (``shopgen data clean``): its normalisation and its MinHash
near-duplicate finder (copy that differs in a few characters teaches nothing twice).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from shopgen.copywriting.attrs import Facts, parse_attrs
from shopgen.copywriting.exemplars import read_pairs
from shopgen.copywriting.prompts import build_messages, check_kind, limits
from shopgen.core.errors import InvalidInput
from shopgen.dataprep.dedup import find_groups, row_key
from shopgen.dataprep.normalise import normalise
from shopgen.security.pii import mask

NEAR_DUPLICATE = 0.8  # character-bigram Jaccard, as `shopgen data clean`
MIN_EXAMPLES = 40  # below this a held-out part for early stopping is too small to mean anything
HELD_OUT_SHARE = 0.1
MIN_HELD_OUT, MAX_HELD_OUT = 8, 64  # the held-out loss is measured every epoch: keep it cheap


@dataclass(frozen=True)
class Example:
    facts: Facts
    target: str

    def messages(self, kind: str) -> list[dict]:
        return build_messages(self.facts, kind)


@dataclass
class Prepared:
    train: list[Example]
    held_out: list[Example]
    dropped: dict[str, int] = field(default_factory=dict)

    def report(self) -> dict:
        return {"train": len(self.train), "held_out": len(self.held_out), "dropped": dict(self.dropped)}


def from_pairs(path: str | Path) -> list[tuple[str, str]]:
    """``(content, summary)`` pairs; a bad line raises InvalidInput naming it (training never starts)."""
    pairs = read_pairs(path)
    for n, (content, _) in enumerate(pairs, 1):
        try:
            parse_attrs(content)
        except InvalidInput as exc:
            raise InvalidInput(f"{Path(path).name} line {n}: {exc}") from None
    return pairs


def from_drafts(session, kind: str = "description") -> list[tuple[str, str]]:
    """The shop's approved drafts of ``kind`` as pairs: its house style."""
    from shopgen.copywriting.house import approved_pairs

    return approved_pairs(session, kind)


def _clean(text: str) -> str:
    return mask(" ".join(normalise(text).split()))


def prepare(
    pairs: list[tuple[str, str]], kind: str = "description", *, seed: int = 0, max_examples: int | None = None
) -> Prepared:
    """Clean, deduplicate, cap and split ``pairs``. Raises InvalidInput when fewer than MIN_EXAMPLES remain."""
    check_kind(kind)
    low, high = limits(kind)
    dropped: dict[str, int] = {}
    targets = [_clean(summary) for _, summary in pairs]
    why: dict[int, str] = {}
    for group in find_groups([row_key([t]) for t in targets], threshold=NEAR_DUPLICATE):
        for m in group.members[1:]:
            why[m.index] = m.kind
    examples = []
    for i, ((content, _), target) in enumerate(zip(pairs, targets, strict=True)):
        reason = why.get(i)
        if reason is None and kind != "selling_points" and not low <= len(target) <= high:
            reason = "length"
        if reason:
            dropped[reason] = dropped.get(reason, 0) + 1
            continue
        examples.append(Example(tuple(parse_attrs(_clean(content))), target))
    if len(examples) < MIN_EXAMPLES:
        raise InvalidInput(
            f"{len(examples)} usable examples (of {len(pairs)}); tuning needs at least {MIN_EXAMPLES}"
            + (f" (dropped: {', '.join(f'{k} {v}' for k, v in sorted(dropped.items()))})" if dropped else "")
        )
    random.Random(seed).shuffle(examples)
    pool = min(len(examples), max_examples or len(examples))
    held = max(MIN_HELD_OUT, min(MAX_HELD_OUT, round(pool * HELD_OUT_SHARE)))
    held_out, train = examples[:held], examples[held:]
    if max_examples is not None and len(train) > max_examples:
        dropped["over max_examples"] = len(train) - max_examples
        train = train[:max_examples]
    return Prepared(train, held_out, dropped)
