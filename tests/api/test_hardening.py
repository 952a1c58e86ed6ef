"""Low-severity findings of the trust audit, over HTTP: security headers, what /healthz tells a
stranger, per-account login lockout, upload errors without server paths, and CSV fields over
the csv module's limit."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from shopgen.security import audit
from shopgen.security.ratelimit import Limits
from shopgen.server import create_app
from tests.auth import HTML, bearer, login, make_user, studio

# ---- security headers ----------------------------------------------------------------------


def _csp(r) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in r.headers["content-security-policy"].split(";"))


@pytest.mark.parametrize("path", ["/login", "/healthz", "/static/studio.js", "/api/nope", "/nope"])
def test_every_response_carries_the_security_headers(app, path):
    with TestClient(app, headers=HTML) as c:
        r = c.get(path)
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    csp = _csp(r)
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert re.fullmatch(r"'self' 'nonce-[A-Za-z0-9_-]{20,}'", csp["script-src"])  # no 'unsafe-inline'
    assert csp["connect-src"] == "'self'" and csp["form-action"] == "'self'"


def test_studio_pages_have_no_inline_script(app):
    """What the CSP allows is what the pages need: every <script> has a src on this origin."""
    with studio(app, "admin") as c:
        for path in ("/", "/catalog", "/assist/chat", "/assist/console", "/live", "/copy", "/admin/audit", "/insight"):
            html = c.get(path).text
            for tag in re.findall(r"<script\b[^>]*>", html):
                assert re.search(r'src="/static/', tag), (path, tag)
            assert not re.search(r"\son[a-z]+=", html), path  # no inline event handlers either


def test_the_api_docs_inline_script_runs_by_the_requests_nonce(app):
    with TestClient(app, headers=bearer(app.state.db, "operator")) as c:
        r = c.get("/docs")
    nonce = _csp(r)["script-src"].split("'nonce-")[1].rstrip("'")
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", r.text)
    assert inline == [f' nonce="{nonce}"']


# ---- /healthz ------------------------------------------------------------------------------


def test_healthz_tells_a_stranger_only_that_it_is_up(app):
    with TestClient(app) as c:
        assert c.get("/healthz").json() == {"status": "ok"}
        assert c.get("/healthz", headers={"Authorization": "Bearer sg_bad"}).json() == {"status": "ok"}
        assert c.get("/healthz", headers=bearer(app.state.db, "shopper")).json() == {"status": "ok"}
        details = c.get("/healthz", headers=bearer(app.state.db, "operator")).json()
    assert details["status"] == "ok" and details["database"] == "sqlite" and "version" in details
    with studio(app, "agent") as c:
        assert c.get("/healthz").json()["llm_backend"] == "fake"


# ---- login lockout per account -------------------------------------------------------------


def _attempt(app, name: str, password: str | None = None):
    """One login from a fresh browser (a logged-in page carries another CSRF token)."""
    with TestClient(app, headers=HTML) as c:
        return login(c, name, password) if password else login(c, name)


def test_an_account_locks_after_repeated_failures_whatever_the_password(app, settings):
    now = [0.0]
    app.state.limits = Limits(settings, clock=lambda: now[0])
    make_user(app.state.db, "xiaomei", "operator")
    make_user(app.state.db, "laowang", "operator")
    codes = [_attempt(app, "xiaomei", "wrong-password").status_code for _ in range(settings.login_max_failures)]
    assert codes == [401] * settings.login_max_failures
    locked = _attempt(app, "xiaomei")  # the right password, but the account is locked
    assert locked.status_code == 429 and "已暂时锁定" in locked.text
    assert int(locked.headers["retry-after"]) == settings.login_lockout_minutes * 60
    assert _attempt(app, "laowang").status_code == 303  # other accounts are not affected
    now[0] += settings.login_lockout_minutes * 60 + 1
    assert _attempt(app, "xiaomei").status_code == 303
    with app.state.db.session() as s:
        actions = [(e.action, e.target) for e in reversed(audit.query(s, action="auth.", limit=100))]
    assert actions.count(("auth.login_failed", "user:xiaomei")) == settings.login_max_failures
    assert ("auth.lockout", "user:xiaomei") in actions and ("auth.login_locked", "user:xiaomei") in actions


def test_a_success_resets_the_failures(app, settings):
    make_user(app.state.db, "xiaomei", "operator")
    for _ in range(2):
        for _ in range(settings.login_max_failures - 1):
            assert _attempt(app, "xiaomei", "wrong-password").status_code == 401
        assert _attempt(app, "xiaomei").status_code == 303


# ---- uploads -------------------------------------------------------------------------------


def test_import_errors_name_the_file_not_the_servers_temp_path(app):
    with TestClient(app, headers=bearer(app.state.db, "operator")) as c:
        r = c.post("/api/catalog/import", files={"file": ("items.txt", b"sku\n", "text/plain")})
    assert r.status_code == 422
    message = r.json()["error"]["message"]
    assert message.startswith("items.txt: cannot tell the format") and "/tmp" not in r.text


def test_a_csv_field_over_the_csv_limit_is_a_422_naming_the_line(app):
    text = "sku,title,category,price\nA1,短袖,T恤,99\nA2," + "长" * 140_000 + ",T恤,99\n"
    with TestClient(app, headers=bearer(app.state.db, "operator")) as c:
        r = c.post("/api/catalog/import", files={"file": ("c.csv", text.encode(), "text/csv")})
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["message"] == "line 3: a field is longer than 131072 characters" and err["detail"] == {"line": 3}


def test_the_live_recording_upload_names_the_line_of_a_huge_field(settings):
    app = create_app(settings)
    host = bearer(app.state.db, "host")
    with TestClient(app, headers=host) as c:
        assert c.post("/api/live/rooms", json={"room": "big"}).status_code == 201
        data = ("text,ts\n包邮吗,1\n" + "好" * 140_000 + ",2\n").encode()
        r = c.post("/api/live/rooms/big/replay/upload", files={"file": ("rec.csv", data, "text/csv")})
    assert r.status_code == 422
    assert r.json()["error"]["message"] == "recording.csv line 3: a field is longer than 131072 characters"
