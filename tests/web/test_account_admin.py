"""Issue 15 on the studio's own pages: changing one's password, Chinese names and limits on the
admin forms, confirmation before 停用, an audit log that shows what changed, when (Beijing time)
and from where, the audit filter's bad date, the host's 403 page, and the console's 关闭."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from shopgen.core.settings import Settings
from shopgen.security import audit
from shopgen.security.principal import CLI
from shopgen.server import create_app
from shopgen.store.models import AuditEntry
from shopgen.web.admin import detail_text
from tests.auth import HTML, PASSWORD, login, studio
from tests.web.test_pages import edit_form, scrape_form, shop  # noqa: F401  (fixture)


@pytest.fixture
def app(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake"))
    yield app
    app.state.db.dispose()


def _entries(app, action: str) -> list[dict]:
    with app.state.db.session() as s:
        return [audit.to_dict(e) for e in audit.query(s, action=action)]


def _change(c, **fields):
    form = scrape_form(c.get("/account/password").text, "password-form")
    return c.post("/account/password", data={**form, **fields}, follow_redirects=False)


def test_any_user_changes_their_own_password(app):
    with studio(app, "host", name="主播 小王") as c, TestClient(app, headers=HTML) as other:
        assert login(other, "主播 小王").status_code == 303  # a second device
        home = c.get("/").text
        assert 'href="/account/password"' in home and "修改密码" in home  # reachable from the top bar
        good = {"old_password": PASSWORD, "new_password": "new-passw0rd-1", "new_password2": "new-passw0rd-1"}
        for bad, message in (
            ({"old_password": "wrong-one"}, "当前密码：不正确"),
            ({"new_password2": "something-else"}, "确认新密码：两次输入的新密码不一致"),
            ({"new_password": "short", "new_password2": "short"}, "新密码：至少 8 个字符"),
            ({"new_password": PASSWORD, "new_password2": PASSWORD}, "新密码：不能与当前密码相同"),
        ):
            r = _change(c, **{**good, **bad})
            assert r.status_code == 422 and message in r.text, (bad, r.text[-800:])
        r = _change(c, **good)
        assert r.status_code == 303 and r.headers["location"] == "/account/password?done=1"
        assert "密码已修改" in c.get(r.headers["location"]).text  # this session goes on
        assert other.get("/", follow_redirects=False).status_code == 303  # the other one ended
    with TestClient(app, headers=HTML) as c:
        assert login(c, "主播 小王").status_code == 401
        assert login(c, "主播 小王", "new-passw0rd-1").status_code == 303
    (entry,) = _entries(app, "user.change_password")
    assert entry["actor"] == "user:主播 小王" and entry["target"] == "user:主播 小王" and entry["address"]


def test_the_one_time_admin_password_can_be_replaced(app):
    from shopgen.security import users

    with app.state.db.session() as s:
        once = users.ensure_admin(s, CLI)
    with TestClient(app, headers=HTML) as c:
        assert login(c, "admin", once).status_code == 303
        r = _change(c, old_password=once, new_password="mine-passw0rd", new_password2="mine-passw0rd")
        assert r.status_code == 303
    with TestClient(app, headers=HTML) as c:
        assert login(c, "admin", once).status_code == 401 and login(c, "admin", "mine-passw0rd").status_code == 303


def test_admin_forms_take_chinese_names_and_refuse_long_ones_in_chinese(app):
    with studio(app, "admin", name="boss") as c:
        users_page = c.get("/admin/users").text
        form = scrape_form(users_page, "user-form")
        assert 'name="name" required maxlength' not in users_page  # the browser no longer cuts names
        r = c.post("/admin/users", data={**form, "name": ["小美 客服"], "role": ["agent"]})
        assert r.status_code == 200 and "已创建用户 小美 客服" in r.text
        r = c.post("/admin/users", data={**form, "name": ["客" * 65], "role": ["agent"]})
        assert r.status_code == 422 and "用户名：最多 64 个字符，现在是 65 个" in r.text
        keys = c.get("/admin/keys").text
        assert "maxlength" not in keys.split('id="key-form"')[1].split("</form>")[0]
        r = c.post("/admin/keys", data={**scrape_form(keys, "key-form"), "name": ["钥" * 65], "role": ["shopper"]})
        assert r.status_code == 422 and "密钥名称：最多 64 个字符，现在是 65 个" in r.text
        r = c.post("/admin/keys", data={**scrape_form(keys, "key-form"), "name": ["小程序"], "role": ["shopper"]})
        assert r.status_code == 200
        page = c.get("/admin/users").text
        uid = re.search(r'<tr data-user="小美 客服">.*?action="/admin/users/(\d+)"', page, re.S).group(1)
        form = scrape_form(page, "user-form")
        c.post(f"/admin/users/{uid}", data={"csrf_token": form["csrf_token"], "action": "disable"})
    user_row, key_row = _entries(app, "user.create")[0], _entries(app, "key.create")[0]  # newest first
    assert _entries(app, "user.update")[0]["address"] == "testclient"
    assert user_row["target"] == "user:小美 客服" and user_row["address"] == "testclient"
    assert key_row["detail"]["name"] == "小程序" and key_row["address"] == "testclient"


def test_deactivating_asks_first(app):
    with studio(app, "admin", name="boss") as c:
        html = c.get("/admin/users").text
    form = re.search(r'<form[^>]*data-confirm="([^"]*)"[^>]*>\s*<input[^>]*>\s*<input[^>]*value="disable"', html)
    assert form and "确定停用用户“boss”吗" in form.group(1)


def test_audit_page_refuses_a_bad_date_and_shows_beijing_time(app):
    with app.state.db.session() as s:
        for n, at in ((1, datetime(2026, 5, 1, 0, 30, 5, tzinfo=UTC)), (2, datetime(2026, 4, 30, 17, 0, tzinfo=UTC))):
            s.add(AuditEntry(actor="cli", role="admin", action=f"x.test{n}", target="", detail={}, address="", at=at))
    with studio(app, "admin", name="boss") as c:
        r = c.get("/admin/audit", params={"since": "notadate"})
        assert r.status_code == 422 and "起始时间：“notadate”不是有效的日期" in r.text
        html = c.get("/admin/audit", params={"action": "x."}).text
        # 2026-04-30 17:00 UTC is already 1 May, 01:00, in Beijing: a day typed on the filter is a Beijing day
        may_first = c.get("/admin/audit", params={"action": "x.", "since": "2026-05-01"}).text
    assert "（北京时间）" in html and "UTC" not in html.split('id="audit"')[1].split("</thead>")[0]
    assert '<time datetime="2026-05-01T00:30:05Z" data-local="second">2026-05-01 08:30:05</time>' in html
    assert 'data-action="x.test1"' in may_first and 'data-action="x.test2"' in may_first
    assert "2026-05-01 01:00:00" in may_first


def test_an_edit_records_only_the_fields_it_changed(shop):  # noqa: F811
    client, app, ids = shop
    pid = ids["T-TEE-01"]
    form = edit_form(client, pid)
    form["price"] = ["65"]
    assert client.post(f"/catalog/{pid}", data=form, follow_redirects=False).status_code == 303
    latest = _entries(app, "catalog.update")[0]
    assert latest["detail"] == {"sku": "T-TEE-01", "fields": ["price"]}
    assert detail_text(latest["detail"]) == "sku=T-TEE-01；fields=价格"
    assert detail_text({"active": [True, False], "role": ["agent", "host"]}) == "active=是 → 否；role=agent → host"


def test_a_host_meets_a_chinese_403_page(app):
    with studio(app, "host", name="zhubo") as c:
        r = c.get("/catalog")
    assert r.status_code == 403
    message = re.search(r'<p class="error-message">([^<]*)</p>', r.text).group(1)
    assert message == "当前账号的角色（主播）无权使用这里，需要运营权限；如需使用请联系管理员"


def test_the_console_has_a_close_button_and_hides_moves_until_allowed(app):
    with studio(app, "agent", name="kefu") as c:
        html = c.get("/assist/console").text
    assert re.search(r'<button class="btn btn-danger" type="button" id="close" hidden', html)
    assert re.search(r'id="take" hidden>接管<', html)


def test_long_titles_and_descriptions_are_refused_not_cut(shop):  # noqa: F811
    client, app, ids = shop
    pid = ids["T-TEE-01"]
    page = client.get(f"/catalog/{pid}").text
    assert not re.search(r'<input name="title"[^>]*maxlength', page)  # the browser used to cut at 200
    assert not re.search(r'<textarea name="description"[^>]*maxlength', page)
    form = edit_form(client, pid)
    form["title"], form["description"] = ["长" * 300], ["描" * 8000]
    r = client.post(f"/catalog/{pid}", data=form, follow_redirects=False)
    assert r.status_code == 422
    assert "标题：最多 200 个字（现在 300 个）" in r.text and "描述：最多 5000 个字（现在 8000 个）" in r.text
    with app.state.db.session() as s:
        from shopgen.store import catalog

        assert catalog.get(s, pid).title == "纯棉宽松T恤"  # nothing saved
