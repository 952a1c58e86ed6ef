"""Comment → ``{"intent", "confidence", "sentiment": {"label", "score"}}``, fast.

The fast path per comment is: normalise (cached), rule layer, then the linear intent model and the
insight sentiment model for the texts not already in the LRU cache, all misses of a batch scored in
one numpy pass. Live comments repeat heavily ("扣1", "666", "包邮吗"), so most of a busy room is
served from the cache.

Sentiment comes from :mod:`shopgen.insight.sentiment` (``label`` positive/negative, ``score`` =
P(positive)); a comment with no letters (emoji only, digits) gets a small emoji lexicon's verdict or
``neutral`` / 0.5.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from shopgen.live.intent import LABELS, IntentModel, features, get_model, rule
from shopgen.live.normalize import Normalized, check_text, normalize

_POS_EMOJI = frozenset("👍❤💕💖🥰😍😊🔥👏🌹💯🙌✨😘🤩")
_NEG_EMOJI = frozenset("👎😡😠💔😤🤮😒😞😭")


def _emoji_sentiment(emoji: tuple[str, ...]) -> dict:
    pos = sum(1 for e in emoji if e[:1] in _POS_EMOJI)
    neg = sum(1 for e in emoji if e[:1] in _NEG_EMOJI)
    if pos > neg:
        return {"label": "positive", "score": 0.75}
    if neg > pos:
        return {"label": "negative", "score": 0.25}
    return {"label": "neutral", "score": 0.5}


class Classifier:
    """Intent + sentiment with an LRU cache per normalised text. Thread-safe."""

    def __init__(
        self,
        model: IntentModel | str | Path | None = None,
        sentiment_model=None,
        cache_size: int = 100_000,
        use_rules: bool = True,
    ) -> None:
        self.model = model if isinstance(model, IntentModel) else get_model(model)
        self._sentiment_model = sentiment_model
        self.cache_size = cache_size
        self.use_rules = use_rules
        self._cache: OrderedDict[tuple[str, bool], dict] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @property
    def sentiment_model(self):
        if self._sentiment_model is None:
            from shopgen.insight.sentiment import get_model as sentiment_model

            self._sentiment_model = sentiment_model()
        return self._sentiment_model

    def classify(self, text: str) -> dict:
        """One comment's raw text. Raises InvalidInput for empty / oversized / binary text."""
        return self.classify_many([text])[0]

    def classify_many(self, texts: list[str]) -> list[dict]:
        for t in texts:
            check_text(t)
        return self.classify_normalized([normalize(t) for t in texts])

    def classify_normalized(self, norms: list[Normalized]) -> list[dict]:
        """Results for already-normalised comments; the cache misses are scored in one batch."""
        out: list[dict | None] = [None] * len(norms)
        todo: dict[tuple[str, bool], list[int]] = {}
        with self._lock:
            for i, n in enumerate(norms):
                key = (n.key, n.has_emoji)
                hit = self._cache.get(key)
                if hit is not None:
                    self._cache.move_to_end(key)
                    out[i] = hit
                    self.hits += 1
                else:
                    todo.setdefault(key, []).append(i)
        if todo:
            keys = list(todo)
            results = self._score(keys, [norms[todo[k][0]] for k in keys])
            with self._lock:
                self.misses += len(keys)
                for key, r in zip(keys, results):
                    self._cache[key] = r
                    for i in todo[key]:
                        out[i] = r
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return [dict(r, sentiment=dict(r["sentiment"])) for r in out]  # callers may mutate

    def _score(self, keys: list[tuple[str, bool]], norms: list[Normalized]) -> list[dict]:
        results: list[dict | None] = [None] * len(keys)
        model_idx = []
        for i, (key, _) in enumerate(keys):
            label = rule(key) if self.use_rules else None
            if label is not None and label in self.model.labels:
                results[i] = {"intent": label, "confidence": 0.99}
            else:
                model_idx.append(i)
        if model_idx:
            proba = self.model.proba_features([features(keys[i][0], keys[i][1]) for i in model_idx])
            best = proba.argmax(axis=1)
            for j, i in enumerate(model_idx):
                results[i] = {"intent": self.model.labels[best[j]], "confidence": round(float(proba[j, best[j]]), 4)}
        texts = [n.text for n in norms]
        scored = [i for i, t in enumerate(texts) if any(c.isalpha() for c in t)]
        if scored:
            probs = self.sentiment_model.proba([texts[i] for i in scored])
            from shopgen.insight.sentiment import language

            for i, p in zip(scored, np.asarray(probs, np.float64)):
                lang = language(texts[i])
                score = float(p) if lang == "zh" else 0.5 + (float(p) - 0.5) / 2
                results[i]["sentiment"] = {
                    "label": "positive" if score >= 0.5 else "negative",
                    "score": round(score, 4),
                }
        for i, n in enumerate(norms):
            results[i].setdefault("sentiment", _emoji_sentiment(n.emoji))
        return results  # type: ignore[return-value]

    def evaluate(self, path: str | Path) -> dict:
        """Accuracy, macro-F1, per-label P/R/F1 and the confusion matrix on a labelled JSONL file."""
        from shopgen.live.train import load_labelled
        from shopgen.metrics.classification import report

        texts, gold = load_labelled(path)
        pred = [r["intent"] for r in self.classify_many(texts)]
        r = report(gold, pred, LABELS)
        errors = [{"text": t, "label": g, "predicted": p} for t, g, p in zip(texts, gold, pred) if g != p]
        return {
            "n": r["n"],
            "accuracy": r["accuracy"],
            "macro_f1": r["macro_f1"],
            "per_label": {
                k: {m: v[m] for m in ("precision", "recall", "f1", "support")} for k, v in r["per_label"].items()
            },
            "labels": r["labels"],
            "confusion": r["confusion"],
            "errors": errors,
        }


_DEFAULT: Classifier | None = None
_DEFAULT_LOCK = threading.Lock()


def default() -> Classifier:
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Classifier()
        return _DEFAULT


def classify(text: str) -> dict:
    """``{"intent", "confidence", "sentiment": {"label", "score"}}`` of one comment."""
    return default().classify(text)


def classify_batch(texts: list[str]) -> list[dict]:
    """:func:`classify` for many comments at once (one numpy pass for the cache misses)."""
    return default().classify_many(texts)
