"""Studio accounts: create, list, change role, disable, reset password, authenticate.

Every change here is recorded in the audit log by the caller's ``actor``.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.security import audit, passwords, roles
from shopgen.security.principal import Principal
from shopgen.store.models import LoginSession, User, utcnow

NAME_CHARS = 64
#: letters of any script (小美, anna), digits, ``. _ - @`` and single spaces inside (小美 客服)
NAME_RE = re.compile(r"^[\w.\-@]+(?: [\w.\-@]+)*$")


def to_dict(u: User) -> dict:
    return {
        "id": u.id,
        "name": u.name,
        "role": u.role,
        "active": u.active,
        "created_at": u.created_at.isoformat() if u.created_at else None,
        "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None,
    }


def count(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(User)) or 0


def list_users(s: Session) -> list[User]:
    return list(s.scalars(select(User).order_by(User.name)))


def get(s: Session, user_id: int) -> User:
    user = s.get(User, user_id)
    if user is None:
        raise NotFound(f"用户 {user_id} 不存在", {"id": user_id})
    return user


def by_name(s: Session, name: str) -> User | None:
    return s.scalar(select(User).where(User.name == name))


def check_name(name: str) -> str:
    """``name`` without outer spaces, or InvalidInput saying in Chinese what a user name may be."""
    name = name.strip()
    if len(name) > NAME_CHARS:
        raise InvalidInput(f"用户名：最多 {NAME_CHARS} 个字符，现在是 {len(name)} 个", {"field": "name"})
    if len(name) < 2:
        raise InvalidInput("用户名：至少 2 个字符", {"field": "name"})
    if not NAME_RE.match(name):
        raise InvalidInput("用户名：只能包含中英文字母、数字、. _ - @ 和中间的单个空格", {"field": "name"})
    return name


def create(
    s: Session, actor: Principal, name: str, role: str, password: str | None = None, *, address: str = ""
) -> tuple[User, str]:
    """Create a user; returns (user, password). A password is generated when none is given."""
    name = check_name(name)
    roles.check_human(role)
    password = password if password is not None else passwords.generate_password()
    passwords.check_strength(password)
    if by_name(s, name) is not None:
        raise Conflict(f"用户名：{name} 已被使用，请换一个", {"name": name})
    user = User(name=name, role=role, password_hash=passwords.hash_password(password), active=True)
    s.add(user)
    s.flush()
    audit.record(s, actor, "user.create", f"user:{name}", {"role": role}, address=address)
    return user, password


def update(
    s: Session,
    actor: Principal,
    user_id: int,
    *,
    role: str | None = None,
    active: bool | None = None,
    address: str = "",
) -> User:
    """Change a user's role or switch the account off/on; a disabled user's sessions end at once."""
    user = get(s, user_id)
    was_admin = user.role == "admin" and user.active
    changes: dict = {}
    if role is not None and role != user.role:
        roles.check_human(role)
        changes["role"] = [user.role, role]
        user.role = role
    if active is not None and active != user.active:
        changes["active"] = [user.active, active]
        user.active = active
    if not changes:
        return user
    if was_admin:
        _keep_an_admin(s, user)
    if user.active is False:
        _end_sessions(s, user.id)
    s.flush()
    audit.record(s, actor, "user.update", f"user:{user.name}", changes, address=address)
    return user


def reset_password(
    s: Session, actor: Principal, user_id: int, password: str | None = None, *, address: str = ""
) -> str:
    """Set a new password (generated when none is given) and end the user's sessions."""
    user = get(s, user_id)
    password = password if password is not None else passwords.generate_password()
    passwords.check_strength(password)
    user.password_hash = passwords.hash_password(password)
    _end_sessions(s, user.id)
    audit.record(s, actor, "user.reset_password", f"user:{user.name}", address=address)
    return password


def change_password(s: Session, actor: Principal, old: str, new: str, again: str, *, address: str = "") -> None:
    """A logged-in user replaces their own password (old one first, the new one twice). Their
    other sessions end; the one that asked stays. InvalidInput names the field, in Chinese."""
    user = by_name(s, actor.name) if actor.kind == "user" else None
    if user is None or not user.active:
        raise InvalidInput("只有登录的用户可以修改自己的密码")
    if not passwords.verify_password(user.password_hash, old):
        raise InvalidInput("当前密码：不正确", {"field": "old_password"})
    if new != again:
        raise InvalidInput("确认新密码：两次输入的新密码不一致", {"field": "new_password2"})
    if new == old:
        raise InvalidInput("新密码：不能与当前密码相同", {"field": "new_password"})
    try:
        passwords.check_strength(new)
    except InvalidInput as exc:
        raise InvalidInput("新" + exc.message, {"field": "new_password"}) from None
    user.password_hash = passwords.hash_password(new)
    for ls in s.scalars(select(LoginSession).where(LoginSession.user_id == user.id)):
        if ls.id != actor.session_id:
            s.delete(ls)
    audit.record(s, actor, "user.change_password", f"user:{user.name}", address=address)


def authenticate(s: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, or None (same cost either way)."""
    user = by_name(s, name.strip())
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    return user


def ensure_admin(s: Session, actor: Principal, name: str = "admin") -> str | None:
    """When there are no users at all, create ``admin`` with a random password and return it
    (to be shown once); otherwise None. Never a fixed default password."""
    if count(s):
        return None
    _, password = create(s, actor, name, "admin")
    return password


def _end_sessions(s: Session, user_id: int) -> None:
    for ls in s.scalars(select(LoginSession).where(LoginSession.user_id == user_id)):
        s.delete(ls)


def _keep_an_admin(s: Session, changed: User) -> None:
    s.flush()
    admins = s.scalar(select(func.count()).select_from(User).where(User.role == "admin", User.active.is_(True)))
    if not admins:
        raise InvalidInput(f"{changed.name} 是最后一位启用中的管理员，请先让另一位用户成为管理员")
