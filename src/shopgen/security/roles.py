"""Role names and the policy that says which role may reach what.

Human roles log into the studio; machine scopes exist only on API keys::

    admin      everything a human role can do, plus settings, users, keys and the audit log
    operator   catalog, copy, insight, the model playground
    agent      the assistant queue and replies (may reveal a shopper's personal data)
    host       the live panel
    shopper    machine scope: the shopper chat endpoints, nothing else
    ingest     machine scope: live comment ingest, nothing else

``admin`` does not include the machine scopes on purpose: the public chat and ingest endpoints
are reached with their own narrow keys, never with an admin's.

A requirement may name alternatives, ``"shopper|operator"``: any role allowed one of them may
(the recommendation API serves shop front-ends with a shopper key and operators in the studio).
"""

from __future__ import annotations

from dataclasses import dataclass

from shopgen.core.errors import InvalidInput


@dataclass(frozen=True)
class Role:
    name: str
    label: str  # shown in the studio
    human: bool  # may be given to a studio user

    def allows(self, required: str) -> bool:
        """Whether this role may reach something that requires ``required``."""
        if "|" in required:
            return any(self.allows(r) for r in required.split("|"))
        if required == self.name:
            return True
        if required == LOGIN:
            return self.human
        return self.name == "admin" and required in HUMAN

    def __str__(self) -> str:
        return self.name


ROLES: dict[str, Role] = {
    r.name: r
    for r in (
        Role("admin", "管理员", True),
        Role("operator", "运营", True),
        Role("agent", "客服", True),
        Role("host", "主播", True),
        Role("shopper", "买家端（机器）", False),
        Role("ingest", "评论接入（机器）", False),
    )
}
HUMAN = tuple(n for n, r in ROLES.items() if r.human)
MACHINE = tuple(n for n, r in ROLES.items() if not r.human)
LOGIN = "login"  # pseudo-requirement: any logged-in human (the dashboard, the API docs)
PUBLIC = "public"  # pseudo-requirement: no credentials at all (/healthz, /login)


def label(required: str) -> str:
    """The Chinese name of a role or requirement, as the studio shows it (``operator`` → ``运营``)."""
    if "|" in required:
        return "或".join(label(r) for r in required.split("|"))
    if required == LOGIN:
        return "登录"
    return ROLES[required].label if required in ROLES else required


def _listing(names) -> str:
    return "、".join(f"{ROLES[n].label}（{n}）" for n in names)


def get(name: str) -> Role:
    """The role called ``name``; InvalidInput listing the valid ones otherwise."""
    try:
        return ROLES[name]
    except KeyError:
        raise InvalidInput(f"角色：没有 {name!r} 这个角色，可选 {_listing(ROLES)}") from None


def check_human(name: str) -> Role:
    role = get(name)
    if not role.human:
        raise InvalidInput(f"角色：{role.label}（{name}）只能用于 API 密钥，用户可选 {_listing(HUMAN)}")
    return role


def requirement_ok(required: str) -> bool:
    if "|" in required:
        return all(r in ROLES or r == LOGIN for r in required.split("|"))
    return required in ROLES or required in (LOGIN, PUBLIC)
