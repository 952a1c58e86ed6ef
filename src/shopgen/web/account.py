"""登录 and 退出: the studio's login form and logout.

The login form is public and rate-limited per client address, and each account name is locked
for ``login_lockout_minutes`` after ``login_max_failures`` failed logins (audited as
``auth.lockout``; attempts while locked as ``auth.login_locked``). It carries a double-submit
CSRF token (cookie + hidden field) since there is no session yet. A successful login starts a
new session (HttpOnly, SameSite=Lax cookie; Secure over HTTPS or when ``cookie_secure``) and
returns to ``next`` when that is a path on this site.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from shopgen.core.errors import InvalidInput
from shopgen.http.auth import LoggedIn, client_address, public
from shopgen.security import audit, csrf, sessions, tokens, users
from shopgen.security.principal import Principal
from shopgen.web.routes import render

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_SECONDS = 3600


def safe_next(target: str | None) -> str:
    """Only a local path: never another site (``//evil``, ``https://…``, ``/\\evil``)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or "\n" in target:
        return "/"
    return target


def _secure(request: Request) -> bool:
    setting = request.app.state.settings.cookie_secure
    return request.url.scheme == "https" if setting is None else setting


def _login_page(request: Request, next_url: str, *, name: str = "", error: str = "", status: int = 200):
    token = tokens.new_token(24)
    response = render(request, "login.html", {"next": next_url, "name": name, "error": error, "csrf": token}, status)
    response.set_cookie(
        csrf.LOGIN_COOKIE,
        token,
        max_age=LOGIN_CSRF_SECONDS,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/login",
    )
    return response


@router.get("/login", response_class=HTMLResponse, dependencies=[Depends(public)])
def login_form(request: Request, next: str = "/"):
    return _login_page(request, safe_next(next))


@router.post("/login", dependencies=[Depends(public)])
def login(
    request: Request,
    name: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
):
    app = request.app
    address = client_address(request)
    app.state.limits.get("login").hit(address)
    next_url = safe_next(next)
    cookie = request.cookies.get(csrf.LOGIN_COOKIE, "")
    if not cookie or not csrf_token or not tokens.same(cookie, csrf_token):
        return _login_page(request, next_url, name=name, error="页面已过期，请重新登录。", status=403)
    accounts = app.state.limits.accounts
    who = Principal("user", name.strip()[:64] or "?", "")
    locked = accounts.locked_for(who.name)
    with app.state.db.session() as s:
        if locked:  # refused before the password is even checked
            audit.record(s, who, "auth.login_locked", f"user:{who.name}", address=address)
            user = None
        else:
            user = users.authenticate(s, name, password)
        if user is None and not locked:
            audit.record(s, who, "auth.login_failed", f"user:{who.name}", address=address)
            if accounts.failed(who.name):
                detail = {"failures": accounts.max_failures, "minutes": accounts.window_s / 60}
                audit.record(s, who, "auth.lockout", f"user:{who.name}", detail, address=address)
        elif user is not None:
            accounts.succeeded(who.name)
            token = sessions.create(s, user)
            audit.record(s, Principal("user", user.name, user.role), "auth.login", f"user:{user.name}", address=address)
    if locked:
        minutes = max(1, round(locked / 60))
        error = f"该账号登录失败次数过多，已暂时锁定，请约 {minutes} 分钟后再试。"
        response = _login_page(request, next_url, name=name, error=error, status=429)
        response.headers["Retry-After"] = str(locked)
        return response
    if user is None:
        return _login_page(request, next_url, name=name, error="用户名或密码错误。", status=401)
    response = RedirectResponse(next_url, status_code=303)
    settings = app.state.settings
    response.set_cookie(
        sessions.COOKIE,
        token,
        max_age=int(settings.session_max_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(csrf.LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, who: LoggedIn):
    with request.app.state.db.session() as s:
        if who.session_id is not None:
            sessions.end(s, who.session_id)
        audit.record(s, who, "auth.logout", f"user:{who.name}", address=client_address(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(sessions.COOKIE, path="/")
    return response


@router.get("/account/password", response_class=HTMLResponse)
def password_form(request: Request, _: LoggedIn, done: str = ""):
    return render(request, "account_password.html", {"notice": "密码已修改，其他设备上的登录已退出。" if done else ""})


@router.post("/account/password", response_class=HTMLResponse)
def password_change(
    request: Request,
    who: LoggedIn,
    old_password: Annotated[str, Form(max_length=1024)] = "",
    new_password: Annotated[str, Form(max_length=1024)] = "",
    new_password2: Annotated[str, Form(max_length=1024)] = "",
):
    """Old password first (rate-limited like the login form), then the new one twice."""
    address = client_address(request)
    request.app.state.limits.get("login").hit(address)
    try:
        with request.app.state.db.session() as s:
            users.change_password(s, who, old_password, new_password, new_password2, address=address)
    except InvalidInput as exc:
        field = exc.detail.get("field", "") if isinstance(exc.detail, dict) else ""
        return render(request, "account_password.html", {"error": exc.message, "field": field}, 422)
    return RedirectResponse("/account/password?done=1", status_code=303)
