"""/api/llm/chat (JSON or Server-Sent Events) and /api/embed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, StringConstraints
from starlette.concurrency import run_in_threadpool

from shopgen.core.errors import InvalidInput, ShopgenError
from shopgen.http.auth import require
from shopgen.http.deps import RuntimeDep
from shopgen.http.sse import primed, sse
from shopgen.models.embed.base import cosine_matrix
from shopgen.models.llm.base import check_messages

# the model playground: operators only (it spends the shop's compute)
router = APIRouter(prefix="/api", tags=["models"], dependencies=[Depends(require("operator"))])

Content = Annotated[str, StringConstraints(min_length=1, max_length=8000)]


class ChatMessageIn(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: Content


class ChatRequest(BaseModel):
    messages: list[ChatMessageIn] | None = Field(default=None, max_length=50)
    prompt: Content | None = None
    system: Content | None = None
    max_tokens: Annotated[int, Field(ge=1, le=2048)] = 256
    temperature: Annotated[float, Field(ge=0.0, le=2.0)] | None = None
    stop: list[str] | None = Field(default=None, max_length=8)
    stream: bool = False

    def to_messages(self) -> list[dict]:
        if self.messages and self.prompt:
            raise InvalidInput("提示词：提示词（prompt）和消息（messages）只能给一个")
        if self.prompt is not None and not self.prompt.strip():
            raise InvalidInput("提示词：不能为空")
        if self.prompt:
            msgs = [{"role": "user", "content": self.prompt}]
            if self.system:
                msgs.insert(0, {"role": "system", "content": self.system})
            return msgs
        if not self.messages:
            raise InvalidInput("提示词：请填写提示词（prompt）或消息（messages）")
        return check_messages([m.model_dump() for m in self.messages])


def _events(first: str | None, rest: Iterator[str], model: str, start: float, release) -> Iterator[str]:
    n = 0
    try:
        if first is not None:
            n += 1
            yield sse("token", {"text": first})
            for piece in rest:
                n += 1
                yield sse("token", {"text": piece})
    except ShopgenError as exc:
        yield sse("error", {"error": exc.to_dict()})
        return
    finally:
        release()
    yield sse("done", {"model": model, "chunks": n, "seconds": round(time.perf_counter() - start, 3)})


@router.post("/llm/chat")
async def chat(body: ChatRequest, runtime: RuntimeDep, request: Request):
    """Chat with the configured generator. With ``stream: true`` the answer arrives as SSE
    events: ``token`` (``{"text"}``) …, then ``done`` or ``error`` (the one error shape).
    Admitted by the generation gate (429 / 503 with Retry-After when it is full)."""
    messages = body.to_messages()
    gate, caller = request.app.state.llm_gate, request.state.principal.actor
    llm = await run_in_threadpool(runtime.llm)
    params = {"max_tokens": body.max_tokens, "temperature": body.temperature, "stop": body.stop}
    if not body.stream:
        with gate.slot(caller):
            result = await run_in_threadpool(lambda: llm.chat(messages, **params))
        return result.to_dict()
    release = gate.admit(caller).release
    start = time.perf_counter()
    try:
        it = llm.stream(messages, **params)
        # pull the first piece before answering, so a model that cannot load is an HTTP error
        first = await run_in_threadpool(next, it, None)
    except BaseException:
        release()
        raise
    frames = await run_in_threadpool(primed, _events(first, it, llm.model, start, release))
    return StreamingResponse(
        frames,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


class EmbedRequest(BaseModel):
    texts: list[Annotated[str, StringConstraints(min_length=1, max_length=2000)]] = Field(min_length=1, max_length=256)
    kind: Literal["query", "passage"] = "query"
    include_vectors: bool = False


@router.post("/embed")
async def embed(body: EmbedRequest, runtime: RuntimeDep) -> dict:
    emb = await run_in_threadpool(runtime.embedder)
    fn = emb.embed_queries if body.kind == "query" else emb.embed_passages
    vectors = await run_in_threadpool(fn, body.texts)
    out = {
        "model": emb.model,
        "dim": int(vectors.shape[1]),
        "cosine": cosine_matrix(vectors).astype(float).round(4).tolist(),
    }
    if body.include_vectors:
        out["vectors"] = vectors.astype(float).round(6).tolist()
    return out
