"""Test helpers for access control: users, API keys and real logins through the form."""

from __future__ import annotations

import re
from contextlib import contextmanager

from fastapi.testclient import TestClient

from shopgen.security import apikeys, users
from shopgen.security.principal import CLI

PASSWORD = "s3cret-passw0rd"
HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def make_user(db, name: str, role: str, password: str = PASSWORD) -> int:
    with db.session() as s:
        user, _ = users.create(s, CLI, name, role, password)
        return user.id


def make_key(db, role: str, name: str | None = None) -> str:
    with db.session() as s:
        _, key = apikeys.create(s, CLI, name or f"test-{role}", role)
    return key


def bearer(db, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_key(db, role)}"}


def login_csrf(client: TestClient, next_url: str = "/") -> str:
    html = client.get("/login", params={"next": next_url}).text
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client: TestClient, name: str, password: str = PASSWORD, next_url: str = "/"):
    """Log in through the form, like a browser; returns the POST's response (303 on success)."""
    token = login_csrf(client, next_url)
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": token, "next": next_url},
        follow_redirects=False,
    )


def page_csrf(client: TestClient, path: str = "/") -> str:
    """The session's CSRF token, read from a studio page like studio.js does."""
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', client.get(path).text).group(1)


@contextmanager
def studio(app, role: str = "operator", name: str | None = None, **client_kwargs):
    """A TestClient logged into the studio as a new user with ``role``."""
    name = name or f"test-{role}"
    make_user(app.state.db, name, role)
    with TestClient(app, headers=HTML, **client_kwargs) as client:
        r = login(client, name)
        assert r.status_code == 303, r.text
        yield client
