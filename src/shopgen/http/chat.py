"""The shopper chat turn over HTTP, shared by the shopper API (``/api/assist/chat``) and the
studio's try-it page: store the message, then stream the answer as Server-Sent Events
(``assistant.turn`` names the events)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, StringConstraints
from starlette.concurrency import run_in_threadpool

from shopgen.assistant import sessions, turn
from shopgen.assistant.answer import Assistant, Draft, assistant_over
from shopgen.core.errors import ShopgenError
from shopgen.http.sse import primed, sse
from shopgen.insight.sentiment import analyze_one

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ChatIn(BaseModel):
    session_id: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    message: Text
    context_sku: Annotated[str, StringConstraints(max_length=64)] | None = None


def assistant_for(app) -> Assistant:
    """An Assistant over the app's current index (built or rebuilt here, off the event loop)."""
    runtime = app.state.runtime
    return assistant_over(app.state.db, app.state.assist_index.get(), runtime.llm(), runtime.intent())


def sentiment_score(runtime) -> Callable[[str], float]:
    """P(positive) of a shopper turn by the configured sentiment model (``SHOPGEN_SENTIMENT_MODEL``)."""
    model = runtime.sentiment()
    return lambda text: analyze_one(text, model)["score"]


def _stream(
    db,
    t: turn.Turn,
    assistant: Assistant,
    sentiment: Callable[[str], float],
    prepared,
    release: Callable[[], None] | None,
) -> Iterator[str]:
    try:
        for name, data in turn.events(db, t, assistant, sentiment, prepared=prepared):
            yield sse(name, data)
    except ShopgenError as exc:
        yield sse("error", {"error": exc.to_dict()})
    finally:
        if release is not None:
            release()


async def chat_response(request: Request, body: ChatIn, owner: str | None, caller: str) -> StreamingResponse:
    """Store the message, then stream the answer. Unknown or foreign sessions fail before the
    stream starts, so they are ordinary 4xx answers in the one error shape; so does a turn that
    needs the model while ``caller`` (or the whole machine) has as many generations in flight as
    the gate admits (429 / 503 with Retry-After, and the message is not stored)."""
    db, gate = request.app.state.db, request.app.state.llm_gate
    t = await run_in_threadpool(
        lambda: turn.load(db, body.session_id, body.message, owner=owner, context_sku=body.context_sku)
    )
    assistant = None if t.status in sessions.WAITING else await run_in_threadpool(assistant_for, request.app)
    prepared = await run_in_threadpool(turn.prepare, t, assistant)
    release = None
    if isinstance(prepared, Draft):
        release = gate.admit(caller).release
    try:
        await run_in_threadpool(turn.record, db, t)
        sentiment = await run_in_threadpool(sentiment_score, request.app.state.runtime)
    except BaseException:
        if release is not None:
            release()
        raise
    frames = await run_in_threadpool(primed, _stream(db, t, assistant, sentiment, prepared, release))
    return StreamingResponse(
        frames,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
