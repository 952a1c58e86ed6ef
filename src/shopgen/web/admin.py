"""管理 pages (role ``admin``): users, API keys and the audit log.

Post/redirect/get like the catalog pages, except where a secret is shown once (a new
password, a new key): that page is the POST's answer, so the secret is never in a URL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.http import fieldnames
from shopgen.http.auth import Admin, client_address, require
from shopgen.http.deps import SessionDep
from shopgen.http.params import IdPath, Page
from shopgen.security import apikeys, audit, roles, users
from shopgen.web import clock
from shopgen.web.routes import render

router = APIRouter(prefix="/admin", include_in_schema=False, dependencies=[Depends(require("admin"))])
# narrowest first, so the form's default is never admin
USER_ROLES = ("operator", "agent", "host", "admin")
KEY_ROLES = ("shopper", "ingest", *USER_ROLES)
NOTICES = {"role": "角色已修改", "disabled": "账号已停用", "enabled": "账号已启用", "revoked": "密钥已吊销"}
AUDIT_PAGE = 100
# far above any name's limit: the form takes what was typed and the account code says, in
# Chinese and on this page, how long a name may be (the browser does not cut it silently)
NAME_FORM_CHARS = 2000


def _users_page(request, s, *, notice="", error="", secret=None, status=200):
    return render(
        request,
        "admin_users.html",
        {
            "users": [users.to_dict(u) for u in users.list_users(s)],
            "roles": [roles.ROLES[n] for n in USER_ROLES],
            "notice": notice,
            "error": error,
            "secret": secret,
        },
        status,
    )


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, s: SessionDep, done: str = ""):
    return _users_page(request, s, notice=NOTICES.get(done, ""))


@router.post("/users", response_class=HTMLResponse)
def user_add(
    request: Request,
    who: Admin,
    name: Annotated[str, Form(max_length=NAME_FORM_CHARS)] = "",
    role: Annotated[str, Form(max_length=16)] = "",
):
    db = request.app.state.db
    try:
        with db.session() as s:
            user, password = users.create(s, who, name, role, address=client_address(request))
    except (InvalidInput, Conflict) as exc:
        with db.session() as s:
            return _users_page(request, s, error=exc.message, status=422)
    with db.session() as s:
        return _users_page(
            request, s, notice=f"已创建用户 {user.name}", secret={"label": f"{user.name} 的初始密码", "value": password}
        )


@router.post("/users/{user_id:int}", response_class=HTMLResponse)
def user_change(
    request: Request,
    user_id: IdPath,
    who: Admin,
    action: Annotated[str, Form(max_length=16)] = "",
    role: Annotated[str, Form(max_length=16)] = "",
):
    """``action``: role (with ``role``), disable, enable, reset."""
    db = request.app.state.db
    try:
        with db.session() as s:
            if action == "reset":
                name = users.get(s, user_id).name
                password = users.reset_password(s, who, user_id, address=client_address(request))
            elif action in ("role", "disable", "enable"):
                users.update(
                    s,
                    who,
                    user_id,
                    role=role if action == "role" else None,
                    active={"disable": False, "enable": True}.get(action),
                    address=client_address(request),
                )
            else:
                raise InvalidInput(f"操作：不认识的操作 {action!r}")
    except (InvalidInput, NotFound) as exc:
        with db.session() as s:
            return _users_page(request, s, error=exc.message, status=422)
    if action == "reset":
        with db.session() as s:
            return _users_page(
                request, s, notice=f"已重置 {name} 的密码", secret={"label": f"{name} 的新密码", "value": password}
            )
    done = {"role": "role", "disable": "disabled", "enable": "enabled"}[action]
    return RedirectResponse(f"/admin/users?done={done}", status_code=303)


def _value(v) -> str:
    return {True: "是", False: "否", None: "—"}.get(v, str(v)) if isinstance(v, bool | None) else str(v)


def detail_text(detail: dict) -> str:
    """An audit entry's detail as one line: ``[old, new]`` pairs (user.update) as ``old → new``,
    a catalog edit's field list in Chinese (``fields=价格、标题``)."""
    parts = []
    for k, v in detail.items():
        if k == "fields" and isinstance(v, list):
            v = "、".join(fieldnames.LABELS.get(str(f), str(f)) for f in v)
        elif isinstance(v, list) and len(v) == 2 and not isinstance(v[0], list | dict):
            v = f"{_value(v[0])} → {_value(v[1])}"
        elif isinstance(v, list):
            v = "、".join(_value(x) for x in v)
        parts.append(f"{k}={_value(v)}")
    return "；".join(parts)


def _keys_page(request, s, *, notice="", error="", secret=None, status=200):
    return render(
        request,
        "admin_keys.html",
        {
            "keys": [apikeys.to_dict(k) for k in apikeys.list_keys(s)],
            "roles": [roles.ROLES[n] for n in KEY_ROLES],
            "notice": notice,
            "error": error,
            "secret": secret,
        },
        status,
    )


@router.get("/keys", response_class=HTMLResponse)
def keys_page(request: Request, s: SessionDep, done: str = ""):
    return _keys_page(request, s, notice=NOTICES.get(done, ""))


@router.post("/keys", response_class=HTMLResponse)
def key_add(
    request: Request,
    who: Admin,
    name: Annotated[str, Form(max_length=NAME_FORM_CHARS)] = "",
    role: Annotated[str, Form(max_length=16)] = "",
):
    db = request.app.state.db
    try:
        with db.session() as s:
            row, key = apikeys.create(s, who, name, role, address=client_address(request))
            signing = row.signing_secret
    except InvalidInput as exc:
        with db.session() as s:
            return _keys_page(request, s, error=exc.message, status=422)
    with db.session() as s:
        return _keys_page(
            request,
            s,
            notice=f"已创建密钥 {row.name}",
            secret={"label": "新密钥（只显示这一次，请立即保存）", "value": key, "signing": signing},
        )


@router.post("/keys/{key_id}/revoke")
def key_revoke(request: Request, key_id: str, who: Admin):
    with request.app.state.db.session() as s:
        apikeys.revoke(s, who, key_id, address=client_address(request))
    return RedirectResponse("/admin/keys?done=revoked", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, s: SessionDep, action: str = "", actor: str = "", since: str = "", page: Page = 1):
    action, actor, since, page = action.strip()[:48], actor.strip()[:80], since.strip()[:40], max(1, page)
    try:
        since_dt = clock.from_shop_time(datetime.fromisoformat(since)) if since else None
    except ValueError:
        since_dt, error = None, f"起始时间：“{since}”不是有效的日期（例如 2026-05-01）"
    else:
        error = ""
    entries = (
        []
        if error
        else audit.query(
            s,
            action=action or None,
            actor=actor or None,
            since=since_dt,
            limit=AUDIT_PAGE + 1,
            offset=(page - 1) * AUDIT_PAGE,
        )
    )
    params = {k: v for k, v in (("action", action), ("actor", actor), ("since", since)) if v}
    return render(
        request,
        "admin_audit.html",
        {
            "entries": [{**audit.to_dict(e), "detail_text": detail_text(e.detail or {})} for e in entries[:AUDIT_PAGE]],
            "action": action,
            "actor": actor,
            "since": since,
            "error": error,
            "page": page,
            "next_url": "/admin/audit?" + urlencode({**params, "page": page + 1})
            if len(entries) > AUDIT_PAGE
            else None,
            "export_csv": "/api/admin/audit/export?" + urlencode({**params, "format": "csv"}),
            "export_jsonl": "/api/admin/audit/export?" + urlencode({**params, "format": "jsonl"}),
        },
        422 if error else 200,
    )
