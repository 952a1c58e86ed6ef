"""/api/assist: the shopper chat (role ``shopper``, API keys only, rate-limited), the
agent queue (role ``agent``) and the knowledge base's upkeep (role ``operator``: FAQ candidates,
the shop's synonyms).

A shopper key sees only the sessions it opened. The chat answers with Server-Sent Events
(see ``assistant.turn`` for the events). The knowledge index is one per app
(``assistant.shared``): built on first use, rebuilt when the catalog or knowledge base changes,
and on ``POST /api/assist/reindex`` (role ``operator``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field, StringConstraints

from shopgen.assistant import sessions
from shopgen.http.auth import Agent, Operator, client_address, limited, require
from shopgen.http.chat import ChatIn, chat_response
from shopgen.http.deps import SessionDep, SettingsDep
from shopgen.http.params import Cursor, IdPath
from shopgen.security import apikeys, customers
from shopgen.security.principal import Principal

Shopper = Annotated[Principal, Depends(require("shopper"))]
# authenticated first, so only shopper keys spend the shopper budget
ShopperLimit = [Depends(require("shopper")), Depends(limited("shopper"))]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]

router = APIRouter(prefix="/api/assist", tags=["assistant"])


class SessionIn(BaseModel):
    channel: Annotated[str, StringConstraints(max_length=32)] = "api"
    customer: Annotated[str, StringConstraints(max_length=64)] | None = None
    # a JWT (HS256) the storefront signed with this key's signing secret: {"sub": customer id, "exp", "iat"}
    customer_token: Annotated[str, StringConstraints(max_length=customers.MAX_LEN)] | None = None


class AgentReplyIn(BaseModel):
    message: Text


# ---- shopper ----------------------------------------------------------------------------------


@router.post("/sessions", status_code=201, dependencies=ShopperLimit)
def open_session(request: Request, s: SessionDep, who: Shopper, body: SessionIn | None = None) -> dict:
    """A chat session. With a customer token (body ``customer_token`` or header ``X-Customer-Token``)
    the session answers that customer's order questions; without one, orders need verification."""
    body = body or SessionIn()
    token = body.customer_token or request.headers.get("x-customer-token")
    customer_id = None
    if token:
        customer_id = customers.verify(token, lambda kid: apikeys.signing_secret(s, kid), who.name)
    conv = sessions.create(s, body.channel, body.customer, owner=who.actor, customer_id=customer_id)
    return {"session_id": conv.id, "status": conv.status}


@router.post("/chat", dependencies=ShopperLimit)
async def chat(request: Request, body: ChatIn, who: Shopper):
    return await chat_response(request, body, who.actor, who.actor)


@router.get("/sessions/{session_id}/messages", dependencies=ShopperLimit)
def session_messages(session_id: str, s: SessionDep, who: Shopper, after: Cursor = 0) -> dict:
    conv = sessions.get(s, session_id, owner=who.actor)
    return {"session_id": conv.id, "status": conv.status, "messages": sessions.messages_after(s, conv, after)}


# ---- agents -----------------------------------------------------------------------------------


@router.get("/queue")
def queue(s: SessionDep, _: Agent, settings: SettingsDep) -> dict:
    return {"sessions": sessions.waiting(s, order_pattern=settings.pii_order_pattern)}


def _move(action, s, session_id: str, who: Principal, request: Request) -> dict:
    conv = sessions.get(s, session_id)
    action(s, conv, who, client_address(request))
    return {"session_id": conv.id, "status": conv.status, "agent": conv.agent}


@router.post("/sessions/{session_id}/take")
def take(session_id: str, s: SessionDep, who: Agent, request: Request) -> dict:
    return _move(sessions.take, s, session_id, who, request)


@router.post("/sessions/{session_id}/release")
def release(session_id: str, s: SessionDep, who: Agent, request: Request) -> dict:
    return _move(sessions.release, s, session_id, who, request)


@router.post("/sessions/{session_id}/close")
def close(session_id: str, s: SessionDep, who: Agent, request: Request) -> dict:
    return _move(sessions.close, s, session_id, who, request)


@router.post("/sessions/{session_id}/reply", status_code=201)
def agent_reply(session_id: str, body: AgentReplyIn, s: SessionDep, who: Agent) -> dict:
    conv = sessions.get(s, session_id)
    return sessions.to_dict(sessions.agent_reply(s, conv, who, body.message))


