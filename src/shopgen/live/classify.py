"""Comment → ``{"intent", "confidence", "sentiment": {"label", "score"}}``, fast.

The fast path per comment is: normalise (cached), rule layer, then the linear intent model and the
insight sentiment model for the texts not already in the LRU cache, all misses of a batch scored in
one numpy pass. Live comments repeat heavily ("扣1", "666", "包邮吗"), so most of a busy room is
served from the cache.

Both models are handed in (the runtime loads them once per process: ``runtime.live_intent()``,
``runtime.sentiment("linear")``). Sentiment is :func:`shopgen.insight.sentiment.analyze`'s
(``label`` positive/negative, ``score`` = P(positive), damped for non-Chinese text); a comment with
no letters (emoji only, digits) gets a small emoji lexicon's verdict or ``neutral`` / 0.5.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from shopgen.insight.sentiment import analyze
from shopgen.live.intent import LABELS, features, rule
from shopgen.live.normalize import Normalized, check_text, normalize
from shopgen.models.textclf import LinearTextClassifier, read_labelled

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
        model: LinearTextClassifier,
        sentiment_model,
        cache_size: int = 100_000,
        use_rules: bool = True,
    ) -> None:
        self.model, self.sentiment_model = model, sentiment_model
        self.cache_size = cache_size
        self.use_rules = use_rules
        self._cache: OrderedDict[tuple[str, bool], dict] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

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
        results = intents(self.model, keys, self.use_rules)
        texts = [n.text for n in norms]
        scored = [i for i, t in enumerate(texts) if any(c.isalpha() for c in t)]
        if scored:
            for i, r in zip(scored, analyze([texts[i] for i in scored], self.sentiment_model)):
                results[i]["sentiment"] = {"label": r["label"], "score": r["score"]}
        for i, n in enumerate(norms):
            results[i].setdefault("sentiment", _emoji_sentiment(n.emoji))
        return results  # type: ignore[return-value]

    def evaluate(self, path: str | Path) -> dict:
        """:func:`evaluate` of this classifier's intent model and rules."""
        return evaluate(self.model, path, self.use_rules)


def intents(model: LinearTextClassifier, keys: list[tuple[str, bool]], use_rules: bool = True) -> list[dict]:
    """``{"intent", "confidence"}`` per (normalised text, has emoji): the rule layer, then the model."""
    results: list[dict | None] = [None] * len(keys)
    model_idx = []
    for i, (key, _) in enumerate(keys):
        label = rule(key) if use_rules else None
        if label is not None and label in model.labels:
            results[i] = {"intent": label, "confidence": 0.99}
        else:
            model_idx.append(i)
    if model_idx:
        proba = model.proba_features([features(keys[i][0], keys[i][1]) for i in model_idx])
        best = proba.argmax(axis=1)
        for j, i in enumerate(model_idx):
            results[i] = {"intent": model.labels[best[j]], "confidence": round(float(proba[j, best[j]]), 4)}
    return results  # type: ignore[return-value]


def evaluate(model: LinearTextClassifier, path: str | Path, use_rules: bool = True) -> dict:
    """Accuracy, macro-F1, per-label P/R/F1 and the confusion matrix of the intents (rules, then
    ``model``) on a labelled JSONL file; the misclassified comments under ``errors``."""
    from shopgen.metrics.classification import report

    texts, gold = read_labelled(path, LABELS)
    norms = []
    for t in texts:
        check_text(t)
        norms.append(normalize(t))
    pred = [r["intent"] for r in intents(model, [(n.key, n.has_emoji) for n in norms], use_rules)]
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
