"""API keys for machine clients: ``sg_<8-char id>_<secret>``, one role each, revocable.

Only the sha256 of the secret is stored and the whole key is shown once, at creation. A request
looks the key up by its id (primary key) and compares digests in constant time; revocation is a
column checked on every request, so it takes effect at once.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from shopgen.core.errors import InvalidInput, NotFound
from shopgen.security import audit, roles, tokens
from shopgen.security.principal import Principal
from shopgen.store.models import ApiKey, utcnow

PREFIX = "sg_"
_KEY_RE = re.compile(r"^sg_([a-z0-9]{8})_([A-Za-z0-9_-]{20,100})$")
_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def to_dict(k: ApiKey) -> dict:
    return {
        "id": k.id,
        "name": k.name,
        "role": k.role,
        "created_by": k.created_by,
        "created_at": k.created_at.isoformat() if k.created_at else None,
        "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
        "active": k.revoked_at is None,
    }


NAME_CHARS = 64


def create(s: Session, actor: Principal, name: str, role: str, *, address: str = "") -> tuple[ApiKey, str]:
    """A new key; returns (row, the full key). The full key cannot be recovered later."""
    name = name.strip()
    if not name:
        raise InvalidInput("密钥名称：不能为空", {"field": "name"})
    if len(name) > NAME_CHARS:
        raise InvalidInput(f"密钥名称：最多 {NAME_CHARS} 个字符，现在是 {len(name)} 个", {"field": "name"})
    roles.get(role)
    key_id = "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))
    secret = tokens.new_token(32)
    row = ApiKey(id=key_id, name=name, role=role, secret_hash=tokens.digest(secret), created_by=actor.actor)
    if role == "shopper":  # storefronts sign customer tokens with it (security.customers)
        row.signing_secret = tokens.new_token(32)
    s.add(row)
    s.flush()
    audit.record(s, actor, "key.create", f"key:{key_id}", {"name": name, "role": role}, address=address)
    return row, f"{PREFIX}{key_id}_{secret}"


def rotate_signing_secret(s: Session, actor: Principal, key_id: str) -> str:
    """A new signing secret for a shopper key (returned once); tokens signed with the old one stop
    verifying at once."""
    row = s.get(ApiKey, key_id)
    if row is None:
        raise NotFound(f"API 密钥 {key_id} 不存在", {"id": key_id})
    if row.role != "shopper":
        raise InvalidInput(f"只有买家端密钥用来签发顾客令牌；密钥 {key_id} 的角色是 {roles.label(row.role)}")
    row.signing_secret = tokens.new_token(32)
    audit.record(s, actor, "key.signing_secret", f"key:{key_id}", {"name": row.name})
    return row.signing_secret


def signing_secret(s: Session, key_id: str) -> str | None:
    row = s.get(ApiKey, key_id)
    return row.signing_secret if row is not None and row.revoked_at is None else None


def list_keys(s: Session) -> list[ApiKey]:
    return list(s.scalars(select(ApiKey).order_by(ApiKey.created_at.desc(), ApiKey.id)))


def revoke(s: Session, actor: Principal, key_id: str, *, address: str = "") -> ApiKey:
    row = s.get(ApiKey, key_id)
    if row is None:
        raise NotFound(f"API 密钥 {key_id} 不存在", {"id": key_id})
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(s, actor, "key.revoke", f"key:{key_id}", {"name": row.name}, address=address)
    return row


# built once: per request only the parameter changes, so SQLAlchemy reuses the compiled form
_LOOKUP = select(ApiKey.secret_hash, ApiKey.role, ApiKey.name, ApiKey.revoked_at.is_(None).label("active")).where(
    ApiKey.id == bindparam("key_id")
)


def resolve(conn: Connection | Session, key: str) -> Principal | None:
    """The principal for a presented key, or None when malformed, unknown, wrong or revoked.

    One primary-key SELECT through a plain connection (no ORM unit of work): this runs on every
    machine request, and the ORM session's bookkeeping would cost four times the query."""
    m = _KEY_RE.match(key)
    if m is None:
        return None
    key_id = m.group(1)
    row = conn.execute(_LOOKUP, {"key_id": key_id}).first()
    if row is None or not row.active or not tokens.same(row.secret_hash, tokens.digest(m.group(2))):
        return None
    return Principal("key", key_id, row.role, label=row.name)
