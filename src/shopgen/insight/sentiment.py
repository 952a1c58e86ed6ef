"""Sentiment of Chinese reviews and comments: ``{"label", "score", "language"}``.

``score`` is P(positive) from the chosen model; ``label`` is ``positive`` when score ≥ 0.5. Models
are picked by name (:data:`MODELS`): ``linear``, the fast default, or ``ensemble``, the linear model
blended with an e5-embedding head (:mod:`shopgen.insight.ensemble`; more accurate, but only as fast
as the embedder: tens of texts/s instead of thousands). Any other value is a path to a model
trained with ``shopgen insight train``; an unknown name is a ConfigError, never a silent fallback.

Text that is not Chinese (fewer than a quarter of its letters are CJK) still gets an answer, but is
flagged ``"language": "non-zh"`` and its score is pulled half-way towards 0.5: the model was trained
on Chinese only, so its opinion there is weak. Text with no letters at all (emoji, digits) is
``"none"`` and treated the same way. Empty text raises InvalidInput.
"""

from __future__ import annotations

import threading
from pathlib import Path

from shopgen.core.errors import ConfigError, InvalidInput
from shopgen.insight.model import DEFAULT_MODEL, LinearSentiment

MODELS = {
    "linear": "char n-grams + jieba words, NB-scaled logistic regression (the fast default)",
    "ensemble": "linear model blended with a head on e5 sentence embeddings (slower, more accurate)",
}

_LOCK = threading.RLock()
_CACHE: dict[object, object] = {}


def model_path(name_or_path: str | Path | None) -> Path | None:
    """The .npz file behind a linear model name or path; None for a model that is not one file."""
    if name_or_path is None or str(name_or_path) == "linear":
        return DEFAULT_MODEL
    if str(name_or_path) in MODELS:
        return None
    return Path(name_or_path)


def get_model(name_or_path=None):
    """Load a model once per name or path and share it. ``None`` is ``linear``, the shipped default;
    a model already loaded (anything with ``proba``) is returned as it is.

    Raises ConfigError for an unknown name or a missing / foreign file.
    """
    if name_or_path is not None and not isinstance(name_or_path, (str, Path)):
        return name_or_path
    name = str(name_or_path) if name_or_path is not None else "linear"
    if name == "ensemble":
        with _LOCK:
            if "ensemble" not in _CACHE:
                from shopgen.insight.ensemble import DEFAULT_HEAD, E5Head, EnsembleSentiment

                _CACHE["ensemble"] = EnsembleSentiment(get_model("linear"), E5Head.load(DEFAULT_HEAD))
            return _CACHE["ensemble"]
    path = model_path(name_or_path)
    if not path.is_file() and not path.suffix and len(path.parts) == 1:
        raise ConfigError(
            f"unknown sentiment model '{name}' (names: {', '.join(MODELS)}; or a path to a .npz "
            "trained with 'shopgen insight train')"
        )
    key = path.resolve()
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = LinearSentiment.load(key)
        return _CACHE[key]


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def language(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "none"
    return "zh" if sum(map(_is_cjk, letters)) / len(letters) >= 0.25 else "non-zh"


def analyze(texts: list[str], model=None) -> list[dict]:
    """Score a batch. Raises InvalidInput if any text is empty."""
    for i, t in enumerate(texts):
        if not t or not t.strip():
            raise InvalidInput("text is empty" if len(texts) == 1 else f"text {i + 1} is empty")
    model = get_model(model)
    out = []
    for text, p in zip(texts, model.proba(texts)):
        lang = language(text)
        score = float(p) if lang == "zh" else 0.5 + (float(p) - 0.5) / 2
        out.append({"label": "positive" if score >= 0.5 else "negative", "score": round(score, 4), "language": lang})
    return out


def analyze_one(text: str, model=None) -> dict:
    return analyze([text], model)[0]
