"""Who is making a request: a logged-in user or an API key (or the CLI, for the audit log)."""

from __future__ import annotations

from dataclasses import dataclass

from shopgen.security import roles


@dataclass(frozen=True)
class Principal:
    kind: str  # user | key | cli | system
    name: str  # user name, key id, or "cli"
    role: str
    user_id: int | None = None
    session_id: int | None = None
    csrf_token: str | None = None  # set for cookie sessions only
    label: str = ""  # a key's name

    @property
    def actor(self) -> str:
        """How the audit log names this principal: ``user:NAME``, ``key:ID`` or ``cli``."""
        return self.name if self.kind in ("cli", "system") else f"{self.kind}:{self.name}"

    @property
    def via_cookie(self) -> bool:
        return self.session_id is not None

    def allows(self, required: str) -> bool:
        return roles.get(self.role).allows(required)

    @property
    def role_label(self) -> str:
        return roles.get(self.role).label


CLI = Principal(kind="cli", name="cli", role="admin")
SYSTEM = Principal(kind="system", name="system", role="admin")
