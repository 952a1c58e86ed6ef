"""Suggestions from the project's models: a label (a list of aspects for ``aspects``) and a
confidence in [0, 1] per text. The queue shows the least confident first (active learning: a
person's time goes where the model is least sure).

::

    intent     the assistant's intent classifier (runtime.intent(), with its e5 half when the
               runtime's embedder is the one it was trained on); confidence = P(label)
    sentiment  the review sentiment model (runtime.sentiment()); positive when P ≥ 0.5,
               confidence = max(P, 1 − P)
    aspects    the insight lexicon's aspect terms, clause by clause; confidence = the share of
               the text's clauses that name an aspect (a clause naming none may hold one the
               lexicon does not know, so a person should look)

The models arrive as :class:`Models` from the composition root, which knows the domains.
A task label may be a model label's code or its Chinese name as the studio shows it (``物流配送``
for ``shipping``, :data:`~shopgen.labelling.kinds.LABEL_NAMES`): the suggestion is given in the
task's own words. A suggestion outside the task's label set is dropped (no suggestion, confidence 0).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from shopgen.core.registry import Registry
from shopgen.labelling.kinds import label_name

Suggestion = tuple[str | list[str] | None, float]


class Suggester(Protocol):
    def default_labels(self) -> list[str]: ...

    def suggest(self, texts: list[str], labels: list[str]) -> list[Suggestion]:
        """One (label or aspects, confidence) per text, in order."""
        ...


@dataclass(frozen=True)
class Models:
    """How to reach the models (each loaded on first call, by the runtime)."""

    intent: Callable[[], object]  # a LinearTextClassifier: .labels, .proba(texts, embedder)
    embedder: Callable[[], object | None]
    sentiment: Callable[[], object]  # a sentiment model: .proba(texts) = P(positive)
    aspect_names: tuple[str, ...]
    clauses: Callable[[str], list[str]]
    mentions: Callable[[str], list[str]]


suggesters: Registry[Suggester] = Registry("label suggester")


def in_task_words(model_labels: list[str], task_labels: list[str]) -> dict[str, str]:
    """Model label → the task's label for it: the code itself, else its Chinese name (商品咨询)."""
    out = {}
    for code in model_labels:
        if code in task_labels:
            out[code] = code
        elif label_name(code) in task_labels:
            out[code] = label_name(code)
    return out


@dataclass
class IntentSuggester:
    models: Models

    def default_labels(self) -> list[str]:
        return list(self.models.intent().labels)

    def suggest(self, texts: list[str], labels: list[str]) -> list[Suggestion]:
        model = self.models.intent()
        words = in_task_words(list(model.labels), labels)
        cols = [i for i, lb in enumerate(model.labels) if lb in words]
        if not cols or not texts:
            return [(None, 0.0)] * len(texts)
        p = model.proba(texts, self.models.embedder())
        out = []
        for row in p:
            best = max(cols, key=lambda i: row[i])
            out.append((words[model.labels[best]], round(float(row[best]), 4)))
        return out


@dataclass
class SentimentSuggester:
    models: Models

    def default_labels(self) -> list[str]:
        return ["positive", "negative"]

    def suggest(self, texts: list[str], labels: list[str]) -> list[Suggestion]:
        if not texts:
            return []
        words = in_task_words(["positive", "negative"], labels)
        out = []
        for p in self.models.sentiment().proba(texts):
            label, conf = ("positive", float(p)) if p >= 0.5 else ("negative", 1.0 - float(p))
            out.append((words[label], round(conf, 4)) if label in words else (None, 0.0))
        return out


@dataclass
class AspectSuggester:
    models: Models

    def default_labels(self) -> list[str]:
        return list(self.models.aspect_names)

    def suggest(self, texts: list[str], labels: list[str]) -> list[Suggestion]:
        out: list[Suggestion] = []
        for text in texts:
            parts = self.models.clauses(text) or [text]
            named = [[a for a in self.models.mentions(c) if a in labels] for c in parts]
            found = list(dict.fromkeys(a for aspects in named for a in aspects))
            out.append((found, round(sum(1 for a in named if a) / len(parts), 4)))
        return out


suggesters.register("intent")(IntentSuggester)
suggesters.register("sentiment")(SentimentSuggester)
suggesters.register("aspects")(AspectSuggester)


def for_kind(kind: str, models: Models) -> Suggester:
    return suggesters.create(kind, models)
