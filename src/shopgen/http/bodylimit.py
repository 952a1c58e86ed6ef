"""Refuse request bodies over a size limit with 413, before and while they are read.

A declared ``Content-Length`` over the limit is answered at once, without reading; a body sent
without one (chunked) is counted as it arrives and cut off when it passes the limit. Routes
that take bigger uploads (the catalog import) get their own limit by path.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from shopgen.http.errors import error_body


class BodyLimit:
    def __init__(self, app: ASGIApp, default: int, by_path: dict[str, int] | None = None) -> None:
        self.app = app
        self.default = default
        self.by_path = by_path or {}

    def limit_for(self, path: str) -> int:
        return self.by_path.get(path.rstrip("/") or "/", self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _reply(send, 400, "bad_request", "invalid Content-Length")
                return
            if int(declared) > limit:
                await _reply(send, 413, "too_large", _message(limit))
                return
        received = 0

        async def counted() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, _message(limit))
            return message

        await self.app(scope, counted, send)


def _message(limit: int) -> str:
    return f"request body larger than {limit} bytes"


async def _reply(send: Send, status: int, kind: str, message: str) -> None:
    body = json.dumps(error_body(kind, message)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
