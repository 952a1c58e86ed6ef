"""/api/live: rooms, batch and WebSocket ingest (role ingest), the host's snapshot / SSE feed,
replays, auto-replies from the knowledge base, the live script and the virtual host voice."""

import json
import shutil
import time

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from shopgen.core.settings import Settings
from shopgen.demo.loader import load_demo
from shopgen.server import create_app
from tests.auth import bearer, make_key
from tests.http import error, events


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    # the real e5 embedder: auto-replies need a confident FAQ match (fake vectors never agree)
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("live"), llm_backend="fake"))
    load_demo(app.state.db)
    return app


@pytest.fixture(scope="module")
def host(shop):
    with TestClient(shop, headers=bearer(shop.state.db, "host")) as c:
        yield c


@pytest.fixture(scope="module")
def ingest(shop):
    with TestClient(shop, headers=bearer(shop.state.db, "ingest")) as c:
        yield c


def room(host, name, sku="FZ-1001"):
    r = host.post("/api/live/rooms", json={"room": name, "sku": sku})
    assert r.status_code == 201, r.text
    return r.json()


def send(ingest, name, *texts, **extra):
    comments = [{"user": f"u{i}", "text": t, **extra} for i, t in enumerate(texts)]
    return ingest.post(f"/api/live/rooms/{name}/comments", json={"comments": comments})


def test_batch_is_labelled_and_counted(host, ingest):
    assert room(host, "r-batch")["on_stage"] == "FZ-1001"
    r = send(ingest, "r-batch", "这件有XL吗", "扣1", "发货太慢了，等了一周", "主播好漂亮")
    assert r.status_code == 200
    body = r.json()
    assert body["accepted"] == 4 and body["counted"] == 4
    assert [x["intent"] for x in body["results"]] == ["ask", "buy", "complain", "other"]
    snap = host.get("/api/live/rooms/r-batch/snapshot").json()
    assert snap["comments"] == 4 and snap["intents"]["buy"] == 1 and snap["product"]["sku"] == "FZ-1001"
    assert snap["complaints"][0]["text"] == "发货太慢了，等了一周"


def test_a_bad_comment_fails_the_batch_and_counts_nothing(host, ingest):
    room(host, "r-bad")
    e = error(send(ingest, "r-bad", "包邮吗", ""), 422, "invalid_input")
    assert e["message"].startswith("comment 1:") and e["detail"] == {"index": 1}
    error(send(ingest, "r-bad", "x" * 201), 422, "invalid_input")
    error(send(ingest, "r-bad", "a\x00b"), 422, "invalid_input")
    error(ingest.post("/api/live/rooms/r-bad/comments", json={"comments": []}), 422, "invalid_input")
    error(ingest.post("/api/live/rooms/r-bad/comments", json={"comments": [{"text": "hi"}] * 501}), 413, "too_large")
    assert host.get("/api/live/rooms/r-bad/snapshot").json()["received"] == 0
    error(send(ingest, "no-such-room", "包邮吗"), 404, "not_found")
    error(host.post("/api/live/rooms", json={"room": "bad room!"}), 422, "invalid_input")
    error(host.post("/api/live/rooms/r-bad/stage", json={"sku": "NOPE-1"}), 404, "not_found")


def test_on_stage_product_questions_get_catalog_replies_once_per_cool_down(host, ingest):
    """「这件有XL吗」 asked 15 times, 「有黑色吗」, 「是纯棉的吗」 with FZ-1001 on stage: answered from the
    catalog, each once (merged repeats, no second reply within the cool-down), never an order."""
    room(host, "r-stage")
    send(ingest, "r-stage", *["这件有XL吗"] * 15, ts=10.0)
    send(ingest, "r-stage", "有黑色吗", "有黑色吗？", "是纯棉的吗", "是纯棉的吗", ts=12.0)
    send(ingest, "r-stage", "SG202611010001到哪了", "SG202611010001到哪了", ts=13.0)
    send(ingest, "r-stage", *["这件有XL吗"] * 5, ts=20.0)  # the cluster grows inside its cool-down
    evs = events(host.get("/api/live/rooms/r-stage/events", params={"once": True}))
    replies = [d for name, d in evs if name == "event" and d["type"] == "reply"]
    by_question = {r["question"].rstrip("？?"): r for r in replies}
    assert by_question["这件有XL吗"]["route"] == "product" and "XL" in by_question["这件有XL吗"]["text"]
    assert by_question["有黑色吗"]["text"].startswith("有黑色") and by_question["是纯棉的吗"]["text"].startswith("是的")
    assert not any("SF1468203957311" in r["text"] or "已签收" in r["text"] for r in replies)  # never an order
    assert all(r["flag"] == "order" for r in replies if "SG" in r["question"])
    assert sum(r["question"].startswith("这件有XL吗") for r in replies) == 1
    assert len({r["text"] for r in replies}) == len(replies)


