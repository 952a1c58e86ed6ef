"""Masking personal data in what is sent to a remote model.

Generators that send text off the machine say so with ``remote = True`` (the ``openai``
backend); when ``settings.pii_mask_remote`` is on, ``create_llm`` wraps them in
:class:`MaskingGenerator`, which replaces phone numbers, ID numbers, addresses, emails, bank
cards and order numbers in every message with labels (``[手机号]``) before the request leaves.
The embedded llama.cpp backend runs in-process and is not wrapped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from shopgen.models.llm.base import ChatResult, Message, TextGenerator


class MaskingGenerator:
    def __init__(self, inner: TextGenerator, order_pattern: str) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self._order_pattern = order_pattern

    def _masked(self, messages: Sequence[Message]) -> list[Message]:
        from shopgen.security.pii import mask

        return [{**m, "content": mask(m["content"], order_pattern=self._order_pattern)} for m in messages]

    def chat(self, messages: Sequence[Message], **kwargs) -> ChatResult:
        return self.inner.chat(self._masked(messages), **kwargs)

    def stream(self, messages: Sequence[Message], **kwargs) -> Iterator[str]:
        return self.inner.stream(self._masked(messages), **kwargs)

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            close()


def maybe_mask(generator: TextGenerator, settings) -> TextGenerator:
    if getattr(generator, "remote", False) and settings.pii_mask_remote:
        return MaskingGenerator(generator, settings.pii_order_pattern)
    return generator
