from tests.http import events as sse_events


def test_chat_json(client):
    r = client.post("/api/llm/chat", json={"prompt": "你好", "max_tokens": 50})
    assert r.status_code == 200
    body = r.json()
    assert body["text"] == "回声：你好" and body["model"] == "fake-echo"
    assert set(body) >= {"text", "model", "prompt_tokens", "completion_tokens", "seconds"}


def test_chat_streams_server_sent_events(client):
    r = client.post("/api/llm/chat", json={"messages": [{"role": "user", "content": "包邮吗"}], "stream": True})
    events = sse_events(r)  # checks the status and the text/event-stream type
    tokens = [d["text"] for e, d in events if e == "token"]
    assert "".join(tokens) == "回声：包邮吗" and len(tokens) == 6
    assert events[-1][0] == "done" and events[-1][1]["model"] == "fake-echo"


def test_embed_endpoint(client):
    r = client.post("/api/embed", json={"texts": ["夏天穿的透气T恤", "夏天穿的透气T恤", "保温杯"]})
    body = r.json()
    assert body["dim"] == 64 and body["model"] == "fake-hash-bigram"
    assert body["cosine"][0][1] == 1.0 and body["cosine"][0][2] < 0.5
