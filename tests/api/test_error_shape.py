"""Every 4xx/5xx from the API has the one shape {"error": {"type", "message", "detail"}}."""

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient

from shopgen.core.errors import BackendError
from shopgen.http.auth import require
from shopgen.server import create_app
from tests.auth import bearer


def _assert_shape(resp, status, kind):
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"type", "message", "detail"}
    assert body["error"]["type"] == kind
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize(
    "method, path, kwargs, status, kind",
    [
        ("get", "/api/nowhere", {}, 404, "not_found"),
        ("get", "/api/catalog/products/999", {}, 404, "not_found"),
        ("get", "/api/catalog/products/abc", {}, 422, "invalid_input"),
        ("get", "/api/catalog/products?limit=0", {}, 422, "invalid_input"),
        ("delete", "/api/catalog/categories", {}, 405, "method_not_allowed"),
        (
            "post",
            "/api/catalog/products",
            {"content": b"{broken", "headers": {"content-type": "application/json"}},
            422,
            "invalid_input",
        ),
        ("post", "/api/catalog/products", {"json": {"sku": "X"}}, 422, "invalid_input"),
        ("post", "/api/llm/chat", {"json": {}}, 422, "invalid_input"),
        ("post", "/api/llm/chat", {"json": {"prompt": ""}}, 422, "invalid_input"),
        (
            "post",
            "/api/llm/chat",
            {"json": {"messages": [{"role": "assistant", "content": "hi"}]}},
            422,
            "invalid_input",
        ),
        ("post", "/api/embed", {"json": {"texts": []}}, 422, "invalid_input"),
    ],
)
def test_error_shape(client, method, path, kwargs, status, kind):
    _assert_shape(getattr(client, method)(path, **kwargs), status, kind)


def test_validation_error_names_the_field(client):
    err = _assert_shape(
        client.post("/api/catalog/products", json={"sku": "X", "title": "t", "category": "家居", "price": -1}),
        422,
        "invalid_input",
    )
    assert err["message"] == "价格：不能小于 0"
    assert err["detail"][0]["loc"] == ["body", "price"]


def test_backend_failure_is_503(settings):
    class Broken:
        name, model = "broken", "broken"

        def chat(self, *a, **k):
            raise BackendError("LLM server http://x unreachable")

        stream = chat

    from shopgen.models.runtime import Runtime

    app = create_app(settings, runtime=Runtime(settings, llm=Broken()))
    with TestClient(app, headers=bearer(app.state.db, "operator")) as c:
        err = _assert_shape(c.post("/api/llm/chat", json={"prompt": "你好"}), 503, "backend_error")
        assert "unreachable" in err["message"]
        _assert_shape(c.post("/api/llm/chat", json={"prompt": "你好", "stream": True}), 503, "backend_error")


def test_unexpected_error_is_500_without_internals(settings):
    app = create_app(settings)

    @app.get("/api/boom", dependencies=[Depends(require("operator"))])
    def boom():
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False, headers=bearer(app.state.db, "operator")) as c:
        err = _assert_shape(c.get("/api/boom"), 500, "internal_error")
        assert "secret" not in err["message"]


def test_broken_json_body_is_named_as_such(client):
    r = client.post("/api/catalog/products", content=b"{broken", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["error"]["message"] == "请求内容不是有效的 JSON"
