"""/api/live: the live-stream copilot.

Comments come in through ``POST /api/live/rooms/{room}/comments`` (a batch) or the WebSocket
``/api/live/rooms/{room}/ws`` — role ``ingest`` (API keys for platform connectors), rate-limited
per key. Everything else is the host's (role ``host``): open a room, put a product on stage,
replay a recording, read the panel's snapshot or follow it as Server-Sent Events, get the
on-stage product's live script, and speak a text with the virtual host voice.

A batch is all or nothing: a malformed comment (empty, over 200 characters, binary, missing
``text``) fails the request with 422 naming its index, and none of the batch is counted, so
the sender can fix it and send again.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Annotated, Literal

from fastapi import (
    APIRouter,
    Depends,
    File,
    Form,
    Request,
    UploadFile,
    WebSocket,
    WebSocketDisconnect,
)
from fastapi.responses import FileResponse, Response, StreamingResponse
from pydantic import BaseModel, Field, StringConstraints
from starlette.concurrency import run_in_threadpool

from shopgen.core.errors import InvalidInput, RateLimited, ShopgenError, TooLarge, Unauthorized
from shopgen.http.auth import key_principal, limited, require, spend
from shopgen.http.params import Cursor
from shopgen.http.sse import primed, sse
from shopgen.live.normalize import Comment
from shopgen.live.replay import parse_speed
from shopgen.live.service import LiveService, check_room
from shopgen.security.apikeys import PREFIX
from shopgen.security.principal import Principal


def service(app) -> LiveService:
    return app.state.live


router = APIRouter(prefix="/api/live", tags=["live"])
Host = Annotated[Principal, Depends(require("host"))]
IngestLimit = [Depends(require("ingest")), Depends(limited("ingest"))]
MAX_BATCH = 500
MAX_UPLOAD = 20 * 1024 * 1024
MAX_SPEED = 1000.0
MAX_AHEAD_S = 300.0
Sku = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class RoomIn(BaseModel):
    room: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    sku: Sku | None = None
    voice: bool = False


class StageIn(BaseModel):
    sku: Sku | None = None


class CommentsIn(BaseModel):
    comments: list[dict] = Field(min_length=1)


class ReplayIn(BaseModel):
    source: Literal["demo"] = "demo"
    speed: float | Literal["max"] = 1.0


class SpeakIn(BaseModel):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]


class ScriptIn(BaseModel):
    refresh: bool = False


def _speed(value) -> float | None:
    return parse_speed(value, most=MAX_SPEED)


def comments_of(room: str, items: list, now: float | None = None) -> list[Comment]:
    """Validate a batch; InvalidInput names the first bad comment's index. A live ``ts`` is Unix
    time (the server's when left out): one more than ``MAX_AHEAD_S`` past the server's clock is
    refused (milliseconds sent as seconds, a wrong clock), as the room's clock would be misled."""
    if len(items) > MAX_BATCH:
        raise TooLarge(f"at most {MAX_BATCH} comments per batch, got {len(items)}")
    now = time.time() if now is None else now
    out = []
    for i, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise InvalidInput("a comment must be a JSON object")
            comment = Comment.from_dict({"ts": now, **item, "room": room})
            if comment.ts > now + MAX_AHEAD_S:
                raise InvalidInput(
                    f"ts {comment.ts:g} is {comment.ts - now:.0f} s ahead of the server's clock "
                    f"(at most {MAX_AHEAD_S:g}; ts is Unix time in seconds)"
                )
            out.append(comment)
        except InvalidInput as exc:
            raise InvalidInput(f"comment {i}: {exc.message}", {"index": i}) from None
    return out


def _summary(results: list[dict]) -> dict:
    dropped: dict[str, int] = {}
    for r in results:
        if r["dropped"]:
            dropped[r["dropped"]] = dropped.get(r["dropped"], 0) + 1
    return {
        "accepted": len(results),
        "counted": sum(r["counted"] for r in results),
        "dropped": dropped,
        "results": results,
    }


# ---- ingest (platform connectors) -----------------------------------------------------------


@router.post("/rooms/{room}/comments", dependencies=IngestLimit)
def post_comments(room: str, body: CommentsIn, request: Request) -> dict:
    svc = service(request.app)
    svc.get(room)  # 404 before any parsing work
    return _summary(svc.ingest(room, comments_of(room, body.comments)))


SUBPROTOCOL = "shopgen.ingest"


@router.websocket("/rooms/{room}/ws")
async def ingest_socket(websocket: WebSocket, room: str):
    """Role ``ingest``: ``Authorization: Bearer sg_…`` (or ``X-API-Key``). Clients that cannot set
    headers (a browser's ``WebSocket``) offer the subprotocols ``shopgen.ingest`` and the key:
    ``new WebSocket(url, ["shopgen.ingest", key])``; the server answers with ``shopgen.ingest``
    only, so the key is not echoed. ``?key=`` still works but puts the secret in URLs (its value
    is hidden in shopgen's logs; proxies may keep it): prefer the other two.

    Each text message is a JSON comment or ``{"comments": [...]}``; each is answered with
    the batch summary, or ``{"error": {...}}`` (the socket stays open). Closes with 4401 / 4403 /
    4404 for a bad key, a key without the ``ingest`` role, or an unknown room, and 4429 when its
    address is over the key-attempt limit (HTTP's 429)."""
    app = websocket.app
    offered = websocket.scope.get("subprotocols") or []
    await websocket.accept(subprotocol=SUBPROTOCOL if SUBPROTOCOL in offered else None)
    try:
        principal = _socket_principal(websocket)
    except RateLimited as exc:
        await websocket.close(code=4429, reason=exc.message[:120])
        return
    if principal is None:
        await websocket.close(code=4401, reason="invalid or missing API key")
        return
    if not principal.allows("ingest"):
        await websocket.close(code=4403, reason=f"role '{principal.role}' may not ingest comments")
        return
    svc = service(app)
    try:
        svc.get(room)
    except ShopgenError as exc:
        await websocket.close(code=4404, reason=exc.message[:120])
        return
    try:
        while True:
            raw = await websocket.receive_text()
            try:
                spend(websocket, "ingest", principal)
                try:
                    data = json.loads(raw)
                except ValueError:
                    raise InvalidInput("message is not JSON") from None
                items = data.get("comments") if isinstance(data, dict) and "comments" in data else [data]
                if not isinstance(items, list) or not items:
                    raise InvalidInput("'comments' must be a non-empty list")
                batch = comments_of(room, items)
                results = await run_in_threadpool(svc.ingest, room, batch)
                await websocket.send_json(_summary(results))
            except ShopgenError as exc:
                await websocket.send_json({"error": exc.to_dict()})
    except WebSocketDisconnect:
        return


def _socket_principal(websocket: WebSocket) -> Principal | None:
    """The socket's key, checked as an HTTP request's is (the same lookup, and the same
    per-address limit on attempts, so a socket is no way around it). Headers first, then the
    offered subprotocols, then ``?key=``. None for a missing or bad key; RateLimited when over
    the limit."""
    offered = websocket.scope.get("subprotocols") or []
    from_protocol = next((p for p in offered if p.startswith(PREFIX)), None)
    try:
        return key_principal(websocket, from_protocol or websocket.query_params.get("key"))
    except Unauthorized:
        return None


# ---- host ------------------------------------------------------------------------------------


@router.get("/rooms")
def rooms(request: Request, _: Host) -> dict:
    svc = service(request.app)
    return {"rooms": [svc.room_info(r) for r in svc.rooms.names()]}


@router.post("/rooms", status_code=201)
def open_room(body: RoomIn, request: Request, _: Host) -> dict:
    return service(request.app).open(check_room(body.room), body.sku, body.voice)


@router.get("/rooms/{room}")
def room_info(room: str, request: Request, _: Host) -> dict:
    return service(request.app).room_info(room)


@router.delete("/rooms/{room}", status_code=204)
def close_room(room: str, request: Request, _: Host) -> Response:
    service(request.app).close(room)
    return Response(status_code=204)


@router.post("/rooms/{room}/stage")
def stage(room: str, body: StageIn, request: Request, _: Host) -> dict:
    card = service(request.app).stage(room, body.sku)
    return {"room": room, "on_stage": body.sku, "product": card}


@router.get("/rooms/{room}/snapshot")
def snapshot(room: str, request: Request, _: Host) -> dict:
    svc = service(request.app)
    snap = svc.get(room).snapshot()
    snap["product"] = svc.card(room)
    snap["replay"] = svc.room_info(room)["replay"]
    return snap


@router.get("/rooms/{room}/events")
async def events(room: str, request: Request, _: Host, after: Cursor = 0, once: bool = False):
    """The host panel's feed: ``event`` lines for new replies / complaints / on-stage changes
    (each with its ``seq``; reconnect with ``?after=SEQ``), and a ``snapshot`` every second.
    ``once=true`` sends what there is now and ends (for polling clients and tests)."""
    svc = service(request.app)
    svc.get(room)

    async def feed():
        seq = after
        while True:
            try:
                news = svc.events_after(room, seq)
                snap = await run_in_threadpool(snapshot, room, request, None)
            except ShopgenError as exc:  # the room was closed
                yield sse("error", {"error": exc.to_dict()})
                return
            for e in news:
                seq = e["seq"]
                yield sse("event", e)
            yield sse("snapshot", snap)
            if once or await request.is_disconnected():
                return
            await asyncio.sleep(1.0)

    return StreamingResponse(
        feed(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )


@router.post("/rooms/{room}/replay", status_code=202)
def replay(room: str, request: Request, _: Host, body: ReplayIn | None = None) -> dict:
    """Replay the demo shop's recording (three minutes of comments on the T-shirt) into the room."""
    body = body or ReplayIn()
    return service(request.app).start_replay(room, None, _speed(body.speed))


@router.post("/rooms/{room}/replay/upload", status_code=202)
async def replay_upload(
    room: str,
    request: Request,
    _: Host,
    file: Annotated[UploadFile, File(description="Bilibili danmaku XML, CSV or JSONL")],
    speed: Annotated[str, Form(max_length=8)] = "1",
    format: Annotated[str, Form(max_length=16)] = "auto",
) -> dict:
    import tempfile
    from pathlib import Path

    svc = service(request.app)
    svc.get(room)
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise TooLarge(f"recording is larger than {MAX_UPLOAD // (1024 * 1024)} MB")
    suffix = Path(file.filename or "upload").suffix[:8]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"recording{suffix}"
        path.write_bytes(data)
        return await run_in_threadpool(svc.start_replay, room, path, _speed(speed), fmt=format)


@router.post("/rooms/{room}/replay/stop")
def replay_stop(room: str, request: Request, _: Host) -> dict:
    return service(request.app).stop_replay(room)


@router.post("/rooms/{room}/script")
async def script(room: str, request: Request, who: Host, body: ScriptIn | None = None):
    """The on-stage product's live script (hook, features, price, call to action) for the teleprompter.

    With ``Accept: text/event-stream`` it streams like /api/copy/generate: ``meta {"sku", "model"}``,
    ``token {"text"}`` (the first draft as it is written), then ``result`` (the checked script, its
    findings in Chinese) or ``error``. Otherwise one JSON answer. Admitted by the generation gate."""
    svc = service(request.app)
    svc.get(room)
    refresh = bool(body and body.refresh)
    if "text/event-stream" not in request.headers.get("accept", ""):
        return await run_in_threadpool(svc.script, room, refresh)
    prepared = await run_in_threadpool(svc.script_facts, room)
    release = request.app.state.llm_gate.admit(who.actor).release

    def frames():
        try:
            yield sse("meta", {"sku": prepared[0], "model": getattr(svc.runtime.llm(), "model", "")})
            for item in svc.script_stream(room, refresh, prepared=prepared):
                yield sse("result", item) if isinstance(item, dict) else sse("token", {"text": item})
        except ShopgenError as exc:
            yield sse("error", {"error": exc.to_dict()})
        finally:
            release()

    try:
        stream = await run_in_threadpool(primed, frames())
    except BaseException:
        release()
        raise
    return StreamingResponse(
        stream, media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )


@router.post("/speak")
async def speak(body: SpeakIn, request: Request, _: Host) -> dict:
    speech = await run_in_threadpool(service(request.app).speak, body.text)
    d = speech.to_dict()
    return {
        "url": f"/api/live/audio/{d['file']}",
        "seconds": round(d["seconds"], 2),
        "rtf": d["rtf"],
        "voice": d["voice"],
        "cached": d["cached"],
    }


@router.get("/audio/{name}")
def audio(name: str, request: Request, _: Host):
    return FileResponse(service(request.app).audio_path(name), media_type="audio/wav")
