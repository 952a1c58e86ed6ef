"""Sentiment of Chinese reviews and comments: ``{"label", "score", "language"}``.

``score`` is P(positive) from the linear model; ``label`` is ``positive`` when score ≥ 0.5.
Text that is not Chinese (fewer than a quarter of its letters are CJK) still gets an answer, but is
flagged ``"language": "non-zh"`` and its score is pulled half-way towards 0.5: the model was trained
on Chinese only, so its opinion there is weak. Text with no letters at all (emoji, digits) is
``"none"`` and treated the same way. Empty text raises InvalidInput.
"""

from __future__ import annotations

import threading
from pathlib import Path

from shopgen.core.errors import InvalidInput
from shopgen.insight.model import DEFAULT_MODEL, LinearSentiment

_LOCK = threading.Lock()
_CACHE: dict[Path, LinearSentiment] = {}


def get_model(path: str | Path | None = None) -> LinearSentiment:
    """Load a model once per path and share it (the default ships with the package)."""
    key = Path(path or DEFAULT_MODEL).resolve()
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


def analyze(texts: list[str], model: LinearSentiment | None = None) -> list[dict]:
    """Score a batch. Raises InvalidInput if any text is empty."""
    for i, t in enumerate(texts):
        if not t or not t.strip():
            raise InvalidInput("text is empty" if len(texts) == 1 else f"text {i + 1} is empty")
    model = model or get_model()
    out = []
    for text, p in zip(texts, model.proba(texts)):
        lang = language(text)
        score = float(p) if lang == "zh" else 0.5 + (float(p) - 0.5) / 2
        out.append({"label": "positive" if score >= 0.5 else "negative", "score": round(score, 4), "language": lang})
    return out


def analyze_one(text: str, model: LinearSentiment | None = None) -> dict:
    return analyze([text], model)[0]
