"""Studio pages of the assistant: 客服试用 (/assist/chat), 客服工作台 (/assist/console) and
待审 FAQ (/assist/candidates: FAQ candidates mined from resolved conversations, role ``operator``)
and 同义词 (/assist/synonyms: the shop's synonym groups for knowledge search, role ``operator``).

The try-it page talks to studio-only endpoints under /assist/chat/, which call the same session
and turn functions as the shopper API; they admit any logged-in studio user (role ``login``)
while /api/assist/chat stays reachable by shopper keys alone. The sessions a user opens here are
owned by that user (``user:NAME``) and show up in the agents' queue like any other when handed
over. The console uses the agent API (/api/assist/*) with the session cookie and CSRF token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from shopgen.assistant import mining, sessions, synonyms
from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.http.auth import Agent, LoggedIn, Operator, client_address, limited, require
from shopgen.http.chat import ChatIn, chat_response
from shopgen.http.deps import SessionDep
from shopgen.http.params import Cursor, IdPath
from shopgen.security import roles
from shopgen.store import catalog
from shopgen.web.routes import render

router = APIRouter(include_in_schema=False)
# the same budget as the public chat (it spends the same compute), spent after authentication
Limit = [Depends(require(roles.LOGIN)), Depends(limited("shopper"))]


@router.get("/assist/chat", response_class=HTMLResponse)
def chat_page(request: Request, s: SessionDep, _: LoggedIn):
    products, _n = catalog.list_products(s, status="active", limit=500)
    return render(
        request,
        "assist_chat.html",
        {
            "backend": request.app.state.settings.llm_backend,
            "products": [{"sku": p.sku, "title": p.title} for p in products],
        },
    )


@router.post("/assist/chat/sessions", status_code=201, dependencies=Limit)
def open_session(s: SessionDep, who: LoggedIn) -> dict:
    conv = sessions.create(s, "studio", who.name, owner=who.actor)
    return {"session_id": conv.id, "status": conv.status}


@router.post("/assist/chat/send", dependencies=Limit)
async def send(request: Request, body: ChatIn, who: LoggedIn):
    return await chat_response(request, body, who.actor, who.actor)


@router.get("/assist/chat/sessions/{session_id}/messages")  # polled every 2 s: not limited
def messages(session_id: str, s: SessionDep, who: LoggedIn, after: Cursor = 0) -> dict:
    conv = sessions.get(s, session_id, owner=who.actor)
    return {"session_id": conv.id, "status": conv.status, "messages": sessions.messages_after(s, conv, after)}


@router.get("/assist/console", response_class=HTMLResponse)
def console_page(request: Request, _: Agent):
    return render(request, "assist_console.html", {})


CANDIDATE_NOTICES = {"approved": "已加入知识库", "rejected": "已驳回"}


def _candidates_page(request, s, *, notice="", error="", status_code=200, status="pending"):
    return render(
        request,
        "assist_candidates.html",
        {
            "candidates": mining.listing(s, None if status == "all" else status),
            "status": status,
            "notice": notice,
            "error": error,
            "counts": {st: len(mining.listing(s, st, limit=1000)) for st in ("pending", "approved", "rejected")},
        },
        status_code,
    )


@router.get("/assist/candidates", response_class=HTMLResponse)
def candidates_page(request: Request, s: SessionDep, _: Operator, status: str = "pending", done: str = ""):
    status = status if status in ("pending", "approved", "rejected", "all") else "pending"
    return _candidates_page(request, s, status=status, notice=CANDIDATE_NOTICES.get(done, ""))


@router.post("/assist/candidates/mine", response_class=HTMLResponse)
def candidates_mine(request: Request, s: SessionDep, _: Operator):
    out = mining.mine(s, order_pattern=request.app.state.settings.pii_order_pattern)
    return _candidates_page(
        request, s, notice=f"扫描了 {out['conversations']} 个人工处理过的会话，新增 {out['created']} 条候选"
    )


@router.post("/assist/candidates/{candidate_id:int}", response_class=HTMLResponse)
def candidate_decide(
    request: Request,
    candidate_id: IdPath,
    who: Operator,
    action: Annotated[str, Form(max_length=16)] = "",
    question: Annotated[str, Form(max_length=500)] = "",
    answer: Annotated[str, Form(max_length=4000)] = "",
):
    """``action``: approve (with the possibly edited question and answer) or reject."""
    db = request.app.state.db
    try:
        with db.session() as s:
            if action == "approve":
                mining.approve(s, who, candidate_id, question=question, answer=answer, address=client_address(request))
            elif action == "reject":
                mining.reject(s, who, candidate_id, address=client_address(request))
            else:
                raise InvalidInput(f"未知操作 {action!r}")
    except (InvalidInput, NotFound, Conflict) as exc:
        with db.session() as s:
            return _candidates_page(request, s, error=exc.message, status_code=422)
    return RedirectResponse(
        f"/assist/candidates?done={action}d" if action == "approve" else "/assist/candidates?done=rejected",
        status_code=303,
    )


SYNONYM_NOTICES = {"added": "已保存，下一轮对话生效", "saved": "已保存，下一轮对话生效", "deleted": "已删除"}


def _synonyms_page(request, s, *, notice="", error="", lines="", q="", status_code=200):
    index = request.app.state.assist_index.get()
    preview = synonyms.preview(index, q) if q.strip() and not error else None
    unknown = synonyms.unknown_words(s, index, limit=15, order_pattern=request.app.state.settings.pii_order_pattern)
    configured = request.app.state.assist_index.configured_synonyms
    return render(
        request,
        "assist_synonyms.html",
        {
            "groups": synonyms.rows(s),
            "file_groups": configured.lexicon.groups if configured is not None else [],
            "notice": notice,
            "error": error,
            "lines": lines,
            "q": q,
            "preview": preview,
            "unknown": unknown,
        },
        status_code,
    )


@router.get("/assist/synonyms", response_class=HTMLResponse)
def synonyms_page(request: Request, s: SessionDep, _: Operator, q: str = "", done: str = ""):
    return _synonyms_page(request, s, q=q[:500], notice=SYNONYM_NOTICES.get(done, ""))


@router.post("/assist/synonyms", response_class=HTMLResponse)
def synonyms_add(request: Request, who: Operator, lines: Annotated[str, Form(max_length=20000)] = ""):
    """Groups, one a line, all or none (the page keeps what was typed when a line is refused)."""
    db = request.app.state.db
    try:
        with db.session() as s:
            synonyms.add_lines(s, who, lines, address=client_address(request))
    except (InvalidInput, Conflict) as exc:
        with db.session() as s:
            return _synonyms_page(request, s, error=exc.message, lines=lines, status_code=422)
    return RedirectResponse("/assist/synonyms?done=added", status_code=303)


@router.post("/assist/synonyms/{group_id:int}", response_class=HTMLResponse)
def synonyms_edit(
    request: Request,
    group_id: IdPath,
    who: Operator,
    action: Annotated[str, Form(max_length=16)] = "",
    words: Annotated[str, Form(max_length=500)] = "",
):
    """``action``: save (the edited words) or delete."""
    db = request.app.state.db
    try:
        with db.session() as s:
            if action == "save":
                synonyms.update(s, who, group_id, words, address=client_address(request))
            elif action == "delete":
                synonyms.delete(s, who, group_id, address=client_address(request))
            else:
                raise InvalidInput(f"未知操作 {action!r}")
    except (InvalidInput, NotFound, Conflict) as exc:
        with db.session() as s:
            return _synonyms_page(request, s, error=exc.message, status_code=404 if isinstance(exc, NotFound) else 422)
    return RedirectResponse(f"/assist/synonyms?done={'saved' if action == 'save' else 'deleted'}", status_code=303)