def test_redelivered_comments_are_not_counted_twice(host, ingest):
    room(host, "r-dup")
    batch = {"comments": [{"user": "a", "text": "已拍", "ts": 100.0, "id": "m-1"}]}
    assert ingest.post("/api/live/rooms/r-dup/comments", json=batch).json()["counted"] == 1
    assert ingest.post("/api/live/rooms/r-dup/comments", json=batch).json()["counted"] == 0
    assert host.get("/api/live/rooms/r-dup/snapshot").json()["intents"]["buy"] == 1


def test_repeated_question_gets_one_auto_reply_from_the_faq(host, ingest):
    room(host, "r-reply")
    send(ingest, "r-reply", "多少钱包邮？", "多少钱包邮", "多少钱包邮？？")
    evs = events(host.get("/api/live/rooms/r-reply/events", params={"once": True}))
    replies = [d for name, d in evs if name == "event" and d["type"] == "reply"]
    assert len(replies) == 1 and replies[0]["route"] == "faq" and "99" in replies[0]["text"]
    name, snap = evs[-1]
    assert name == "snapshot" and snap["auto_replies"] == 1
    assert snap["top_questions"][0]["count"] == 3 and snap["top_questions"][0]["replied"]
    # reconnecting after the last seen event sends nothing old
    again = events(host.get("/api/live/rooms/r-reply/events", params={"once": True, "after": replies[0]["seq"]}))
    assert [name for name, _ in again] == ["snapshot"]


