"""Studio login sessions: a random token in the ``shopgen_session`` cookie, its sha256 in
``login_sessions``, an idle and an absolute expiry from the settings, and a per-session CSRF
token. Logging in always starts a new session (no fixation); logging out deletes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from shopgen.security import tokens
from shopgen.security.principal import Principal
from shopgen.store.models import LoginSession, User, utcnow

COOKIE = "shopgen_session"
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most this often


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)  # SQLite hands back naive UTC


def create(s: Session, user: User) -> str:
    """Start a session for ``user``; returns the cookie value (shown nowhere else)."""
    token = tokens.new_token()
    s.add(LoginSession(token_hash=tokens.digest(token), user_id=user.id, csrf_token=tokens.new_token(24)))
    s.flush()
    return token


_LOOKUP = (
    select(
        LoginSession.id,
        LoginSession.csrf_token,
        LoginSession.created_at,
        LoginSession.last_seen_at,
        User.id.label("user_id"),
        User.name,
        User.role,
        User.active,
    )
    .join(User, User.id == LoginSession.user_id)
    .where(LoginSession.token_hash == bindparam("token_hash"))
)


def resolve(conn: Connection | Session, token: str, settings, now: datetime | None = None) -> Principal | None:
    """The principal for a cookie value, or None when unknown, expired or its user is disabled.

    Plain statements (no ORM objects): this runs on every studio request. The role and the
    active flag are read from the user row each time, so a change applies to the next request.
    """
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    row = conn.execute(_LOOKUP, {"token_hash": tokens.digest(token)}).first()
    if row is None:
        return None
    if not row.active or _expired(row, settings, now):
        conn.execute(delete(LoginSession).where(LoginSession.id == row.id))
        return None
    if now - _aware(row.last_seen_at) > TOUCH_EVERY:
        conn.execute(update(LoginSession).where(LoginSession.id == row.id).values(last_seen_at=now))
    return Principal("user", row.name, row.role, user_id=row.user_id, session_id=row.id, csrf_token=row.csrf_token)


def _expired(row, settings, now: datetime) -> bool:
    idle = timedelta(minutes=settings.session_idle_minutes)
    absolute = timedelta(hours=settings.session_max_hours)
    return now - _aware(row.last_seen_at) > idle or now - _aware(row.created_at) > absolute


def end(s: Session, session_id: int) -> None:
    s.execute(delete(LoginSession).where(LoginSession.id == session_id))


def purge_expired(s: Session, settings, now: datetime | None = None) -> int:
    now = now or utcnow()
    idle_cut = now - timedelta(minutes=settings.session_idle_minutes)
    abs_cut = now - timedelta(hours=settings.session_max_hours)
    res = s.execute(
        delete(LoginSession).where(or_(LoginSession.last_seen_at < idle_cut, LoginSession.created_at < abs_cut))
    )
    return res.rowcount or 0
