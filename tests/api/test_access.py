"""Logins, sessions, CSRF, API keys, rate limits, body limits and the audit trail, over HTTP."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from shopgen.security import audit
from shopgen.server import create_app
from shopgen.store.models import AuditEntry, LoginSession, utcnow
from tests.auth import HTML, PASSWORD, bearer, login, make_key, make_user, page_csrf
from tests.store.factories import tshirt


def _actions(app, prefix: str = "") -> list[tuple[str, str, str]]:
    with app.state.db.session() as s:
        return [(e.actor, e.action, e.target) for e in reversed(audit.query(s, action=prefix or None, limit=1000))]


# ---- login, logout, sessions ------------------------------------------------------------


def test_login_sets_a_safe_cookie_and_logout_ends_the_session(app):
    make_user(app.state.db, "xiaomei", "operator")
    with TestClient(app, headers=HTML) as c:
        assert c.get("/catalog", follow_redirects=False).headers["location"] == "/login?next=%2Fcatalog"
        r = login(c, "xiaomei", next_url="/catalog")
        assert r.status_code == 303 and r.headers["location"] == "/catalog"
        cookie = r.headers["set-cookie"]
        assert cookie.startswith("shopgen_session=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert "Secure" not in cookie  # plain http (make demo on 127.0.0.1); https gets Secure
        assert c.get("/catalog").status_code == 200
        token = c.cookies.get("shopgen_session")
        with app.state.db.session() as s:
            stored = s.scalars(select(LoginSession.token_hash)).all()
        assert token not in stored and len(stored) == 1  # only the hash is kept

        out = c.post("/logout", data={"csrf_token": page_csrf(c)}, follow_redirects=False)
        assert out.status_code == 303 and out.headers["location"] == "/login"
        # the old cookie is dead on the server, not just deleted in this client
        again = TestClient(app, headers=HTML, cookies={"shopgen_session": token})
        assert again.get("/catalog", follow_redirects=False).status_code == 303
    assert [a for _, a, _ in _actions(app, "auth.")] == ["auth.login", "auth.logout"]


def test_secure_cookie_over_https_and_by_setting(settings):
    app = create_app(settings)
    make_user(app.state.db, "xiaomei", "operator")
    with TestClient(app, base_url="https://shop.example", headers=HTML) as c:
        assert "Secure" in login(c, "xiaomei").headers["set-cookie"]
    forced = create_app(settings.model_copy(update={"cookie_secure": True}), db=app.state.db)
    with TestClient(forced, headers=HTML) as c:
        assert "Secure" in login(c, "xiaomei").headers["set-cookie"]


def test_wrong_password_unknown_user_and_disabled_user_are_refused(app, admin_client):
    uid = make_user(app.state.db, "xiaomei", "operator")
    with TestClient(app, headers=HTML) as c:
        for name, pw in (("xiaomei", "not-the-password"), ("nobody", PASSWORD)):
            r = login(c, name, pw)
            assert (
                r.status_code == 401
                and "用户名或密码错误" in r.text
                and "shopgen_session" not in r.headers.get("set-cookie", "")
            )
        assert login(c, "xiaomei").status_code == 303
        assert admin_client.patch(f"/api/admin/users/{uid}", json={"active": False}).status_code == 200
        assert c.get("/catalog", follow_redirects=False).status_code == 303  # session ended at once
        assert login(c, "xiaomei").status_code == 401
    failed = [t for _, a, t in _actions(app, "auth.login_failed")]
    assert failed == ["user:xiaomei", "user:nobody", "user:xiaomei"]


def test_login_form_needs_its_csrf_token(app):
    make_user(app.state.db, "xiaomei", "operator")
    with TestClient(app, headers=HTML) as c:
        r = c.post("/login", data={"name": "xiaomei", "password": PASSWORD}, follow_redirects=False)
        assert r.status_code == 403 and "shopgen_session" not in r.headers.get("set-cookie", "")


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)"]
)
def test_login_never_redirects_off_site(app, target):
    make_user(app.state.db, "xiaomei", "operator")
    with TestClient(app, headers=HTML) as c:
        assert login(c, "xiaomei", next_url=target).headers["location"] == "/"


@pytest.mark.parametrize(
    "column, age", [("last_seen_at", timedelta(minutes=121)), ("created_at", timedelta(hours=12, minutes=1))]
)
def test_sessions_expire_when_idle_and_absolutely(app, column, age):
    make_user(app.state.db, "xiaomei", "operator")
    with TestClient(app, headers=HTML) as c:
        login(c, "xiaomei")
        assert c.get("/").status_code == 200
        with app.state.db.session() as s:
            s.execute(update(LoginSession).values({column: utcnow() - age}))
        r = c.get("/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        with app.state.db.session() as s:
            assert s.scalars(select(LoginSession)).all() == []  # the expired row is gone


def test_a_session_just_inside_its_limits_still_works(app):
    make_user(app.state.db, "xiaomei", "operator")
    with TestClient(app, headers=HTML) as c:
        login(c, "xiaomei")
        with app.state.db.session() as s:
            s.execute(
                update(LoginSession).values(
                    last_seen_at=utcnow() - timedelta(minutes=119), created_at=utcnow() - timedelta(hours=11)
                )
            )
        assert c.get("/").status_code == 200


# ---- CSRF ---------------------------------------------------------------------------------


def test_cookie_requests_that_change_things_need_the_csrf_token(app):
    make_user(app.state.db, "xiaomei", "operator")
    with TestClient(app, headers=HTML) as c:
        login(c, "xiaomei")
        token = page_csrf(c)
        body = tshirt("CSRF-1")
        assert c.post("/api/catalog/products", json=body).status_code == 403
        assert c.post("/api/catalog/products", json=body, headers={"X-CSRF-Token": "forged"}).status_code == 403
        assert c.post("/catalog/new", data={"sku": "X"}).status_code == 403  # form without the hidden field
        r = c.post("/api/catalog/products", json=body, headers={"X-CSRF-Token": token})
        assert r.status_code == 201
        refused = c.post("/logout", follow_redirects=False)
        assert refused.status_code == 403 and "CSRF" in refused.text
        assert c.get("/").status_code == 200  # still logged in
    # an API key is not ambient authority: no CSRF token needed
    with TestClient(app, headers=bearer(app.state.db, "operator")) as k:
        assert k.post("/api/catalog/products", json=tshirt("CSRF-2")).status_code == 201


# ---- API keys -----------------------------------------------------------------------------


def test_api_key_revocation_takes_effect_at_once(app, admin_client):
    created = admin_client.post("/api/admin/keys", json={"name": "小程序", "role": "operator"})
    assert created.status_code == 201
    key, key_id = created.json()["key"], created.json()["id"]
    assert key.startswith(f"sg_{key_id}_")
    with TestClient(app) as c:
        for header in ({"Authorization": f"Bearer {key}"}, {"X-API-Key": key}):
            assert c.get("/api/catalog/products", headers=header).status_code == 200
        assert admin_client.delete(f"/api/admin/keys/{key_id}").json()["active"] is False
        r = c.get("/api/catalog/products", headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 401 and r.json()["error"]["type"] == "unauthorized"
    listed = admin_client.get("/api/admin/keys").json()["items"]
    assert all("key" not in k and "secret_hash" not in k for k in listed)


@pytest.mark.parametrize("bad", ["sg_abcdefgh_" + "x" * 43, "not-a-key", "sg_", "Bearer", ""])
def test_bad_keys_are_401_not_500(anon, bad):
    r = anon.get("/api/catalog/products", headers={"Authorization": f"Bearer {bad}"})
    assert r.status_code == 401 and r.json()["error"]["type"] == "unauthorized"


def test_a_tampered_key_is_refused(app, anon):
    key = make_key(app.state.db, "operator")
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    assert anon.get("/api/catalog/products", headers={"Authorization": f"Bearer {tampered}"}).status_code == 401


def test_narrow_keys_reach_nothing_else(app, anon):
    for role in ("shopper", "ingest"):
        h = bearer(app.state.db, role)
        for path in ("/api/catalog/products", "/api/admin/users", "/openapi.json"):
            assert anon.get(path, headers=h).status_code == 403, (role, path)


# ---- rate limits and body size --------------------------------------------------------------


def test_login_attempts_are_rate_limited_per_address(settings):
    app = create_app(settings.model_copy(update={"rate_login_per_minute": 3}))
    make_user(app.state.db, "xiaomei", "operator")
    with TestClient(app, headers=HTML) as c:
        codes = [login(c, "xiaomei", "wrong-password").status_code for _ in range(4)]
        assert codes == [401, 401, 401, 429]
        r = login(c, "xiaomei")  # even the right password waits
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    with TestClient(app, headers={"accept": "application/json"}) as c:
        body = c.post("/login", data={"name": "x", "password": "y"}).json()
        assert body["error"]["type"] == "rate_limited" and body["error"]["detail"]["retry_after"] >= 1


def test_requests_are_rate_limited_per_key(settings):
    app = create_app(settings.model_copy(update={"rate_key_per_minute": 5}))
    slow, other = bearer(app.state.db, "operator"), bearer(app.state.db, "operator")
    with TestClient(app) as c:
        codes = [c.get("/api/catalog/categories", headers=slow).status_code for _ in range(6)]
        assert codes == [200] * 5 + [429]
        assert c.get("/api/catalog/categories", headers=other).status_code == 200  # its own bucket


def test_oversized_bodies_are_refused(settings):
    app = create_app(settings.model_copy(update={"max_body_bytes": 1000, "import_max_bytes": 5000}))
    with TestClient(app, headers=bearer(app.state.db, "operator")) as c:
        big = {"prompt": "好" * 2000}
        r = c.post("/api/llm/chat", json=big)
        assert r.status_code == 413 and r.json()["error"]["type"] == "too_large"

        def chunks():  # no Content-Length: counted as it streams
            for _ in range(10):
                yield b'{"prompt": "' + b"a" * 200

        r = c.post("/api/llm/chat", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413 and r.json()["error"]["type"] == "too_large"
        # the import route has its own, larger limit
        lines = "".join(
            json.dumps({"sku": f"BIG-{i}", "title": "杯子", "category": "家居", "price": "9.90"}) + "\n"
            for i in range(200)
        )
        ok = c.post(
            "/api/catalog/import",
            files={"file": ("c.jsonl", lines[:4000].rsplit("\n", 1)[0].encode(), "application/x-ndjson")},
        )
        assert ok.status_code == 200, ok.text  # 4 KB: over the general limit, under the import's
        too_big = c.post("/api/catalog/import", files={"file": ("c.jsonl", lines.encode(), "application/x-ndjson")})
        assert too_big.status_code == 413 and too_big.json()["error"]["type"] == "too_large"
        huge = c.post("/api/catalog/import", files={"file": ("c.jsonl", lines.encode() * 10, "application/x-ndjson")})
        assert huge.status_code == 413  # over import limit + envelope: refused before reading


# ---- audit ---------------------------------------------------------------------------------


def test_each_audited_action_leaves_an_entry(app, admin_client):
    op_key = make_key(app.state.db, "operator", "批量上架")
    op_id = op_key.split("_")[1]
    with TestClient(app, headers={"Authorization": f"Bearer {op_key}"}) as c:
        pid = c.post("/api/catalog/products", json=tshirt("AUD-1")).json()["id"]
        c.patch(f"/api/catalog/products/{pid}", json={"price": "59.00"})
        c.delete(f"/api/catalog/products/{pid}")
        line = '{"sku":"AUD-2","title":"杯子","category":"家居","price":"9.90"}\n'
        c.post("/api/catalog/import", files={"file": ("c.jsonl", line.encode(), "application/x-ndjson")})
    uid = admin_client.post("/api/admin/users", json={"name": "kefu1", "role": "agent"}).json()["id"]
    admin_client.patch(f"/api/admin/users/{uid}", json={"role": "host", "reset_password": True})
    kid = admin_client.post("/api/admin/keys", json={"name": "直播", "role": "ingest"}).json()["id"]
    admin_client.delete(f"/api/admin/keys/{kid}")

    entries = [(actor, action, target) for actor, action, target in _actions(app) if actor != "cli"]
    assert entries == [
        (f"key:{op_id}", "catalog.create", f"product:{pid}"),
        (f"key:{op_id}", "catalog.update", f"product:{pid}"),
        (f"key:{op_id}", "catalog.delete", f"product:{pid}"),
        (f"key:{op_id}", "catalog.import", "c.jsonl"),
        (entries[4][0], "user.create", "user:kefu1"),
        (entries[4][0], "user.update", "user:kefu1"),
        (entries[4][0], "user.reset_password", "user:kefu1"),
        (entries[4][0], "key.create", f"key:{kid}"),
        (entries[4][0], "key.revoke", f"key:{kid}"),
    ]
    assert entries[4][0].startswith("key:")
    with app.state.db.session() as s:
        update_entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "catalog.update"))
        assert update_entry.detail == {"sku": "AUD-1", "fields": ["price"]} and update_entry.role == "operator"
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "user.update")).detail == {
            "role": ["agent", "host"]
        }


def test_audit_log_is_filterable_and_exports_masked(app, admin_client):
    make_user(app.state.db, "xiaomei", "operator")
    with TestClient(app, headers=HTML) as c:
        login(c, "13812345678", "wrong-password")  # someone typed a phone number as the user name
        login(c, "xiaomei")
    got = admin_client.get("/api/admin/audit", params={"action": "auth."}).json()["items"]
    assert [e["action"] for e in got] == ["auth.login", "auth.login_failed"]  # newest first
    assert got[1]["target"] == "user:[手机号]" and got[1]["address"] == "testclient"
    csv_text = admin_client.get("/api/admin/audit/export", params={"format": "csv", "action": "auth."}).text
    assert csv_text.splitlines()[0] == "id,at,actor,role,action,target,address,detail"
    assert "13812345678" not in csv_text and "[手机号]" in csv_text
    r = admin_client.get("/api/admin/audit/export", params={"format": "jsonl"})
    assert r.headers["content-disposition"].startswith('attachment; filename="shopgen-audit-')
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert {row["action"] for row in rows} >= {"auth.login", "auth.login_failed", "user.create"}
    assert "13812345678" not in r.text


# ---- admin API ------------------------------------------------------------------------------


def test_admin_manages_users(app, admin_client, anon):
    r = admin_client.post("/api/admin/users", json={"name": "zhubo", "role": "host"})
    assert r.status_code == 201 and len(r.json()["password"]) >= 12
    password = r.json()["password"]
    assert admin_client.post("/api/admin/users", json={"name": "zhubo", "role": "host"}).status_code == 409
    bad = admin_client.post("/api/admin/users", json={"name": "bot", "role": "shopper"})
    assert bad.status_code == 422 and "只能用于 API 密钥" in bad.json()["error"]["message"]
    with TestClient(app, headers=HTML) as c:
        assert login(c, "zhubo", password).status_code == 303
        assert c.get("/catalog").status_code == 403  # a host has no catalog
    names = [u["name"] for u in admin_client.get("/api/admin/users").json()["items"]]
    assert "zhubo" in names and all("password" not in u for u in admin_client.get("/api/admin/users").json()["items"])


def test_the_last_admin_cannot_be_removed(app, admin_client):
    uid = make_user(app.state.db, "boss", "admin")
    r = admin_client.patch(f"/api/admin/users/{uid}", json={"role": "operator"})
    assert r.status_code == 422 and "最后一位启用中的管理员" in r.json()["error"]["message"]


def test_docs_and_schema_need_a_login(app, anon, client):
    assert anon.get("/openapi.json").status_code == 401
    assert anon.get("/docs", headers=HTML, follow_redirects=False).status_code == 303
    schema = client.get("/openapi.json").json()
    assert "/api/admin/users" in schema["paths"] and client.get("/docs").status_code == 200
    assert anon.get("/healthz").status_code == 200


def test_named_limits_for_future_public_endpoints(settings):
    """How the shopper chat and live ingest endpoints will be limited: their own buckets."""
    from fastapi import Depends

    from shopgen.http.auth import limited, require

    app = create_app(settings.model_copy(update={"rate_shopper_per_minute": 2}))

    @app.post("/api/shopper/ping", dependencies=[Depends(require("shopper")), Depends(limited("shopper"))])
    def ping():
        return {"ok": True}

    shopper = bearer(app.state.db, "shopper")
    with TestClient(app) as c:
        assert [c.post("/api/shopper/ping", headers=shopper).status_code for _ in range(3)] == [200, 200, 429]
        assert c.post("/api/shopper/ping", headers=bearer(app.state.db, "admin")).status_code == 403
        assert c.get("/api/catalog/categories", headers=bearer(app.state.db, "operator")).status_code == 200


def test_conversations_read_masked_and_reveal_is_audited(app):
    from shopgen.store.models import Conversation, Message

    with app.state.db.session() as s:
        s.add(
            Conversation(
                id="c1",
                customer="王先生",
                messages=[Message(role="user", content="我的电话是13812345678，订单SG202405200017")],
            )
        )
    agent, operator = bearer(app.state.db, "agent"), bearer(app.state.db, "operator")
    with TestClient(app) as c:
        masked = c.get("/api/conversations/c1", headers=agent).json()
        assert masked["messages"][0]["content"] == "我的电话是[手机号]，订单[订单号]" and not masked["revealed"]
        shown = c.get("/api/conversations/c1", params={"reveal": "true"}, headers=agent).json()
        assert shown["messages"][0]["content"] == "我的电话是13812345678，订单SG202405200017"
        assert c.get("/api/conversations/c1", headers=operator).status_code == 403
        assert c.get("/api/conversations/nope", headers=agent).status_code == 404
    assert [(a, t) for _, a, t in _actions(app, "conversation.")] == [("conversation.reveal", "conversation:c1")]
