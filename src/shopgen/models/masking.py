"""Masking personal data in everything sent to a remote model, by one rule.

Backends that send text off the machine say so with ``remote = True`` (the ``openai`` generator
and embedder); when ``settings.pii_mask_remote`` is on, ``create_llm`` and ``create_embedder``
wrap them (:class:`MaskingGenerator`, :class:`MaskingEmbedder`), which replace phone numbers, ID
numbers, addresses, emails, bank cards and order numbers with labels (``[手机号]``) before the
request leaves. The embedded backends (llama.cpp, e5) run in-process and are not wrapped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from shopgen.models.embed.base import Embedder
from shopgen.models.llm.base import ChatResult, Message, TextGenerator


def _mask(text: str, order_pattern: str) -> str:
    from shopgen.security.pii import mask

    return mask(text, order_pattern=order_pattern)


class MaskingGenerator:
    def __init__(self, inner: TextGenerator, order_pattern: str) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self._order_pattern = order_pattern

    def _masked(self, messages: Sequence[Message]) -> list[Message]:
        return [{**m, "content": _mask(m["content"], self._order_pattern)} for m in messages]

    def chat(self, messages: Sequence[Message], **kwargs) -> ChatResult:
        return self.inner.chat(self._masked(messages), **kwargs)

    def stream(self, messages: Sequence[Message], **kwargs) -> Iterator[str]:
        return self.inner.stream(self._masked(messages), **kwargs)

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            close()


class MaskingEmbedder:
    def __init__(self, inner: Embedder, order_pattern: str) -> None:
        self.inner = inner
        self.name, self.model = inner.name, inner.model
        self._order_pattern = order_pattern

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_queries([_mask(t, self._order_pattern) for t in texts])

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_passages([_mask(t, self._order_pattern) for t in texts])

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            close()


def maybe_mask(backend, settings):
    """``backend`` wrapped so personal data is masked first, when it is remote and masking is on."""
    if not (getattr(backend, "remote", False) and settings.pii_mask_remote):
        return backend
    if hasattr(backend, "embed_queries"):
        return MaskingEmbedder(backend, settings.pii_order_pattern)
    return MaskingGenerator(backend, settings.pii_order_pattern)
