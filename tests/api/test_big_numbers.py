"""Integers a database cannot hold, in every int path and query parameter of every route: a 422
in the one error shape naming the parameter, never a 500 (SQLite's OverflowError, PostgreSQL's
"integer out of range"). Routes are walked, so a new route with an unbounded int fails here."""

from __future__ import annotations

import re
import typing

import pytest
from annotated_types import Ge, Le
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from shopgen.http.auth import route_requirements
from shopgen.http.params import MAX_INT
from shopgen.security import roles
from tests.auth import bearer, page_csrf, studio

HUGE = str(2**64)


def _is_int(annotation) -> bool:
    return annotation is int or (
        typing.get_origin(annotation) in (typing.Union, type(int | None)) and int in typing.get_args(annotation)
    )


def _params(dependant, where: str):
    stack, seen = [dependant], []
    while stack:
        dep = stack.pop()
        seen.extend(getattr(dep, f"{where}_params"))
        stack.extend(dep.dependencies)
    return seen


def int_params(app) -> list[tuple[str, set, APIRoute, str, str, list]]:
    """(path, methods, route, where: path|query, name, constraints) for every int parameter."""
    out = []
    for rc in iter_route_contexts(app.routes):
        route = rc.original_route
        if not isinstance(route, APIRoute):
            continue
        for where in ("path", "query"):
            for p in _params(route.dependant, where):
                if _is_int(p.field_info.annotation):
                    out.append((rc.path, set(rc.methods or ()), route, where, p.name, list(p.field_info.metadata)))
    return out


def test_every_int_parameter_is_bounded(app):
    found = int_params(app)
    assert len(found) >= 15  # ids, cursors, offsets and pages across api/ and web/
    for path, _, _, _, name, metadata in found:
        upper = [m.le for m in metadata if isinstance(m, Le)]
        lower = [m.ge for m in metadata if isinstance(m, Ge)]
        assert upper and upper[0] <= MAX_INT, (path, name, "no upper bound")
        assert lower and lower[0] >= -MAX_INT, (path, name, "no lower bound")


def _request(client, template: str, methods: set, where: str, name: str, headers: dict):
    path = re.sub(r"\{([^}:]+)(:[^}]*)?\}", lambda m: HUGE if m.group(1) == name else "1", template)
    params = {name: HUGE} if where == "query" else {}
    method = sorted(methods - {"HEAD"})[0]
    return client.request(method, path, params=params, headers=headers, follow_redirects=False)


@pytest.fixture
def callers(app):
    """Headers that pass each route's role check (admin's studio session for human roles)."""
    with studio(app, "admin", "numbers-admin") as admin:
        csrf = page_csrf(admin)
        cookie = {"X-CSRF-Token": csrf, "Cookie": "; ".join(f"{k}={v}" for k, v in admin.cookies.items())}
        yield {
            "shopper": bearer(app.state.db, "shopper"),
            "ingest": bearer(app.state.db, "ingest"),
            **{r: cookie for r in (*roles.HUMAN, roles.LOGIN, roles.PUBLIC)},
        }


def test_an_integer_beyond_64_bits_is_a_422_naming_the_parameter(app, callers):
    with TestClient(app, raise_server_exceptions=False) as client:
        for path, methods, route, where, name, _ in int_params(app):
            (need,) = route_requirements(route)
            headers = {"accept": "application/json", **callers[need.split("|")[0]]}  # any alternative will do
            r = _request(client, path, methods, where, name, headers)
            assert r.status_code == 422, (path, name, r.status_code, r.text[:200])
            err = r.json()["error"]
            assert err["type"] == "invalid_input" and any(d["loc"][-1] == name for d in err["detail"]), err