# ---- operators --------------------------------------------------------------------------------


@router.post("/reindex")
def reindex(request: Request, _: Operator) -> dict:
    """Rebuild the knowledge index on the next turn (it also rebuilds by itself when the
    catalog or knowledge base changes)."""
    request.app.state.assist_index.invalidate()
    return {"reindex": "scheduled"}


class CandidateEdit(BaseModel):
    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] | None = None
    answer: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)] | None = None
    topic: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)] | None = None


@router.post("/mine")
def mine(request: Request, s: SessionDep, _: Operator) -> dict:
    """Learn from logs: FAQ candidates from conversations that human agents resolved."""
    from shopgen.assistant import mining

    return mining.mine(s, order_pattern=request.app.state.settings.pii_order_pattern)


@router.get("/candidates")
def candidates(s: SessionDep, _: Operator, status: str = "pending") -> dict:
    from shopgen.assistant import mining

    return {"candidates": mining.listing(s, None if status == "all" else status)}


@router.post("/candidates/{candidate_id}/approve")
def approve_candidate(
    candidate_id: IdPath, s: SessionDep, who: Operator, request: Request, body: CandidateEdit | None = None
) -> dict:
    from shopgen.assistant import mining

    edit = body or CandidateEdit()
    return mining.approve(
        s,
        who,
        candidate_id,
        question=edit.question,
        answer=edit.answer,
        topic=edit.topic,
        address=client_address(request),
    )


@router.post("/candidates/{candidate_id}/reject")
def reject_candidate(candidate_id: IdPath, s: SessionDep, who: Operator, request: Request) -> dict:
    from shopgen.assistant import mining

    return mining.reject(s, who, candidate_id, address=client_address(request))


Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class SynonymsIn(BaseModel):
    words: Annotated[list[Word], Field(min_length=2, max_length=40)]


@router.get("/synonyms")
def synonyms_list(request: Request, s: SessionDep, _: Operator) -> dict:
    """The shop's synonym groups: the database's (editable) and the configured file's (read-only)."""
    from shopgen.assistant import synonyms

    configured = request.app.state.assist_index.configured_synonyms
    return {
        "groups": synonyms.listing(s),
        "file_groups": [list(g) for g in configured.lexicon.groups] if configured is not None else [],
    }


@router.post("/synonyms", status_code=201)
def synonyms_add(body: SynonymsIn, s: SessionDep, who: Operator, request: Request) -> dict:
    """A group; the next turn of every chat searches with it."""
    from shopgen.assistant import synonyms

    return synonyms.add(s, who, body.words, address=client_address(request))


@router.put("/synonyms/{group_id}")
def synonyms_update(group_id: IdPath, body: SynonymsIn, s: SessionDep, who: Operator, request: Request) -> dict:
    from shopgen.assistant import synonyms

    return synonyms.update(s, who, group_id, body.words, address=client_address(request))


@router.delete("/synonyms/{group_id}", status_code=204)
def synonyms_delete(group_id: IdPath, s: SessionDep, who: Operator, request: Request) -> Response:
    from shopgen.assistant import synonyms

    synonyms.delete(s, who, group_id, address=client_address(request))
    return Response(status_code=204)


@router.get("/synonyms/unknown")
def synonyms_unknown(
    request: Request, s: SessionDep, _: Operator, days: Annotated[int, Query(ge=1, le=365)] = 30
) -> dict:
    """Words shoppers used in the questions the bot could not answer that the knowledge base lacks:
    candidates for a synonym group."""
    from shopgen.assistant import synonyms

    index = request.app.state.assist_index.get()
    pattern = request.app.state.settings.pii_order_pattern
    return {"days": days, "words": synonyms.unknown_words(s, index, days=days, order_pattern=pattern)}


@router.get("/synonyms/preview")
def synonyms_preview(request: Request, _: Operator, q: Annotated[str, Query(min_length=1, max_length=500)]) -> dict:
    """What the synonyms add to question ``q``, and the chat's top 3 with and without them."""
    from shopgen.assistant import synonyms

    return synonyms.preview(request.app.state.assist_index.get(), q)
