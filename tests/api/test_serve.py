"""A real ``shopgen serve`` (uvicorn in a subprocess, as users run it).

The live ingest WebSocket needs a WebSocket implementation installed beside uvicorn, which
TestClient does not (it answered 404 in production while every in-process test passed): keys by
header, by subprotocol and by ``?key=``, and the access log never shows the secret. And the
client address is the peer's: a forged ``X-Forwarded-For`` from this machine does not buy more
login attempts (uvicorn believes it from 127.0.0.1 unless told otherwise)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from websockets.sync.client import connect

from shopgen.cli.serve import proxy_options
from shopgen.store.db import Database
from tests.auth import make_key


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data = tmp_path_factory.mktemp("serve")
    db = Database(f"sqlite:///{data / 'shopgen.db'}")
    db.migrate()
    keys = {role: make_key(db, role) for role in ("ingest", "host")}
    db.engine.dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPGEN_")}
    env.update(
        SHOPGEN_DATA_DIR=str(data),
        SHOPGEN_LLM_BACKEND="fake",
        SHOPGEN_EMBED_BACKEND="fake",
        SHOPGEN_VOICE_BACKEND="fake",
        PYTHONUNBUFFERED="1",
    )
    log = (data / "serve.log").open("w+", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "shopgen.cli", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:  # wait for it to listen (a guard against hanging, not a timing assertion)
        assert proc.poll() is None, (data / "serve.log").read_text(encoding="utf-8")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "shopgen serve did not start"
        time.sleep(0.2)
    r = httpx.post(
        f"{base}/api/live/rooms",
        json={"room": "serve-room"},
        headers={"Authorization": f"Bearer {keys['host']}"},
    )
    assert r.status_code == 201, r.text
    yield {
        "base": base,
        "ws": f"ws://127.0.0.1:{port}/api/live/rooms/serve-room/ws",
        "keys": keys,
        "log": data / "serve.log",
    }
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def _send(ws, text: str) -> dict:
    ws.send(json.dumps({"user": "u1", "text": text}))
    return json.loads(ws.recv(timeout=30))


def test_the_socket_opens_under_shopgen_serve_with_a_header_key(served):
    headers = {"Authorization": f"Bearer {served['keys']['ingest']}"}
    with connect(served["ws"], additional_headers=headers, open_timeout=30) as ws:
        out = _send(ws, "这件有XL吗")
    assert out["accepted"] == 1 and out["results"][0]["intent"] == "ask"


def test_a_browser_sends_the_key_as_a_subprotocol_and_it_is_not_echoed(served):
    key = served["keys"]["ingest"]
    with connect(served["ws"], subprotocols=["shopgen.ingest", key], open_timeout=30) as ws:
        assert ws.subprotocol == "shopgen.ingest"
        assert key not in str(ws.response.headers)
        assert _send(ws, "扣1")["accepted"] == 1


def test_a_key_in_the_query_works_but_never_reaches_the_log(served):
    key = served["keys"]["ingest"]
    with connect(f"{served['ws']}?key={key}", open_timeout=30) as ws:
        assert _send(ws, "已拍")["accepted"] == 1
    time.sleep(0.2)  # let the server write its access line
    log = served["log"].read_text(encoding="utf-8")
    assert "/api/live/rooms/serve-room/ws?key=[hidden]" in log
    assert key not in log and key.split("_", 2)[2] not in log  # the secret itself may hold "_"


def test_a_forged_forwarded_for_does_not_dodge_the_login_limit(served):
    """10 attempts a minute per address (the default): the 11th is refused whatever it claims."""
    codes = []
    with httpx.Client(base_url=served["base"]) as c:
        for i in range(11):
            page = c.get("/login").text
            token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            r = c.post(
                "/login",
                data={"name": f"nobody{i}", "password": "x", "csrf_token": token, "next": "/"},
                headers={"X-Forwarded-For": f"203.0.113.{i}"},
            )
            codes.append(r.status_code)
    assert codes == [401] * 10 + [429]


def test_proxy_headers_only_from_the_configured_proxies():
    assert proxy_options("") == {"proxy_headers": False}
    assert proxy_options(" 10.0.0.1, 10.1.0.0/16 ") == {
        "proxy_headers": True,
        "forwarded_allow_ips": ["10.0.0.1", "10.1.0.0/16"],
    }
