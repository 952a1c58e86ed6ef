"""Text → feature strings for the linear text models (sentiment, intent).

Three families, each with its own prefix so they never collide:

- character 1–3-grams of the normalised text (robust to jieba's mistakes and to typos);
- jieba words (``w:``), and word bigrams (``b:``);
- negation scope (``n:``): a word that follows 不/没/别/无/未… inside the same clause is also emitted
  negated, so "不满意" and "满意" pull in opposite directions even when the char n-grams are shared.

The same function serves training and prediction, so the shipped model sees exactly the features
it was trained on. A model file names its feature function (``"zh-words"`` for :func:`featurize`);
:data:`FEATURES` maps those names to functions, and a domain with its own features registers them
(the live copilot's ``"live-chars"``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from shopgen.core.errors import ConfigError

NEGATORS = frozenset(
    {"不", "没", "没有", "别", "无", "未", "非", "不是", "不太", "不够", "不会", "并不", "毫不", "从不", "绝不"}
)
_CLAUSE_END = frozenset("，,。.！!？?；;～~\n、 ")
_SPACE = re.compile(r"\s+")
_REPEAT = re.compile(r"(.)\1{3,}")


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), lower case, one space, long repeats cut to three."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _REPEAT.sub(r"\1\1\1", text)
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words(text: str) -> list[str]:
    """jieba words of already-normalised text, without HMM (faster, and stable across versions)."""
    return [w for w in _jieba().lcut(text, HMM=False) if w.strip()]


def char_ngrams(text: str, n_max: int = 3) -> list[str]:
    chars = text.replace(" ", "")
    out = list(chars)
    for n in range(2, n_max + 1):
        out.extend(chars[i : i + n] for i in range(len(chars) - n + 1))
    return out


def word_features(tokens: list[str]) -> list[str]:
    """Words, word bigrams and negation-scoped words."""
    out = ["w:" + t for t in tokens]
    out.extend(f"b:{a}|{b}" for a, b in zip(tokens, tokens[1:]))
    negated = False
    for tok in tokens:
        if tok in _CLAUSE_END or all(c in _CLAUSE_END for c in tok):
            negated = False
        elif tok in NEGATORS:
            negated = True
        elif negated:
            out.append("n:" + tok)
    return out


def featurize(text: str) -> list[str]:
    """All feature strings of one raw text (duplicates kept: counts matter)."""
    norm = normalise(text)
    return char_ngrams(norm) + word_features(words(norm))


#: feature function by the name a model file records (``meta["features"]``)
FEATURES: dict[str, Callable[[str], list[str]]] = {"zh-words": featurize}


def register(name: str, fn: Callable[[str], list[str]]) -> None:
    FEATURES[name] = fn


def feature_function(name: str) -> Callable[[str], list[str]]:
    """The function behind a model's feature name; ConfigError listing the known ones."""
    try:
        return FEATURES[name]
    except KeyError:
        raise ConfigError(
            f"unknown text features '{name}' (known: {', '.join(sorted(FEATURES))})", {"name": name}
        ) from None
