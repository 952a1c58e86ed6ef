"""The agent queue and hand-off, from the shopper's and the other agents' side: the queue preview
is masked (reading it in full is the audited reveal), only the holder (or an admin) hands a
session back, and shoppers see a role, never a staff member's user name or key."""

import pytest
from fastapi.testclient import TestClient

from shopgen.core.settings import Settings
from shopgen.demo.loader import load_demo
from shopgen.security import audit
from shopgen.server import create_app
from tests.auth import bearer, page_csrf, studio
from tests.http import error, events

PERSONAL = "人呢？电话13812345678，寄到浙江省杭州市西湖区文三路90号3栋201室，订单SG202405200017"
MASKED = "人呢？电话[手机号]，寄到[地址]，订单[订单号]"
JSON = {"accept": "application/json"}


@pytest.fixture
def shop(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake"))
    load_demo(app.state.db)
    return app


def _client(shop, role):
    return TestClient(shop, headers=bearer(shop.state.db, role))


def _queued(shop, shopper) -> str:
    sid = shopper.post("/api/assist/sessions", json={}).json()["session_id"]
    events(shopper.post("/api/assist/chat", json={"session_id": sid, "message": "转人工"}))
    events(shopper.post("/api/assist/chat", json={"session_id": sid, "message": PERSONAL}))
    return sid


def _audit(shop, prefix):
    with shop.state.db.session() as s:
        return [(e.action, e.actor) for e in audit.query(s, action=prefix)]


def test_the_queue_preview_is_masked_and_only_the_reveal_shows_it_audited(shop):
    with _client(shop, "shopper") as shopper, _client(shop, "agent") as agent:
        sid = _queued(shop, shopper)
        (item,) = agent.get("/api/assist/queue").json()["sessions"]
        assert item["id"] == sid and item["last"] == MASKED
        assert _audit(shop, "conversation.") == []  # reading the queue reveals nothing
        shown = agent.get(f"/api/conversations/{sid}", params={"reveal": "true"}).json()
        assert shown["messages"][-1]["content"] == PERSONAL
        assert [a for a, _ in _audit(shop, "conversation.")] == ["conversation.reveal"]


def test_the_queue_preview_uses_the_shops_order_pattern(tmp_path):
    app = create_app(
        Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake", pii_order_pattern=r"DD\d{8}")
    )
    load_demo(app.state.db)
    with _client(app, "shopper") as shopper, _client(app, "agent") as agent:
        sid = shopper.post("/api/assist/sessions", json={}).json()["session_id"]
        events(shopper.post("/api/assist/chat", json={"session_id": sid, "message": "转人工"}))
        events(shopper.post("/api/assist/chat", json={"session_id": sid, "message": "单号DD12345678"}))
        assert agent.get("/api/assist/queue").json()["sessions"][0]["last"] == "单号[订单号]"


def test_only_the_holder_or_an_admin_releases_or_closes(shop):
    with _client(shop, "shopper") as shopper, _client(shop, "agent") as holder, _client(shop, "agent") as other:
        sid = _queued(shop, shopper)
        assert holder.post(f"/api/assist/sessions/{sid}/take").json()["status"] == "human"
        for action in ("release", "close"):
            err = error(other.post(f"/api/assist/sessions/{sid}/{action}"), 403, "forbidden")
            assert "正由其他客服接待" in err["message"]
        assert [a for a, _ in _audit(shop, "assist.")] == ["assist.take"]  # nothing moved
        assert holder.post(f"/api/assist/sessions/{sid}/release").json()["status"] == "bot"

        sid = _queued(shop, shopper)
        # a queued session has no holder: any agent may hand it back
        assert other.post(f"/api/assist/sessions/{sid}/release").json()["status"] == "bot"


def test_an_admin_may_release_a_session_someone_else_holds(shop):
    with _client(shop, "shopper") as shopper, _client(shop, "agent") as holder:
        sid = _queued(shop, shopper)
        holder.post(f"/api/assist/sessions/{sid}/take")
        with studio(shop, "admin", "boss") as admin:
            csrf = page_csrf(admin)
            r = admin.post(f"/api/assist/sessions/{sid}/release", headers={**JSON, "X-CSRF-Token": csrf})
            assert r.status_code == 200 and r.json()["status"] == "bot"
        assert [(a, who) for a, who in _audit(shop, "assist.release")] == [("assist.release", "user:boss")]


def test_shoppers_see_a_role_never_the_agents_name(shop):
    with _client(shop, "shopper") as shopper, studio(shop, "agent", "xiaomei") as agent:
        sid = _queued(shop, shopper)
        csrf = page_csrf(agent)
        headers = {**JSON, "X-CSRF-Token": csrf}
        assert agent.post(f"/api/assist/sessions/{sid}/take", headers=headers).status_code == 200
        assert agent.post(f"/api/assist/sessions/{sid}/reply", json={"message": "您好"}, headers=headers).status_code
        agent.post(f"/api/assist/sessions/{sid}/release", headers=headers)
        seen = shopper.get(f"/api/assist/sessions/{sid}/messages").json()["messages"]
        assert "xiaomei" not in str(seen) and "user:" not in str(seen)
        notes = [m["content"] for m in seen if m["role"] == "system"]
        assert "人工客服已接入" in notes
        (reply,) = [m for m in seen if m["role"] == "agent"]
        assert reply["content"] == "您好" and reply["meta"] == {"by": "人工客服"}
        # the agents' own view still says who took it
        view = agent.get(f"/api/conversations/{sid}", headers=JSON).json()
        assert view["messages"] and view["status"] == "bot"


def test_a_move_the_state_does_not_allow_is_refused_in_chinese(shop):
    with _client(shop, "shopper") as shopper, _client(shop, "agent") as agent:
        sid = _queued(shop, shopper)
        assert agent.post(f"/api/assist/sessions/{sid}/close").status_code == 200
        err = error(agent.post(f"/api/assist/sessions/{sid}/take"), 409, "conflict")
        assert err["message"] == f"无法接管：会话 {sid} 当前为“已结束”"
        assert error(agent.post("/api/assist/sessions/nope/close"), 404, "not_found")["message"] == "会话 nope 不存在"
