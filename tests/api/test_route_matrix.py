"""Every route of the app, every role: who may reach what.

Each route must declare its requirement (``require(role)`` or ``public``) exactly once; then
an unauthenticated request and a request from every role are sent to it, and the answers must
match the policy in ``security.roles``: 401 (API) or 303 to /login (studio) without
credentials, 403 for a role that must not reach it, anything but 401/403 for one that may.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from shopgen.http.auth import declared_routes
from shopgen.security import roles, sessions, users
from shopgen.security.principal import CLI
from shopgen.store.models import LoginSession
from tests.auth import HTML, make_key

PUBLIC_MOUNTS = {"/static", "/static/swagger"}  # static files: public by construction

# Who may reach each requirement, written out here rather than read from security.roles, so a
# change to the policy itself fails this test too.
ALLOWED = {
    "login": {"admin", "operator", "agent", "host"},
    "admin": {"admin"},
    "operator": {"admin", "operator"},
    "agent": {"admin", "agent"},
    "host": {"admin", "host"},
    "shopper": {"shopper"},
    "ingest": {"ingest"},
    "shopper|operator": {"shopper", "operator", "admin"},
    "operator|agent": {"operator", "agent", "admin"},
}
# The requirement of every route this issue knows about (later issues add theirs here).
KNOWN = [
    (r"/healthz|/login", "public"),
    (r"/|/logout|/docs|/openapi\.json", "login"),
    (r"/api/catalog/.*|/api/llm/chat|/api/embed|/catalog.*|/playground", "operator"),
    (r"/api/admin/.*|/admin/.*", "admin"),
    (r"/api/conversations/.*", "agent"),
    (r"/api/assist/(sessions|chat|sessions/\{session_id\}/messages)", "shopper"),
    (r"/api/assist/(queue|sessions/\{session_id\}/(take|reply|release|close))|/assist/console", "agent"),
    (
        r"/api/assist/(reindex|mine|candidates(/\{candidate_id\}/(approve|reject))?|synonyms(/preview|/unknown|/\{group_id\})?)"
        r"|/assist/(candidates|synonyms)(/.*)?",
        "operator",
    ),
    (r"/assist/chat(/.*)?", "login"),
    (r"/api/insight/(sentiment|aspects|alerts|overview)|/insight", "operator"),
    (r"/api/copy/.*|/copy(/.*)?", "operator"),
    (r"/api/inventory/.*|/inventory(/.*)?", "operator"),
    (r"/api/live/rooms/\{room\}/comments|/api/events", "ingest"),
    (r"/api/recommend/(users/\{user_id\}|items/\{sku\}/similar)", "shopper|operator"),
    (r"/recommend|/behaviour", "operator"),
    (r"/api/live/(rooms.*|speak|audio/.*)|/live(/.*)?", "host"),
    (r"/labelling/\{task_id(:int)?\}/delete", "operator"),
    (r"/api/labelling/.*|/labelling(/\{task_id(:int)?\})?", "operator|agent"),
]


def known_requirement(path: str) -> str | None:
    return next((need for pattern, need in KNOWN if re.fullmatch(pattern, path)), None)


def undeclared(app) -> list[str]:
    return [
        f"{sorted(m)} {p}: {reqs or 'nothing'}"
        for p, m, reqs in declared_routes(app)
        if len(reqs) != 1 or not all(map(roles.requirement_ok, reqs))
    ]


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.fixture
def world(app):
    """An API key for every role and a way to open a fresh studio session for human roles."""
    keys = {r: make_key(app.state.db, r) for r in roles.ROLES}
    with app.state.db.session() as s:
        ids = {r: users.create(s, CLI, f"m-{r}", r, "matrix-passw0rd")[0].id for r in roles.HUMAN}

    def session_for(role: str) -> tuple[str, str]:
        with app.state.db.session() as s:
            token = sessions.create(s, users.get(s, ids[role]))
            csrf = s.scalar(select(LoginSession.csrf_token).order_by(LoginSession.id.desc()).limit(1))
        return token, csrf

    return keys, session_for


def test_every_route_declares_its_roles(app):
    assert undeclared(app) == []
    for path, methods, reqs in declared_routes(app):
        expected = known_requirement(path)
        if expected is not None:
            assert reqs == {expected}, (sorted(methods), path, reqs)
    paths = {p for p, _, _ in declared_routes(app)}
    assert {"/healthz", "/api/catalog/products", "/login", "/admin/audit", "/api/admin/keys"} <= paths
    assert {
        "/api/insight/sentiment",
        "/api/insight/aspects",
        "/api/insight/alerts",
        "/api/insight/overview",
        "/insight",
    } <= paths
    assert {"/api/assist/chat", "/api/assist/queue", "/assist/chat", "/assist/console"} <= paths
    mounts = {r.path for r in app.routes if type(r).__name__ == "Mount"}
    assert mounts == PUBLIC_MOUNTS


def test_a_route_without_a_declaration_is_caught(app):
    @app.get("/api/forgotten")
    def forgotten():
        return {}

    assert undeclared(app) == ["['GET'] /api/forgotten: nothing"]


def _expect_refused_anonymously(client, method, path, is_api):
    r = client.request(method, path, headers=HTML, follow_redirects=False)
    if is_api:
        assert r.status_code == 401, (method, path, r.status_code)
        assert r.json()["error"]["type"] == "unauthorized"
    else:
        assert r.status_code == 303, (method, path, r.status_code)
        assert r.headers["location"].startswith("/login?next=")
    plain = client.request(method, path, follow_redirects=False)  # a program, not a browser
    assert plain.status_code == 401 and plain.json()["error"]["type"] == "unauthorized", (method, path)


def test_route_by_role_matrix(app, world):
    keys, session_for = world
    checked = 0
    with TestClient(app) as client:
        for template, methods, reqs in declared_routes(app):
            (need,) = reqs
            path = concrete(template)
            is_api = path.startswith("/api")
            for method in sorted(methods - {"HEAD"}):
                if need == roles.PUBLIC:
                    r = client.request(method, path, headers=HTML, follow_redirects=False)
                    assert r.status_code != 401 and "/login?next" not in r.headers.get("location", ""), (method, path)
                    continue
                _expect_refused_anonymously(client, method, path, is_api)
                for role, key in keys.items():
                    credentials = [{"Authorization": f"Bearer {key}"}]
                    if role in roles.HUMAN:
                        token, csrf = session_for(role)
                        credentials.append({"Cookie": f"{sessions.COOKIE}={token}", "X-CSRF-Token": csrf})
                    for headers in credentials:
                        r = client.request(method, path, headers={**HTML, **headers}, follow_redirects=False)
                        allowed = role in ALLOWED[need]
                        how = "cookie" if "Cookie" in headers else "key"
                        if allowed:
                            assert r.status_code not in (401, 403), (
                                method,
                                path,
                                role,
                                how,
                                r.status_code,
                                r.text[:200],
                            )
                        else:
                            assert r.status_code == 403, (method, path, role, how, r.status_code)
                        checked += 1
    assert checked > 300


def test_policy_matches_the_written_table():
    for need, who in ALLOWED.items():
        assert {r for r in roles.ROLES if roles.get(r).allows(need)} == who, need


def test_admin_is_not_a_machine_scope():
    admin = roles.get("admin")
    assert all(admin.allows(r) for r in roles.HUMAN)
    assert not admin.allows("shopper") and not admin.allows("ingest")
    assert not roles.get("shopper").allows("operator") and not roles.get("shopper").allows(roles.LOGIN)
    assert roles.get("ingest").allows("ingest") and not roles.get("ingest").allows("shopper")
