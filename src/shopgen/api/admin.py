"""/api/admin: users, API keys and the audit log (role ``admin``; every change is audited)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from shopgen.http.auth import Admin, client_address, require
from shopgen.http.deps import SessionDep
from shopgen.http.params import IdPath, Offset
from shopgen.security import apikeys, audit, users

router = APIRouter(prefix="/api/admin", tags=["admin"], dependencies=[Depends(require("admin"))])


class UserIn(BaseModel):
    name: Annotated[str, Field(min_length=2, max_length=64)]
    role: str
    password: Annotated[str, Field(min_length=8, max_length=256)] | None = None


class UserPatch(BaseModel):
    role: str | None = None
    active: bool | None = None
    reset_password: bool = False


class KeyIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    role: str


@router.get("/users")
def list_users(s: SessionDep) -> dict:
    return {"items": [users.to_dict(u) for u in users.list_users(s)]}


@router.post("/users", status_code=201)
def create_user(body: UserIn, s: SessionDep, who: Admin, request: Request) -> dict:
    """Create a user. Without ``password`` one is generated and returned, this once."""
    user, password = users.create(s, who, body.name, body.role, body.password, address=client_address(request))
    out = users.to_dict(user)
    if body.password is None:
        out["password"] = password
    return out


@router.patch("/users/{user_id}")
def update_user(user_id: IdPath, body: UserPatch, s: SessionDep, who: Admin, request: Request) -> dict:
    address = client_address(request)
    user = users.update(s, who, user_id, role=body.role, active=body.active, address=address)
    out = users.to_dict(user)
    if body.reset_password:
        out["password"] = users.reset_password(s, who, user_id, address=address)
    return out


@router.get("/keys")
def list_keys(s: SessionDep) -> dict:
    return {"items": [apikeys.to_dict(k) for k in apikeys.list_keys(s)]}


@router.post("/keys", status_code=201)
def create_key(body: KeyIn, s: SessionDep, who: Admin, request: Request) -> dict:
    """Create an API key; the full ``key`` is in this answer only."""
    row, key = apikeys.create(s, who, body.name, body.role, address=client_address(request))
    out = {**apikeys.to_dict(row), "key": key}
    if row.signing_secret:  # shopper keys: storefronts sign customer tokens with it
        out["signing_secret"] = row.signing_secret
    return out


@router.post("/keys/{key_id}/signing-secret")
def rotate_signing_secret(key_id: str, s: SessionDep, who: Admin) -> dict:
    """A new signing secret for a shopper key's customer tokens (in this answer only)."""
    return {"id": key_id, "signing_secret": apikeys.rotate_signing_secret(s, who, key_id)}


@router.delete("/keys/{key_id}")
def revoke_key(key_id: str, s: SessionDep, who: Admin, request: Request) -> dict:
    return apikeys.to_dict(apikeys.revoke(s, who, key_id, address=client_address(request)))


def _filters(
    action: Annotated[str | None, Query(max_length=48)] = None,
    actor: Annotated[str | None, Query(max_length=80)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict:
    return {"action": action, "actor": actor, "since": since, "until": until}


@router.get("/audit")
def audit_log(
    s: SessionDep,
    filters: Annotated[dict, Depends(_filters)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> dict:
    """Newest first; ``action`` matches a prefix (``catalog.``)."""
    entries = audit.query(s, **filters, limit=limit, offset=offset)
    return {"items": [audit.to_dict(e) for e in entries], "limit": limit, "offset": offset}


@router.get("/audit/export")
def audit_export(
    s: SessionDep,
    filters: Annotated[dict, Depends(_filters)],
    format: Literal["csv", "jsonl"] = "csv",
    limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
) -> Response:
    """The audit log as a CSV or JSON Lines download, personal data masked."""
    entries = audit.query(s, **filters, limit=limit)
    media = "text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Response(
        audit.export(entries, format),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="shopgen-audit-{stamp}.{format}"'},
    )
