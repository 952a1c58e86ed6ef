"""One error shape for every 4xx/5xx: ``{"error": {"type", "message", "detail"}}``.

Studio pages (HTML requests outside ``/api``) get the same information as a page. Paths on the
server's temporary disk (where an upload is kept while it is read) are cut to the file's name:
they tell an attacker about the server and a user nothing.
"""

from __future__ import annotations

import logging
import re
import tempfile
from functools import cache
from http import HTTPStatus
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from shopgen.core.errors import ShopgenError, Unauthorized
from shopgen.http import fieldnames

log = logging.getLogger("shopgen.api")

HTTP_TYPES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "rate_limited",
}
#: Chinese for Starlette's bare reason phrases ("Not Found"), which the studio would show as they are
HTTP_MESSAGES = {
    400: "请求有误",
    401: "请先登录",
    403: "没有权限",
    404: "找不到这个地址",
    405: "不支持这种请求方法",
    413: "内容太大",
    429: "请求太频繁，请稍后再试",
}


@cache
def _temp_path() -> re.Pattern:
    root = re.escape(tempfile.gettempdir().rstrip("/\\"))
    return re.compile(root + r"[/\\](?:[^\s/\\:'\"]+[/\\])*([^\s/\\:'\"]*)")


def public_text(value):
    """``value`` (a message, or a JSON-able detail) with server temp paths cut to their file name."""
    if isinstance(value, str):
        return _temp_path().sub(r"\1", value) if tempfile.gettempdir() in value else value
    if isinstance(value, dict):
        return {k: public_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [public_text(v) for v in value]
    return value


def http_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def error_body(kind: str, message: str, detail=None) -> dict:
    return {"error": {"type": kind, "message": message, "detail": detail}}


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


_CJK = re.compile(r"[\u3400-\u9fff]")
#: what a studio page says when a message was written for programs (English): people read Chinese
PAGE_MESSAGES = {
    **HTTP_MESSAGES,
    409: "与已有数据冲突，请刷新后再试",
    422: "输入有误，请检查后再试",
    500: "服务器出错了，请稍后再试",
    503: "后端服务忙或暂不可用，请稍后再试",
}


def page_message(status: int, message: str) -> str:
    """``message`` when it is Chinese, else a Chinese sentence for ``status``."""
    return message if _CJK.search(message or "") else PAGE_MESSAGES.get(status, "出错了，请稍后再试")


def _respond(request: Request, status: int, kind: str, message: str, detail=None, headers=None) -> Response:
    if _wants_html(request):
        message = page_message(status, message)
        if not hasattr(request.state, "principal"):  # no route ran (404): still show who is logged in
            from shopgen.http.auth import resolve_cookie_quietly

            request.state.principal = resolve_cookie_quietly(request)
        templates = request.app.state.templates
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": status, "kind": kind, "message": message},
            status_code=status,
            headers=headers,
        )
    return JSONResponse(error_body(kind, message, detail), status_code=status, headers=headers)


def _to_login(request: Request) -> Response:
    """A studio page without a login: off to the login form, coming back here afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/login?" + urlencode({"next": here}), status_code=303)


def _validation_detail(exc: RequestValidationError) -> list[dict]:
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()]


def install(app: FastAPI) -> None:
    @app.exception_handler(ShopgenError)
    async def _shopgen(request: Request, exc: ShopgenError):
        if exc.http_status >= 500:
            log.warning("%s: %s", exc.kind, exc.message)
        if isinstance(exc, Unauthorized) and _wants_html(request):
            return _to_login(request)
        message, detail = public_text(exc.message), public_text(exc.detail)
        return _respond(request, exc.http_status, exc.kind, message, detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return _respond(request, 422, "invalid_input", fieldnames.message(list(exc.errors())), _validation_detail(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        kind = HTTP_TYPES.get(exc.status_code, "http_error")
        message = HTTP_MESSAGES.get(exc.status_code) if exc.detail == http_phrase(exc.status_code) else None
        return _respond(request, exc.status_code, kind, message or str(exc.detail), None)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return _respond(request, 500, "internal_error", "服务器出错了，请稍后再试（详情见服务器日志）", None)
