"""The studio's login page, header, role-filtered navigation and admin pages (TestClient)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from shopgen.core.settings import Settings
from shopgen.security import audit, users
from shopgen.server import create_app
from tests.auth import HTML, login, make_user, page_csrf, studio
from tests.web.test_pages import TEE, nav_links, scrape_form


@pytest.fixture
def app(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake"))
    yield app
    app.state.db.dispose()


def test_login_page(app):
    with TestClient(app, headers=HTML) as c:
        r = c.get("/", follow_redirects=True)
        assert r.url.path == "/login" and r.status_code == 200
        assert "登录创作台" in r.text and 'name="csrf_token"' in r.text
        assert nav_links(r.text) == [] and "退出登录" not in r.text and "/docs" not in r.text


@pytest.mark.parametrize(
    "role, nav",
    [
        (
            "operator",
            [
                "/",
                "/catalog",
                "/playground",
                "/insight",
                "/behaviour",
                "/recommend",
                "/copy",
                "/visual",
                "/inventory",
                "/assist/chat",
                "/assist/candidates",
                "/labelling",
            ],
        ),
        ("agent", ["/", "/assist/chat", "/assist/console", "/labelling"]),
        ("host", ["/", "/live", "/assist/chat"]),
        (
            "admin",
            [
                "/",
                "/catalog",
                "/playground",
                "/insight",
                "/behaviour",
                "/recommend",
                "/copy",
                "/visual",
                "/inventory",
                "/live",
                "/assist/chat",
                "/assist/console",
                "/assist/candidates",
                "/labelling",
                "/admin/users",
                "/admin/keys",
                "/admin/audit",
            ],
        ),
    ],
)
def test_header_shows_who_and_nav_shows_only_what_the_role_may_open(app, role, nav):
    with studio(app, role, name=f"u-{role}") as c:
        html = c.get("/").text
        assert f'<span class="whoami-name" data-user>u-{role}</span>' in html
        assert nav_links(html) == nav
        for href in nav:
            assert c.get(href).status_code == 200, href
        if role != "admin":
            r = c.get("/admin/users")
            assert (
                r.status_code == 403 and "没有权限" in r.text and "需要管理员权限" in r.text and "needs" not in r.text
            )


def test_agent_cannot_open_the_catalog(app):
    with studio(app, "agent") as c:
        r = c.get("/catalog")
        assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
        assert nav_links(r.text) == ["/", "/assist/chat", "/assist/console", "/labelling"]


def test_admin_adds_a_user_who_can_then_log_in(app):
    with studio(app, "admin", name="boss") as c:
        form = scrape_form(c.get("/admin/users").text, "user-form")
        assert form["csrf_token"][0]
        r = c.post("/admin/users", data={**form, "name": ["kefu1"], "role": ["agent"]})
        assert r.status_code == 200 and "已创建用户 kefu1" in r.text
        password = re.search(r"<p class=\"secret\" data-secret>([^<]+)</p>", r.text).group(1)
        assert password not in c.get("/admin/users").text  # shown once
        dup = c.post("/admin/users", data={**form, "name": ["kefu1"], "role": ["agent"]})
        assert dup.status_code == 422 and "已被使用" in dup.text
    with TestClient(app, headers=HTML) as other:
        assert login(other, "kefu1", password).status_code == 303


def test_admin_changes_role_disables_and_resets(app):
    uid = make_user(app.state.db, "xiaomei", "operator")
    with studio(app, "admin", name="boss") as c:
        token = page_csrf(c, "/admin/users")
        r = c.post(
            f"/admin/users/{uid}", data={"csrf_token": token, "action": "role", "role": "host"}, follow_redirects=False
        )
        assert r.status_code == 303 and r.headers["location"] == "/admin/users?done=role"
        assert "角色已修改" in c.get(r.headers["location"]).text
        c.post(f"/admin/users/{uid}", data={"csrf_token": token, "action": "disable"})
        reset = c.post(f"/admin/users/{uid}", data={"csrf_token": token, "action": "reset"})
        new_password = re.search(r"data-secret>([^<]+)<", reset.text).group(1)
        c.post(f"/admin/users/{uid}", data={"csrf_token": token, "action": "enable"})
        assert c.post(f"/admin/users/{uid}", data={"csrf_token": token, "action": "explode"}).status_code == 422
    with app.state.db.session() as s:
        u = users.get(s, uid)
        assert (u.role, u.active) == ("host", True)
        assert users.authenticate(s, "xiaomei", new_password) is not None
        actions = [e.action for e in audit.query(s, actor="user:boss", action="user.")]
    assert actions == ["user.update", "user.reset_password", "user.update", "user.update"]


def test_admin_key_page_shows_key_once_and_revokes(app):
    with studio(app, "admin", name="boss") as c:
        form = scrape_form(c.get("/admin/keys").text, "key-form")
        r = c.post("/admin/keys", data={**form, "name": ["小程序"], "role": ["shopper"]})
        key = re.search(r"data-secret>([^<]+)<", r.text).group(1)
        key_id = key.split("_")[1]
        assert key not in c.get("/admin/keys").text
        with TestClient(app) as api:
            assert api.get("/api/catalog/products", headers={"X-API-Key": key}).status_code == 403  # narrow
        done = c.post(
            f"/admin/keys/{key_id}/revoke", data={"csrf_token": form["csrf_token"][0]}, follow_redirects=False
        )
        assert done.headers["location"] == "/admin/keys?done=revoked"
        with TestClient(app) as api:
            assert api.get("/api/catalog/products", headers={"X-API-Key": key}).status_code == 401


def test_studio_catalog_edits_are_audited_and_the_audit_page_filters(app):
    from shopgen.store import catalog
    from shopgen.store.schemas import ProductIn

    with app.state.db.session() as s:
        pid = catalog.create(s, ProductIn.model_validate(TEE)).id
    with studio(app, "operator", name="yunying") as c:
        form = scrape_form(c.get(f"/catalog/{pid}").text)
        form["price"] = ["88.00"]
        assert c.post(f"/catalog/{pid}", data=form, follow_redirects=False).status_code == 303
        c.post(f"/catalog/{pid}/delete", data={"csrf_token": page_csrf(c)})
    with studio(app, "admin", name="boss") as c:
        html = c.get("/admin/audit", params={"action": "catalog."}).text
        rows = re.findall(r'<tr data-action="([^"]+)">', html)
        assert rows == ["catalog.delete", "catalog.update"]
        assert "user:yunying" in html and "sku=T-TEE-01" in html
        assert 'href="/api/admin/audit/export?action=catalog.&amp;format=csv"' in html
        csv_text = c.get("/api/admin/audit/export", params={"action": "catalog.", "format": "csv"}).text
        assert len(csv_text.strip().splitlines()) == 3


def test_role_pickers_offer_every_role_and_default_to_a_narrow_one():
    from shopgen.security import roles
    from shopgen.web.admin import KEY_ROLES, USER_ROLES

    assert set(USER_ROLES) == set(roles.HUMAN) and set(KEY_ROLES) == set(roles.ROLES)
    assert USER_ROLES[0] != "admin" and KEY_ROLES[0] != "admin"