def test_replay_of_the_demo_recording_runs_to_the_end(host):
    room(host, "r-replay")
    r = host.post("/api/live/rooms/r-replay/replay", json={"source": "demo", "speed": "max"})
    assert r.status_code == 202 and r.json()["total"] == 600
    deadline = time.monotonic() + 60
    while host.get("/api/live/rooms/r-replay").json()["replay"]["status"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    snap = host.get("/api/live/rooms/r-replay/snapshot").json()
    assert snap["replay"]["status"] == "done" and snap["received"] == 600
    assert snap["intents"]["ask"] > snap["intents"]["review"] and snap["talking_points"]
    error(host.post("/api/live/rooms/r-replay/replay", json={"speed": 0}), 422, "invalid_input")


def test_upload_a_malformed_recording_names_the_line(host):
    room(host, "r-upload")
    bad = b'{"user": "a", "text": "hi", "ts": 1}\n{"user": "b", "text": \n'
    e = error(
        host.post("/api/live/rooms/r-upload/replay/upload", files={"file": ("rec.jsonl", bad)}, data={"speed": "max"}),
        422,
        "invalid_input",
    )
    assert "line 2" in e["message"]
    ok = host.post(
        "/api/live/rooms/r-upload/replay/upload",
        files={"file": ("rec.jsonl", bad.splitlines()[0] + b"\n")},
        data={"speed": "max"},
    )
    assert ok.status_code == 202 and ok.json()["total"] == 1


def test_websocket_ingest_with_roles_and_errors(shop, host):
    room(host, "r-ws")
    client = TestClient(shop)
    good = make_key(shop.state.db, "ingest")
    with client.websocket_connect("/api/live/rooms/r-ws/ws", headers={"Authorization": f"Bearer {good}"}) as ws:
        ws.send_text(json.dumps({"user": "a", "text": "这件有XL吗"}))
        assert ws.receive_json()["results"][0]["intent"] == "ask"
        ws.send_text("not json")
        assert ws.receive_json()["error"]["type"] == "invalid_input"
        ws.send_text(json.dumps({"comments": [{"user": "b", "text": "扣1"}, {"user": "c", "text": "已拍"}]}))
        assert ws.receive_json()["counted"] == 2  # the socket stayed open after the error
    for key, room_name, code in [
        ("sg_bad_key", "r-ws", 4401),
        (make_key(shop.state.db, "host"), "r-ws", 4403),
        (good, "nowhere", 4404),
    ]:
        with client.websocket_connect(f"/api/live/rooms/{room_name}/ws?key={key}") as ws:
            with pytest.raises(WebSocketDisconnect) as exc:
                ws.receive_json()
            assert exc.value.code == code
    assert host.get("/api/live/rooms/r-ws/snapshot").json()["comments"] == 3


def test_websocket_key_attempts_share_the_http_address_limit(shop, host, tmp_path):
    """A socket is no way around the per-address limit on API-key attempts."""
    from shopgen.security.ratelimit import Limits

    room(host, "r-ws-limit")
    client = TestClient(shop)
    original, shop.state.limits = shop.state.limits, Limits(Settings(data_dir=tmp_path, rate_address_per_minute=3))
    try:
        codes = []
        for _ in range(4):
            with client.websocket_connect("/api/live/rooms/r-ws-limit/ws?key=sg_bad_key") as ws:
                with pytest.raises(WebSocketDisconnect) as exc:
                    ws.receive_json()
                codes.append(exc.value.code)
        assert codes == [4401, 4401, 4401, 4429]
        # the same bucket as HTTP: this address is limited there too, even with a good key
        error(client.get("/api/live/rooms", headers=bearer(shop.state.db, "host")), 429, "rate_limited")
    finally:
        shop.state.limits = original


def test_script_for_the_product_on_stage(host):
    room(host, "r-script")
    out = host.post("/api/live/rooms/r-script/script", json={}).json()
    assert out["sku"] == "FZ-1001" and out["kind"] == "live_script" and isinstance(out["issues"], list)
    host.post("/api/live/rooms/r-script/stage", json={"sku": None})
    error(host.post("/api/live/rooms/r-script/script", json={}), 422, "invalid_input")


WINTER = (
    "【开场】家人们冬日里也要有一件好T恤！【卖点】纯棉面料柔软透气，圆领直筒版型男女同款，白色黑色浅灰色藏青色都有。"
    "【价格】到手价69元。【下单】喜欢的家人们赶紧下单！"
)


class RecordingGenerator:
    """The fake model, remembering every prompt it was given."""

    def __init__(self, replies):
        from shopgen.models.llm.fake import FakeGenerator

        self.fake, self.prompts, self.model = FakeGenerator(replies), [], "fake-echo"

    def chat(self, messages, **kw):
        self.prompts.append(messages)
        return self.fake.chat(messages, **kw)

    def stream(self, messages, **kw):
        self.prompts.append(messages)
        yield from self.fake.stream(messages, **kw)


def test_script_streams_and_keeps_to_the_products_season_with_chinese_flags(shop, host, monkeypatch):
    gen = RecordingGenerator([WINTER])
    monkeypatch.setattr(shop.state.runtime, "llm", lambda: gen)
    room(host, "r-stream")
    r = host.post("/api/live/rooms/r-stream/script", json={"refresh": True}, headers={"accept": "text/event-stream"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    evs = events(r)
    names = [n for n, _ in evs]
    assert names[0] == "meta" and names[-1] == "result" and names.count("token") > 10  # text as it is written
    assert "".join(d["text"] for n, d in evs if n == "token") == WINTER
    result = evs[-1][1]
    # FZ-1001 is a spring/summer T-shirt (适用季节=春夏): the prompt says so, and 冬日 is caught and rewritten
    assert "本商品适用季节：春夏" in gen.prompts[0][-1]["content"] and result["seasons"] == "春夏"
    assert "冬日" not in result["text"] and "夏日里" in result["text"]
    flags = result["issues"] + result["compliance"]
    assert flags and all(f["label"] in ("与商品信息不符", "商品信息未提及", "长度不合适", "格式不符") for f in flags)
    assert not any(c.isascii() and c.isalpha() for f in flags for c in f["label"] + f["text"])


def test_a_cached_script_is_not_served_after_a_price_change(shop, host, monkeypatch):
    from shopgen.store import catalog

    monkeypatch.setattr(shop.state.runtime, "llm", lambda: RecordingGenerator(["【价格】到手价{}元"]))
    room(host, "r-price")
    first = host.post("/api/live/rooms/r-price/script", json={}).json()
    assert host.post("/api/live/rooms/r-price/script", json={}).json() == first  # cached
    with shop.state.db.session() as s:
        p = catalog.get_by_sku(s, "FZ-1001")
        old = [(v, v.price) for v in p.variants]
        for v in p.variants:
            v.price = None  # every variant follows the product again
        p.price, old_price = p.price - 4, p.price
    try:
        gen = RecordingGenerator(["新稿"])
        monkeypatch.setattr(shop.state.runtime, "llm", lambda: gen)
        host.post("/api/live/rooms/r-price/script", json={})
        assert gen.prompts, "the script written before the price change was served"
        assert f"{old_price - 4:.0f}元" in gen.prompts[0][-1]["content"]
    finally:
        with shop.state.db.session() as s:
            p = catalog.get_by_sku(s, "FZ-1001")
            p.price = old_price
            prices = {v.sku: price for v, price in old}
            for v in p.variants:
                v.price = prices[v.sku]


def test_the_product_card_is_built_when_staged(shop, host, monkeypatch):
    """The feed's once-a-second snapshot reads the card kept per room, not the catalog."""
    from shopgen.api.live import service

    room(host, "r-card")
    svc = service(shop)
    built = svc.product_card
    monkeypatch.setattr(svc, "product_card", lambda sku: pytest.fail("the snapshot read the catalog"))
    for _ in range(2):
        assert host.get("/api/live/rooms/r-card/snapshot").json()["product"]["sku"] == "FZ-1001"
    monkeypatch.setattr(svc, "product_card", built)
    assert host.post("/api/live/rooms/r-card/stage", json={"sku": "FZ-1002"}).json()["product"]["sku"] == "FZ-1002"
    assert host.get("/api/live/rooms/r-card/snapshot").json()["product"]["sku"] == "FZ-1002"
    host.post("/api/live/rooms/r-card/stage", json={"sku": None})
    assert host.get("/api/live/rooms/r-card/snapshot").json()["product"] is None
    svc.get("r-card").set_on_stage("FZ-1001")  # staged behind the service's back: the card follows
    assert host.get("/api/live/rooms/r-card/snapshot").json()["product"]["sku"] == "FZ-1001"


def test_the_answerer_is_built_once_and_without_a_model(shop, host):
    from shopgen.api.live import service

    room(host, "r-answerer")
    svc = service(shop)
    first = svc._answerer()
    assert svc._answerer() is first and first.assistant.llm is None


def test_close_room(host):
    room(host, "r-close")
    assert host.delete("/api/live/rooms/r-close").status_code == 204
    error(host.get("/api/live/rooms/r-close/snapshot"), 404, "not_found")
    assert "r-close" not in [r["room"] for r in host.get("/api/live/rooms").json()["rooms"]]


def test_speak_and_fetch_the_audio(host):
    from tests.conftest import need

    need("tts", shutil.which("espeak-ng") is not None, "espeak-ng is not installed")
    r = host.post("/api/live/speak", json={"text": "满九十九元包邮"})
    assert r.status_code == 200 and r.json()["url"].startswith("/api/live/audio/")
    audio = host.get(r.json()["url"])
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav" and audio.content[:4] == b"RIFF"
    error(host.get("/api/live/audio/..%2F..%2Fshop.db"), 404, "not_found")
    error(host.get("/api/live/audio/nothing.wav"), 404, "not_found")
    error(host.post("/api/live/speak", json={"text": ""}), 422, "invalid_input")


def test_audio_names_outside_the_voice_directory_are_not_found(shop, tmp_path, monkeypatch):
    """The HTTP check above never reaches the guard (the router rejects the path first)."""
    from shopgen.api.live import service
    from shopgen.core.errors import NotFound
    from shopgen.models.speech.fake import FakeSpeaker

    svc = service(shop)
    speaker = FakeSpeaker(tmp_path / "voice")
    speaker.directory.mkdir()
    # every file exists, so only the name guard can refuse them
    for path in (
        tmp_path / "x.wav",
        speaker.directory / ".x.wav",
        speaker.directory / "a\\b.wav",
        speaker.directory / "x.txt",
    ):
        path.write_bytes(b"RIFF")
    monkeypatch.setattr(svc, "speaker", lambda: speaker)
    for name in ("../x.wav", ".x.wav", "a\\b.wav", "x.txt"):
        with pytest.raises(NotFound):
            svc.audio_path(name)
    (speaker.directory / "ok.wav").write_bytes(b"RIFF")
    assert svc.audio_path("ok.wav") == speaker.directory / "ok.wav"


def test_with_the_voice_on_replies_are_spoken_in_the_background(shop, host, ingest):
    from shopgen.api.live import service
    from tests.conftest import need

    need("tts", shutil.which("espeak-ng") is not None, "espeak-ng is not installed")
    assert host.post("/api/live/rooms", json={"room": "r-voice", "sku": "FZ-1001", "voice": True}).json()["voice"]
    send(ingest, "r-voice", "可以开发票吗？", "可以开发票吗")
    reply = host.get("/api/live/rooms/r-voice/snapshot").json()["replies"][0]["text"]
    speaker = service(shop).speaker()
    deadline = time.monotonic() + 20
    while not speaker.path_for(reply).is_file():
        assert time.monotonic() < deadline, "the reply was never spoken"
        time.sleep(0.1)
    assert host.post("/api/live/speak", json={"text": reply}).json()["cached"]  # nobody asked for it yet
