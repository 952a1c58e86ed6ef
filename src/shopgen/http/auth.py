"""Authentication and role checks as request dependencies.

Every route declares who may reach it, exactly once, with a dependency from here::

    router = APIRouter(prefix="/api/catalog", dependencies=[Depends(require("operator"))])
    Operator = Annotated[Principal, Depends(require("operator"))]   # when the handler needs it
    @router.get("/healthz", dependencies=[Depends(public)])

``require(role)`` returns the same callable for the same role (so FastAPI runs it once per
request) and carries ``required_role``, which ``route_requirements`` reads back: the route
matrix test uses it to prove every route is declared and enforced.

A request is authenticated by an API key (``Authorization: Bearer sg_…`` or ``X-API-Key``)
or by the studio's session cookie; cookie requests that change something must carry the
session's CSRF token. No credentials → 401 (studio pages: 303 to /login); wrong role → 403.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from starlette.requests import HTTPConnection

from shopgen.core.errors import ConfigError, Forbidden, Unauthorized
from shopgen.security import apikeys, csrf, roles, sessions
from shopgen.security.principal import Principal

_UNSET = object()


# The key helpers take an HTTPConnection, not just a Request: the live ingest WebSocket
# authenticates with them too, so a socket cannot skip the per-address brute-force limit.


def client_address(request: HTTPConnection) -> str:
    return request.client.host if request.client else "unknown"


def _presented_key(request: HTTPConnection) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return request.headers.get("x-api-key")


def _resolve_key(request: HTTPConnection, key: str) -> Principal:
    limits = request.app.state.limits
    limits.get("address").hit(client_address(request))
    with request.app.state.db.engine.connect() as conn:  # read-only: no ORM session, no commit
        principal = apikeys.resolve(conn, key)
    if principal is None:
        raise Unauthorized("invalid or revoked API key")
    limits.get("key").hit(principal.name)
    return principal


def key_principal(conn: HTTPConnection, fallback: str | None = None) -> Principal | None:
    """The principal of the API key a connection presents (``fallback`` when it presents none:
    the ingest WebSocket's ``?key=``). None without a key; Unauthorized for a bad one and
    RateLimited past the per-address limit, exactly as for an HTTP request."""
    key = _presented_key(conn) or fallback
    return _resolve_key(conn, key) if key else None


def _resolve_cookie(request: Request) -> Principal | None:
    token = request.cookies.get(sessions.COOKIE)
    if not token:
        return None
    with request.app.state.db.engine.begin() as conn:  # may end an expired session or touch it
        return sessions.resolve(conn, token, request.app.state.settings)


def resolve_cookie_quietly(request: Request) -> Principal | None:
    """The cookie's user for showing a page (errors, the login form); never raises."""
    try:
        return _resolve_cookie(request)
    except Exception:  # noqa: BLE001 - an error page must render even when the database is down
        return None


async def authenticate(request: Request) -> Principal | None:
    """The request's principal (cached on ``request.state``), or None when it has no credentials.

    Raises Unauthorized for a bad API key and Forbidden for a cookie request without its CSRF
    token. The lookup is one indexed SELECT (about 0.1 ms, see BENCHMARKS.md) and runs on the
    event loop: a thread hand-off would cost more than the query."""
    cached = getattr(request.state, "principal", _UNSET)
    if cached is not _UNSET:
        return cached
    key = _presented_key(request)
    principal = _resolve_key(request, key) if key is not None else _resolve_cookie(request)
    request.state.principal = principal
    if principal is not None and principal.via_cookie:
        await csrf.check(request, principal.csrf_token)
    return principal


@cache
def require(role: str):
    """A dependency admitting principals whose role allows ``role`` (see security.roles)."""
    if not roles.requirement_ok(role) or role == roles.PUBLIC:
        raise ConfigError(f"unknown role requirement {role!r}")

    async def dependency(request: Request) -> Principal:
        principal = await authenticate(request)
        if principal is None:
            raise Unauthorized("login required: sign in, or send an API key (Authorization: Bearer sg_…)")
        if not principal.allows(role):
            raise Forbidden(
                f"当前账号的角色（{roles.label(principal.role)}）无权使用这里，需要{roles.label(role)}权限；"
                "如需使用请联系管理员",
                {"role": principal.role, "needs": role},
            )
        return principal

    dependency.required_role = role  # type: ignore[attr-defined]
    dependency.__name__ = f"require_{role}"
    return dependency


async def public(request: Request) -> None:
    """Marks a route as reachable without credentials. The principal, when there is one, is
    still resolved so pages can show who is logged in; a bad cookie is simply ignored."""
    if getattr(request.state, "principal", _UNSET) is _UNSET:
        request.state.principal = resolve_cookie_quietly(request)


public.required_role = roles.PUBLIC  # type: ignore[attr-defined]


@cache
def limited(name: str):
    """A dependency spending one token of the named rate limit (``security.ratelimit.Limits``)
    per client address, and per API key when there is one. For the public machine endpoints::

        @router.post("/chat", dependencies=[Depends(require("shopper")), Depends(limited("shopper"))])
    """

    async def dependency(request: Request) -> None:
        spend(request, name, getattr(request.state, "principal", None))

    dependency.__name__ = f"limited_{name}"
    return dependency


def spend(conn: HTTPConnection, name: str, principal: Principal | None) -> None:
    """One token of the named limit per client address, and per API key when there is one: what
    :func:`limited` spends per request, and the ingest WebSocket per message."""
    limiter = conn.app.state.limits.get(name)
    limiter.hit(f"addr:{client_address(conn)}")
    if principal is not None and principal.kind == "key":
        limiter.hit(f"key:{principal.name}")


def route_requirements(route: APIRoute) -> set[str]:
    """The role requirements a route declares (through its dependency tree)."""
    found: set[str] = set()
    stack = [route.dependant]
    while stack:
        dep = stack.pop()
        role = getattr(dep.call, "required_role", None)
        if role is not None:
            found.add(role)
        stack.extend(dep.dependencies)
    return found


LoggedIn = Annotated[Principal, Depends(require(roles.LOGIN))]
Admin = Annotated[Principal, Depends(require("admin"))]
Operator = Annotated[Principal, Depends(require("operator"))]
Agent = Annotated[Principal, Depends(require("agent"))]


def declared_routes(app) -> list[tuple[str, frozenset[str], set[str]]]:
    """(path, methods, role requirements) for every API route of ``app``, included routers too."""
    from fastapi.routing import iter_route_contexts

    out = []
    for rc in iter_route_contexts(app.routes):
        if isinstance(rc.original_route, APIRoute):
            out.append((rc.path, frozenset(rc.methods or ()), route_requirements(rc.original_route)))
    return out
