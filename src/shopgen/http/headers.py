"""Security headers on every HTTP response: a Content-Security-Policy, no framing, no MIME
sniffing, and no referrer sent to other sites.

The studio runs no inline script (its JavaScript is in ``web/static``), so scripts come from this
origin only; a page that must inline one (the API docs' Swagger UI set-up) marks it with the
request's nonce, ``request.state.csp_nonce``. Styles may be inline (``style="width: 40%"`` in
bars and charts): a style cannot run code. Images may come from any http(s) site, since product
images live on the shop's own image hosts; everything else (fetch, EventSource, the WebSocket,
audio, fonts, forms) stays on this origin, and no page may be framed (clickjacking).
"""

from __future__ import annotations

import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def policy(nonce: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: https: http:",
            "font-src 'self' data:",
            "media-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response (a route may set its own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        extra = [
            (b"content-security-policy", policy(nonce).encode()),
            (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
        ]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
