"""The audit log: who changed what, when, from where.

``record`` writes into the caller's transaction, so an entry exists exactly when the change
it describes was committed. Details are masked (``pii.mask_obj``) before they are stored:
the audit log is read and exported by people who need not see a shopper's phone number.

Actions so far: ``auth.login``, ``auth.login_failed``, ``auth.logout``, ``catalog.create``,
``catalog.update``, ``catalog.delete``, ``catalog.import``, ``user.create``, ``user.update``,
``user.reset_password``, ``user.change_password``, ``key.create``, ``key.revoke``, ``conversation.reveal``,
``privacy.purge``, ``kb.candidate.approve``, ``kb.candidate.reject``, ``kb.synonyms.add``,
``kb.synonyms.update``, ``kb.synonyms.delete``. Later features (approvals, hand-off takeovers) add theirs the same way.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopgen.security import pii
from shopgen.security.principal import Principal
from shopgen.store.models import AuditEntry

EXPORT_FORMATS = ("csv", "jsonl")
FIELDS = ("id", "at", "actor", "role", "action", "target", "address", "detail")


def record(
    s: Session, actor: Principal, action: str, target: str = "", detail: dict | None = None, *, address: str = ""
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor.actor[:80],
        role=actor.role,
        action=action,
        target=pii.mask(target)[:200],
        detail=pii.mask_obj(detail or {}),
        address=address[:64],
    )
    s.add(entry)
    return entry


def query(
    s: Session,
    *,
    action: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEntry]:
    """Newest first. ``action`` matches a prefix ("catalog." gives every catalog change)."""
    q = select(AuditEntry)
    if action:
        q = q.where(AuditEntry.action.startswith(action, autoescape=True))
    if actor:
        q = q.where(AuditEntry.actor == actor)
    if since:
        q = q.where(AuditEntry.at >= since)
    if until:
        q = q.where(AuditEntry.at < until)
    return list(s.scalars(q.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)))


def to_dict(e: AuditEntry) -> dict:
    return {
        "id": e.id,
        "at": e.at.isoformat(),
        "actor": e.actor,
        "role": e.role,
        "action": e.action,
        "target": e.target,
        "address": e.address,
        "detail": e.detail,
    }


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A cell a spreadsheet shows as text: one starting like a formula (``=``, ``+``, ``-``, ``@``,
    tab, carriage return) gets a leading ``'``, so an audited value such as a user name
    ``=HYPERLINK(…)`` cannot run when an admin opens the export (OWASP's CSV injection advice)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export(entries: list[AuditEntry], fmt: str) -> str:
    """CSV (detail as a JSON column; formula-like cells neutralised, see :func:`csv_safe`) or JSON
    Lines. Masked again on the way out, for entries written before a pattern was added."""
    rows = [pii.mask_obj(to_dict(e)) for e in entries]
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=FIELDS)
    w.writeheader()
    for r in rows:
        w.writerow({k: csv_safe(v) for k, v in {**r, "detail": json.dumps(r["detail"], ensure_ascii=False)}.items()})
    return buf.getvalue()
