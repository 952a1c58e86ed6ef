"""CSRF protection for cookie-authenticated requests.

A studio session has its own random token. Every unsafe request (POST, PUT, PATCH, DELETE)
that is authenticated by the session cookie must carry it, either as the ``csrf_token`` form
field (every studio form has it as a hidden input) or in the ``X-CSRF-Token`` header (the
studio's fetch calls). Requests with an API key do not use cookies and need no token.

The login form has no session yet; it uses a double-submit token instead: a random value in a
short-lived cookie and the same value in the form.
"""

from __future__ import annotations

from fastapi import Request

from shopgen.core.errors import Forbidden
from shopgen.security import tokens

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FIELD = "csrf_token"
HEADER = "x-csrf-token"
LOGIN_COOKIE = "shopgen_login_csrf"
MAX_FORM_FIELDS = 5000  # a product with many variant rows posts five fields a row


async def presented(request: Request) -> str:
    """The token a request carries (header first, then the form field), or ''."""
    token = request.headers.get(HEADER, "")
    if token:
        return token
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        # Starlette caches the parsed form, so the route reads the same one again for free
        form = await request.form(max_fields=MAX_FORM_FIELDS)
        value = form.get(FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def check(request: Request, expected: str | None) -> None:
    """Forbidden unless the request is safe or carries ``expected``."""
    if request.method in SAFE_METHODS:
        return
    got = await presented(request)
    if not expected or not got or not tokens.same(got, expected):
        raise Forbidden("页面已过期（安全校验码 CSRF 不符），请刷新页面后重试")
