"""The shop's own synonyms in lexical search: a query that uses one word of a group also looks up
the others.

A shop calls things by names no model knows: its nicknames for products (小白鞋 for the canvas
sneaker), its service's names (运费险 / 退货险 / 退货运费险), its regulars' abbreviations. The
operator lists them in a lexicon file (:mod:`shopgen.text.lexicon`: one group a line, words
separated by spaces, ``#`` comments; ``SHOPGEN_KB_SYNONYMS``) and BM25 searches each query with the
other words of every group one of its words belongs to appended. Words are matched as substrings of
the normalised query, so a nickname jieba would split still counts; a word needs two characters or
more (one character would match inside unrelated words). Dense search is left alone: e5 already
places common synonyms close, and the generic lexicon added nothing fused with it on ATEC
(BENCHMARKS.md); the shop's own words are what it cannot know.
"""

from __future__ import annotations

from pathlib import Path

from shopgen.core.errors import ConfigError, InvalidInput
from shopgen.search.base import Hit, Retriever
from shopgen.text.lexicon import Lexicon
from shopgen.text.tokenize import normalise

MIN_CHARS = 2


class Synonyms:
    def __init__(self, lexicon: Lexicon, name: str = "synonyms") -> None:
        short = sorted(w for w in lexicon.words() if len(normalise(w)) < MIN_CHARS)
        if short:
            raise InvalidInput(f"{name}: a word needs {MIN_CHARS} characters or more, not {'、'.join(short[:5])}")
        self.lexicon, self.name = lexicon, name
        # longest first, so a word inside a longer one of the query is not matched on its own
        self._words = sorted(((normalise(w), w) for w in lexicon.words()), key=lambda p: (-len(p[0]), p[0]))

    @classmethod
    def load(cls, path: Path | str) -> Synonyms:
        """A lexicon file; a missing or malformed one is a ConfigError naming the file (and line)."""
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"synonyms file not found: {path}")
        try:
            with path.open(encoding="utf-8") as f:
                return cls(Lexicon.from_lines(f, path.name), path.name)
        except (InvalidInput, UnicodeDecodeError) as exc:
            raise ConfigError(f"synonyms file {path}: {getattr(exc, 'message', exc)}") from None

    def expansions(self, query: str) -> list[str]:
        """The words a query adds: the other words of each group one of its words belongs to."""
        text = normalise(query)
        found, added = [], []
        for norm, word in self._words:
            if norm in text and not any(norm in longer for longer in found):
                found.append(norm)
                added += [s for s in self.lexicon.synonyms(word) if normalise(s) not in text and s not in added]
        return added

    def expand(self, query: str) -> str:
        extra = self.expansions(query)
        return f"{query} {' '.join(extra)}" if extra else query


class ExpandedRetriever:
    """``inner`` (a lexical retriever) searched with the shop's synonyms added to each query."""

    def __init__(self, inner: Retriever, synonyms: Synonyms) -> None:
        self.inner, self.synonyms = inner, synonyms
        self.name = getattr(inner, "name", "bm25")

    def search(self, query: str, k: int = 10) -> list[Hit]:
        return self.inner.search(self.synonyms.expand(query), k)


def with_synonyms(lexical: Retriever, synonyms: Synonyms | None) -> Retriever:
    return lexical if synonyms is None else ExpandedRetriever(lexical, synonyms)


def load_synonyms(path: Path | str | None) -> Synonyms | None:
    """The shop's synonyms from ``SHOPGEN_KB_SYNONYMS`` (None when unset)."""
    return Synonyms.load(path) if path else None
