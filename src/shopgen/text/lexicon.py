"""Synonym lexicons: groups of words a shopper uses interchangeably.

EDA draws on the shipped one (``augment/data/synonyms.txt``, written for shopgen); search expands
queries with a shop's own (:mod:`shopgen.search.synonyms`). A file holds one group a line, words
separated by spaces, ``#`` comments. A word in several groups gets the union of their other words.

>>> lex = Lexicon.from_lines(["便宜 实惠 划算", "# a comment", "实惠 优惠"])
>>> lex.synonyms("实惠")
('优惠', '便宜', '划算')
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from shopgen.core.errors import InvalidInput


class Lexicon:
    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        table: dict[str, set[str]] = {}
        self.groups: list[tuple[str, ...]] = []
        for group in groups:
            words = tuple(dict.fromkeys(group))
            self.groups.append(words)
            for w in words:
                table.setdefault(w, set()).update(x for x in words if x != w)
        self.n_groups = len(self.groups)
        # sorted tuples: a seeded choice picks the same word on every run
        self._table = {w: tuple(sorted(s)) for w, s in table.items() if s}

    @classmethod
    def from_lines(cls, lines: Iterable[str], name: str = "lexicon") -> Lexicon:
        groups = []
        for n, raw in enumerate(lines, 1):
            line = raw.split("#", 1)[0].split()
            if not line:
                continue
            if len(line) < 2:
                raise InvalidInput(f"{name} line {n}: a group needs two words or more")
            groups.append(line)
        return cls(groups)

    @classmethod
    def load(cls, path: str | Path) -> Lexicon:
        path = Path(path)
        if not path.is_file():
            raise InvalidInput(f"{path}: no such lexicon file")
        with path.open(encoding="utf-8") as f:
            return cls.from_lines(f, path.name)

    def synonyms(self, word: str) -> tuple[str, ...]:
        return self._table.get(word, ())

    def words(self) -> set[str]:
        return set(self._table)

    def __len__(self) -> int:
        return len(self._table)
