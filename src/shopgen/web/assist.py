"""Studio pages of the assistant: 客服试用 (/assist/chat) and 客服工作台 (/assist/console).

The try-it page talks to studio-only endpoints under /assist/chat/, which call the same session
and turn functions as the shopper API; they admit any logged-in studio user (role ``login``)
while /api/assist/chat stays reachable by shopper keys alone. The sessions a user opens here are
owned by that user (``user:NAME``) and show up in the agents' queue like any other when handed
over. The console uses the agent API (/api/assist/*) with the session cookie and CSRF token.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from shopgen.api.assist import ChatIn, chat_response
from shopgen.api.auth import Agent, LoggedIn, limited, require
from shopgen.api.deps import SessionDep
from shopgen.assistant import sessions
from shopgen.security import roles
from shopgen.web.routes import render

router = APIRouter(include_in_schema=False)
# the same budget as the public chat (it spends the same compute), spent after authentication
Limit = [Depends(require(roles.LOGIN)), Depends(limited("shopper"))]


@router.get("/assist/chat", response_class=HTMLResponse)
def chat_page(request: Request, _: LoggedIn):
    return render(request, "assist_chat.html", {"backend": request.app.state.settings.llm_backend})


@router.post("/assist/chat/sessions", status_code=201, dependencies=Limit)
def open_session(s: SessionDep, who: LoggedIn) -> dict:
    conv = sessions.create(s, "studio", who.name, owner=who.actor)
    return {"session_id": conv.id, "status": conv.status}


@router.post("/assist/chat/send", dependencies=Limit)
async def send(request: Request, body: ChatIn, who: LoggedIn):
    return await chat_response(request, body, who.actor)


@router.get("/assist/chat/sessions/{session_id}/messages")  # polled every 2 s: not limited
def messages(session_id: str, s: SessionDep, who: LoggedIn, after: int = 0) -> dict:
    conv = sessions.get(s, session_id, owner=who.actor)
    return {"session_id": conv.id, "status": conv.status, "messages": sessions.messages_after(s, conv, after)}


@router.get("/assist/console", response_class=HTMLResponse)
def console_page(request: Request, _: Agent):
    return render(request, "assist_console.html", {})
