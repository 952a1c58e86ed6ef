"""Retention: delete conversations (and their messages) untouched for ``retention_days``.

Nothing else is deleted: orders, the catalog, the knowledge base and the audit log stay.
Runs from ``shopgen privacy purge`` and, inside the service, every
``retention_interval_seconds`` (``schedule``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from shopgen.security import audit, sessions
from shopgen.security.principal import SYSTEM, Principal
from shopgen.store.models import Conversation, Message, utcnow

log = logging.getLogger("shopgen.privacy")


def purge(db, settings, *, now: datetime | None = None, dry_run: bool = False, actor: Principal = SYSTEM) -> dict:
    """Delete old conversations; returns what was (or, with ``dry_run``, would be) deleted."""
    if settings.retention_days <= 0:
        return {"retention_days": 0, "cutoff": None, "conversations": 0, "messages": 0, "dry_run": dry_run}
    cutoff = (now or utcnow()) - timedelta(days=settings.retention_days)
    old = select(Conversation.id).where(Conversation.updated_at < cutoff)
    with db.session() as s:
        n_conv = s.scalar(select(func.count()).select_from(old.subquery())) or 0
        n_msg = s.scalar(select(func.count()).select_from(Message).where(Message.conversation_id.in_(old))) or 0
        if not dry_run and n_conv:
            s.execute(delete(Message).where(Message.conversation_id.in_(old)))
            s.execute(delete(Conversation).where(Conversation.updated_at < cutoff))
            audit.record(
                s,
                actor,
                "privacy.purge",
                "conversations",
                {"conversations": n_conv, "messages": n_msg, "cutoff": cutoff.isoformat()},
            )
        if not dry_run:
            sessions.purge_expired(s, settings, now)
    return {
        "retention_days": settings.retention_days,
        "cutoff": cutoff.isoformat(),
        "conversations": n_conv,
        "messages": n_msg,
        "dry_run": dry_run,
    }


async def schedule(job: Callable[[], object], interval: float, stop: asyncio.Event) -> None:
    """Run ``job`` in a worker thread now and then every ``interval`` seconds until ``stop``.
    A failing run is logged and the schedule goes on."""
    while not stop.is_set():
        try:
            await asyncio.to_thread(job)
        except Exception:  # noqa: BLE001 - one bad run must not end the schedule
            log.exception("scheduled retention purge failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            pass
