"""A scripted generator for unit tests. Selected by name (``fake``) only, never a fallback."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

from shopgen.models.llm.base import ChatResult, Message, check_messages, llm_backends


class FakeGenerator:
    """Replies with the scripted texts in turn, or echoes the last user message.

    >>> g = FakeGenerator(replies=["你好"])
    >>> g.chat([{"role": "user", "content": "hi"}]).text
    '你好'
    """

    name = "fake"
    model = "fake-echo"

    def __init__(self, replies: Sequence[str] | None = None) -> None:
        self._replies = list(replies or [])
        self._turn = 0

    def _reply(self, messages: Sequence[Message], max_tokens: int | None) -> str:
        msgs = check_messages(messages)
        if self._replies:
            text = self._replies[self._turn % len(self._replies)]
            self._turn += 1
        else:
            text = "回声：" + msgs[-1]["content"]
        return text[:max_tokens] if max_tokens else text

    def chat(
        self, messages, *, max_tokens=None, temperature=None, stop=None, repeat_penalty=None, seed=None
    ) -> ChatResult:
        start = time.perf_counter()
        text = self._reply(messages, max_tokens)
        prompt_chars = sum(len(m["content"]) for m in messages)
        return ChatResult(text, self.model, prompt_chars, len(text), time.perf_counter() - start, "stop")

    def stream(self, messages, *, max_tokens=None, temperature=None, stop=None, repeat_penalty=None) -> Iterator[str]:
        yield from self._reply(messages, max_tokens)


@llm_backends.register("fake")
def _make(settings) -> FakeGenerator:
    return FakeGenerator()
