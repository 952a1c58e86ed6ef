"""Every error the studio can show is Chinese and names the field (issue 15): request validation,
names in Chinese, limits instead of silent cuts, and the forms the browser used to check alone."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.auth import bearer

CJK = "\u4e00"


def _error(r, status=422) -> dict:
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert set(err) == {"type", "message", "detail"}
    return err


@pytest.fixture
def host(app):
    with TestClient(app, headers=bearer(app.state.db, "host")) as c:
        yield c


def test_an_empty_copy_draft_is_refused_in_chinese_naming_the_field(client):
    err = _error(client.post("/api/copy/drafts", json={"sku": "T-1", "kind": "title", "text": ""}))
    assert err["message"] == "文案内容：不能为空"
    assert err["detail"][0]["loc"] == ["body", "text"]  # programs still get the location


def test_an_over_long_draft_names_the_limit(client):
    err = _error(client.post("/api/copy/drafts", json={"sku": "T-1", "kind": "title", "text": "好" * 4001}))
    assert err["message"] == "文案内容：最多 4000 个字符"


def test_several_problems_are_listed_and_unknown_paths_are_chinese(client):
    err = _error(client.post("/api/copy/batch", json={"kind": "", "limit": 0, "audience": "人" * 65}))
    assert err["message"] == "文案类型：不能为空；人群：最多 64 个字符；数量上限：不能小于 1"
    assert _error(client.get("/api/nowhere"), 404)["message"] == "找不到这个地址"


@pytest.mark.parametrize(
    "body, message",
    [
        ({"prompt": "   "}, "提示词：不能为空"),
        ({"prompt": "好" * 8001}, "提示词：最多 8000 个字符"),
        ({"prompt": "你好", "max_tokens": 5000}, "最大长度：不能大于 2048"),
        ({"prompt": "你好", "max_tokens": "many"}, "最大长度：应为整数"),
        ({}, "提示词：请填写提示词（prompt）或消息（messages）"),
    ],
)
def test_the_playground_is_validated_by_the_server_in_chinese(client, body, message):
    assert _error(client.post("/api/llm/chat", json=body))["message"] == message


def test_chinese_room_names_are_accepted_and_bad_ones_refused_in_chinese(host):
    r = host.post("/api/live/rooms", json={"room": "我的直播间 1"})
    assert r.status_code == 201, r.text
    assert host.get("/api/live/rooms/我的直播间 1").status_code == 200
    err = _error(host.post("/api/live/rooms", json={"room": "直播/间"}))
    assert err["message"] == "直播间名称：只能包含中英文字母、数字、- _ 和中间的单个空格"
    assert _error(host.post("/api/live/rooms", json={"room": "间" * 65}))["message"] == "直播间名称：最多 64 个字符"


def test_chinese_user_names_are_accepted_and_refusals_are_chinese(admin_client):
    r = admin_client.post("/api/admin/users", json={"name": "小美 客服", "role": "agent"})
    assert r.status_code == 201 and r.json()["name"] == "小美 客服"
    err = _error(admin_client.post("/api/admin/users", json={"name": "小美/客服", "role": "agent"}))
    assert err["message"].startswith("用户名：只能包含中英文字母")
    assert (
        _error(admin_client.post("/api/admin/users", json={"name": "小美 客服", "role": "agent"}), 409)["message"]
        == "用户名：小美 客服 已被使用，请换一个"
    )


def test_a_bad_audit_date_is_a_422_naming_the_field(admin_client):
    err = _error(admin_client.get("/api/admin/audit", params={"since": "notadate"}))
    assert err["message"].startswith("起始时间：不是有效的日期或时间")


def test_a_forbidden_api_call_says_which_role_in_chinese(host):
    err = _error(host.get("/api/catalog/products"), 403)
    assert err["message"] == "当前账号的角色（主播）无权使用这里，需要运营权限；如需使用请联系管理员"
    assert err["detail"] == {"role": "host", "needs": "operator"}
