"""Sentiment of Chinese reviews and comments: ``{"label", "score", "language"}``.

``score`` is P(positive) from the chosen model; ``label`` is ``positive`` when score ≥ 0.5. Models
are picked by name (:data:`sentiment_models`, the service's default from ``SHOPGEN_SENTIMENT_MODEL``):
``linear``, the fast default, or ``ensemble``, the linear model blended with an e5-embedding head
(:mod:`shopgen.insight.ensemble`; more accurate, but only as fast as the embedder: tens of texts/s
instead of thousands). Any other value is a path to a model trained with ``shopgen insight train``;
an unknown name is a ConfigError, never a silent fallback. Models are loaded by :func:`load` and
cached by the runtime (``runtime.sentiment(name)``); every function here takes the loaded model.

Text that is not Chinese (fewer than a quarter of its letters are CJK) still gets an answer, but is
flagged ``"language": "non-zh"`` and its score is pulled half-way towards 0.5: the model was trained
on Chinese only, so its opinion there is weak. Text with no letters at all (emoji, digits) is
``"none"`` and treated the same way. Empty text raises InvalidInput.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from shopgen.core.errors import ConfigError, InvalidInput
from shopgen.core.registry import Registry
from shopgen.insight.model import DEFAULT_MODEL, LinearSentiment


class SentimentModel(Protocol):
    name: str
    meta: dict

    def decision(self, texts: list[str]) -> np.ndarray:
        """Logits, one per text; 0.0 (P = 0.5) for a text the model has no evidence about."""
        ...

    def proba(self, texts: list[str]) -> np.ndarray:
        """P(positive) = sigmoid(decision), one per text."""
        ...


#: sentiment models by name; a factory takes the runtime (it loads what the model needs)
sentiment_models: Registry[SentimentModel] = Registry("sentiment model")


@sentiment_models.register("linear")
def _linear(runtime) -> SentimentModel:
    """Char n-grams + jieba words, NB-scaled logistic regression (the fast default)."""
    return LinearSentiment.load(DEFAULT_MODEL)


@sentiment_models.register("ensemble")
def _ensemble(runtime) -> SentimentModel:
    """The linear model blended with a head on e5 sentence embeddings (slower, more accurate)."""
    from shopgen.insight.ensemble import DEFAULT_HEAD, EMBED_BACKEND, E5Head, EnsembleSentiment

    return EnsembleSentiment(runtime.sentiment("linear"), E5Head.load(DEFAULT_HEAD), runtime.embedder(EMBED_BACKEND))


def model_path(name_or_path: str | Path | None) -> Path | None:
    """The .npz file behind a linear model name or path; None for a model that is not one file."""
    if name_or_path is None or str(name_or_path) == "linear":
        return DEFAULT_MODEL
    if str(name_or_path) in sentiment_models.names():
        return None
    return Path(name_or_path)


def load(name_or_path: str | Path | None, runtime) -> SentimentModel:
    """The model named ``name_or_path`` (``None`` is ``linear``, the shipped default), or a model
    trained with ``shopgen insight train`` by its path. Loads every time: ``runtime.sentiment(name)``
    is the cached way in (the runtime calls this once per name).

    Raises ConfigError for an unknown name or a missing / foreign file.
    """
    name = str(name_or_path) if name_or_path is not None else "linear"
    if name in sentiment_models.names():
        return sentiment_models.create(name, runtime)
    path = Path(name)
    if not path.is_file() and not path.suffix and len(path.parts) == 1:
        raise ConfigError(
            f"unknown sentiment model '{name}' (names: {', '.join(sentiment_models.names())}; or a path to a .npz "
            "trained with 'shopgen insight train')"
        )
    return LinearSentiment.load(path)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def language(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "none"
    return "zh" if sum(map(_is_cjk, letters)) / len(letters) >= 0.25 else "non-zh"


def analyze(texts: list[str], model: SentimentModel) -> list[dict]:
    """Score a batch with ``model`` (``runtime.sentiment(name)``). Raises InvalidInput if any text is empty."""
    for i, t in enumerate(texts):
        if not t or not t.strip():
            raise InvalidInput("text is empty" if len(texts) == 1 else f"text {i + 1} is empty")
    out = []
    for text, p in zip(texts, model.proba(texts)):
        lang = language(text)
        score = float(p) if lang == "zh" else 0.5 + (float(p) - 0.5) / 2
        out.append({"label": "positive" if score >= 0.5 else "negative", "score": round(score, 4), "language": lang})
    return out


def analyze_one(text: str, model: SentimentModel) -> dict:
    return analyze([text], model)[0]
