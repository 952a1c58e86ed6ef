"""The TextGenerator protocol: chat messages in, text or a token stream out."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Protocol, TypedDict

from shopgen.core.errors import InvalidInput
from shopgen.core.registry import Registry


class Message(TypedDict):
    role: str  # system | user | assistant
    content: str


@dataclass
class ChatResult:
    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    finish_reason: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


class TextGenerator(Protocol):
    """``repeat_penalty`` (> 1 discourages repeating tokens already in the text; None: the backend's
    default) is llama.cpp's; an OpenAI-compatible server gets it as ``frequency_penalty``. ``seed``
    fixes the sampling of one call (the same messages, settings and seed give the same reply from
    llama.cpp on the same machine and thread count: a seeded call evaluates its whole prompt, not
    reusing the last call's; an OpenAI-compatible server is asked with its ``seed`` field, best
    effort there); None: a fresh draw each call."""

    name: str  # backend name
    model: str  # model name as reported to users

    def chat(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        stop: Sequence[str] | None = None,
        repeat_penalty: float | None = None,
        seed: int | None = None,
    ) -> ChatResult: ...

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        stop: Sequence[str] | None = None,
        repeat_penalty: float | None = None,
    ) -> Iterator[str]: ...


llm_backends: Registry[TextGenerator] = Registry("llm")

VALID_ROLES = {"system", "user", "assistant"}


def check_messages(messages: Sequence[Message]) -> list[Message]:
    """Validate chat messages; raise InvalidInput naming the first bad one."""
    if not messages:
        raise InvalidInput("no messages given")
    out: list[Message] = []
    for i, m in enumerate(messages):
        role, content = m.get("role"), m.get("content")
        if role not in VALID_ROLES:
            raise InvalidInput(f"message {i}: role must be one of {sorted(VALID_ROLES)}, got {role!r}")
        if not isinstance(content, str) or not content.strip():
            raise InvalidInput(f"message {i}: content must be non-empty text")
        out.append({"role": role, "content": content})
    if out[-1]["role"] != "user":
        raise InvalidInput("the last message must come from the user")
    return out
