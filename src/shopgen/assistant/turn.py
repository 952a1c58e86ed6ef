"""One shopper turn in a session, as a stream of events for the chat API and the studio page.

``begin`` stores the shopper's message (one transaction; NotFound / Conflict raised here, before
any response starts); a server that must decide first whether the turn needs the model (to admit
it or answer "busy") calls ``load``, ``assistant.prepare`` and then ``record`` instead. ``events``
then yields ``(name, data)`` pairs::

    status  {status, note}                  the session is with a human: stored, no bot answer
    meta    {route, intent, sources}        how the bot is answering
    token   {text} …                        the LLM route streams through ``llm.stream``;
                                            other routes send their whole text as one token
    replace {text, route}                   the streamed answer failed the grounding check and
                                            is withdrawn for this text (it is what gets stored)
    done    {handoff, status, message_id}   handoff: this turn put the session in the queue
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from shopgen.assistant import orders, sessions
from shopgen.assistant.answer import Assistant, Draft, Reply
from shopgen.core.errors import Conflict

MAX_TOKENS = 160


@dataclass
class Turn:
    conversation_id: str
    text: str
    status: str
    history: list[dict]
    context_sku: str | None
    previous_abstained: bool
    message_id: int
    identity: orders.Identity | None = None
    given_sku: str | None = None  # the product the client said the shopper is looking at


def load(db, conversation_id: str, text: str, *, owner: str | None = None, context_sku: str | None = None) -> Turn:
    """Everything a turn needs from the session, without storing the message yet."""
    with db.session() as s:
        conv = sessions.get(s, conversation_id, owner=owner)
        if conv.status == "closed":
            raise Conflict(f"session {conv.id} is closed; start a new one", {"status": "closed"})
        past = sessions.history(s, conv)
        sku = context_sku or sessions.context_sku(s, conv)
        abstained = sessions.last_abstained(s, conv)
        who = orders.Identity.load(conv.customer_id, conv.state)
        turn = Turn(conv.id, text, conv.status, past, sku, abstained, 0, who)
        turn.given_sku = context_sku
        return turn


def record(db, turn: Turn) -> Turn:
    """Store the shopper's message of a loaded turn."""
    with db.session() as s:
        conv = sessions.get(s, turn.conversation_id)
        meta = {"context_sku": turn.given_sku} if turn.given_sku else {}
        turn.message_id = sessions.append(s, conv, "user", turn.text, meta).id
        turn.status = conv.status
    return turn


def begin(db, conversation_id: str, text: str, *, owner: str | None = None, context_sku: str | None = None) -> Turn:
    return record(db, load(db, conversation_id, text, owner=owner, context_sku=context_sku))


def prepare(turn: Turn, assistant: Assistant | None) -> Reply | Draft | None:
    """What the bot will do with this turn (None: a human holds the session, the bot is silent)."""
    if turn.status in sessions.WAITING or assistant is None:
        return None
    return assistant.prepare(turn.text, turn.history, turn.context_sku, turn.identity)


def events(
    db,
    turn: Turn,
    assistant: Assistant,
    sentiment: Callable[[str], float] | None = None,
    prepared: Reply | Draft | None = None,
) -> Iterator[tuple[str, dict]]:
    if turn.status in sessions.WAITING:
        yield "status", {"status": turn.status, "note": sessions.QUEUED_NOTE if turn.status == "queued" else ""}
        return
    r = prepared if prepared is not None else prepare(turn, assistant)
    yield "meta", {"route": r.route, "intent": r.intent, "sources": r.sources}
    if isinstance(r, Draft):
        pieces = []
        for piece in assistant.llm.stream(r.messages, max_tokens=MAX_TOKENS, temperature=0.2):
            pieces.append(piece)
            yield "token", {"text": piece}
        reply = assistant.finish(r, "".join(pieces))
        if reply.route != "llm" or reply.text != "".join(pieces).strip():  # checked, or tidied (a stray 「可以。」)
            yield "replace", {"text": reply.text, "route": reply.route}
    else:
        reply = r
        yield "token", {"text": reply.text}
    yield "done", finish(db, turn, reply, sentiment)


def finish(db, turn: Turn, reply: Reply, sentiment: Callable[[str], float] | None = None) -> dict:
    """Store the reply and hand over when it calls for it; an agent may have taken the session
    while the bot was answering, in which case the reply is stored and nothing moves."""
    with db.session() as s:
        conv = sessions.get(s, turn.conversation_id)
        if reply.state is not None:
            conv.state = reply.state
        reason = None
        if conv.status == "bot":
            reason = sessions.handoff_reason(reply, turn.text, turn.previous_abstained, sentiment)
        msg = sessions.record_reply(s, conv, reply, reason)
        return {"handoff": reason is not None, "status": conv.status, "message_id": msg.id}


def run(db, conversation_id: str, text: str, assistant: Assistant, **kw) -> list[tuple[str, dict]]:
    """The whole turn at once (tests, the CLI)."""
    sentiment = kw.pop("sentiment", None)
    return list(events(db, begin(db, conversation_id, text, **kw), assistant, sentiment))
