"""Exemplar store: AdvertiseGen-style ``{"content", "summary"}`` pairs, retrieved by attribute overlap.

Similarity is the Jaccard index over ``key#value`` pairs; ties (common: many items share
类型#上衣) are broken by BM25 over the values. ``exclude`` drops items whose ``content`` is
identical to the one being written, so an evaluated item is never its own exemplar.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from shopgen.copywriting.attrs import Facts, format_attrs, parse_attrs
from shopgen.core.errors import InvalidInput
from shopgen.core.jsonl import strict_objects


@dataclass(frozen=True)
class Exemplar:
    content: str  # the attribute string, e.g. 类型#上衣*颜色#白色
    summary: str  # the copy
    facts: tuple[tuple[str, str], ...]

    @property
    def pairs(self) -> frozenset[str]:
        return frozenset(f"{k}#{v}" for k, v in self.facts)


def read_pairs(path: str | Path) -> list[tuple[str, str]]:
    """``(content, summary)`` of each line. Raises InvalidInput for a missing file or a bad line."""
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"{p} does not exist")
    out = []
    with p.open(encoding="utf-8") as f:
        for n, obj in strict_objects(f, p.name):
            content, summary = obj.get("content"), obj.get("summary")
            if not isinstance(content, str) or not isinstance(summary, str) or not summary.strip():
                raise InvalidInput(f"{p.name} line {n}: needs text fields 'content' and 'summary'")
            out.append((content, summary))
    return out


class ExemplarStore:
    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        self.items = [Exemplar(c, s, tuple(parse_attrs(c))) for c, s in items]
        self._pairs = [e.pairs for e in self.items]
        self._bm25 = None

    @classmethod
    def load(cls, path: str | Path) -> ExemplarStore:
        return cls(read_pairs(path))

    def __len__(self) -> int:
        return len(self.items)

    def _bm25_scores(self, facts: Facts):
        if self._bm25 is None:
            from shopgen.search.bm25 import BM25Index

            self._bm25 = BM25Index.build(
                [(str(i), " ".join(v for _, v in e.facts)) for i, e in enumerate(self.items)], bigrams=False
            )
        return self._bm25.scores(" ".join(v for _, v in facts))

    def similar(self, facts: Facts, k: int = 2, *, exclude: str | Sequence[str] | None = None) -> list[Exemplar]:
        """The ``k`` most similar exemplars, best first; items with content in ``exclude`` never appear.

        ``exclude`` is one content string or several; an item whose content is exactly ``facts``
        (same attributes in the same order) is always left out, as it would be copied verbatim.
        """
        if k <= 0 or not self.items:
            return []
        skip = {exclude} if isinstance(exclude, str) else set(exclude or ())
        skip.add(format_attrs(facts))
        query = frozenset(f"{k_}#{v}" for k_, v in facts)
        jacc = [len(query & p) / len(query | p) if query | p else 0.0 for p in self._pairs]
        bm25 = self._bm25_scores(facts)
        order = sorted(range(len(self.items)), key=lambda i: (-jacc[i], -float(bm25[i]), i))
        return [self.items[i] for i in order if self.items[i].content not in skip][:k]


def nearest_copy_baseline(facts: Facts, store: ExemplarStore, *, exclude: str | Sequence[str] | None = None) -> str:
    """The copy of the most similar exemplar: the retrieval baseline a generator has to beat.

    Raises InvalidInput when the store has nothing left after ``exclude``.
    """
    hits = store.similar(facts, 1, exclude=exclude)
    if not hits:
        raise InvalidInput("the exemplar store has no item to copy from")
    return hits[0].summary
