"""The event repository. Functions take an open ``Session`` (see ``Database.session``); nothing
here commits, so an import that fails on line 90,000 rolls back the 89,999 before it.

Ingest is idempotent by event id: ids already stored, or repeated inside one batch, are counted
as ``duplicates`` and skipped, and the insert itself ignores a conflicting id, so two senders
racing with the same event store it once. Out-of-order events are fine: nothing depends on
arrival order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from shopgen.events.hub import Ingested
from shopgen.events.schema import EventIn
from shopgen.store.models import Event, utcnow

BATCH = 1000


@dataclass(frozen=True)
class Row:
    """An event as read back: what training and analysis need, without ORM objects."""

    user: str
    item: str
    type: str
    ts: datetime
    value: float | None = None
    surface: str | None = None
    context: dict | None = None


def _insert(s: Session):
    """An INSERT that skips ids already present, in the dialect's own words."""
    name = s.get_bind().dialect.name
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    elif name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:  # other databases: the pre-check below already filtered; a race raises Conflict
        return insert(Event)
    return dialect_insert(Event).on_conflict_do_nothing(index_elements=["id"])


class Ingest:
    """Batched ingest inside one session: ``add`` events as they are parsed, ``result()`` at the end."""

    def __init__(self, s: Session, batch: int = BATCH, source: str = "") -> None:
        self.s, self.batch, self.source = s, batch, source
        self.pending: dict[str, dict] = {}
        self.received = self.inserted = 0
        self.users: set[str] = set()
        self.items: set[str] = set()

    def add(self, e: EventIn) -> None:
        self.received += 1
        key = e.key()
        if key in self.pending:
            return
        self.pending[key] = {
            "id": key,
            "user_id": e.user,
            "item_id": e.item,
            "type": e.type,
            "ts": e.ts,
            "surface": e.surface,
            "value": e.value,
            "context": e.context,
            "ingested_at": utcnow(),
        }
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        stored = set(self.s.scalars(select(Event.id).where(Event.id.in_(list(self.pending)))))
        rows = [r for k, r in self.pending.items() if k not in stored]
        if rows:
            self.s.execute(_insert(self.s), rows)
            self.inserted += len(rows)
            self.users.update(r["user_id"] for r in rows)
            self.items.update(r["item_id"] for r in rows)
        self.pending.clear()

    def result(self) -> Ingested:
        self.flush()
        return Ingested(
            received=self.received,
            inserted=self.inserted,
            duplicates=self.received - self.inserted,
            users=tuple(sorted(self.users)),
            items=tuple(sorted(self.items)),
            source=self.source,
        )


def ingest(s: Session, events: Iterable[EventIn], batch: int = BATCH, source: str = "") -> Ingested:
    """Store ``events`` (idempotently) in batches of ``batch``; returns what was stored."""
    job = Ingest(s, batch, source)
    for e in events:
        job.add(e)
    return job.result()


_COLUMNS = (Event.user_id, Event.item_id, Event.type, Event.ts, Event.value, Event.surface, Event.context)


def history(s: Session, user: str, limit: int = 100, types: Iterable[str] | None = None) -> list[Row]:
    """A shopper's latest events, newest first."""
    stmt = select(*_COLUMNS).where(Event.user_id == user)  # plain rows: no ORM objects on the serving path
    if types is not None:
        stmt = stmt.where(Event.type.in_(list(types)))
    return [Row(*r) for r in s.execute(stmt.order_by(Event.ts.desc(), Event.id.desc()).limit(limit))]


def known_user(s: Session, user: str) -> bool:
    return s.scalar(select(Event.id).where(Event.user_id == user).limit(1)) is not None


def known_item(s: Session, item: str) -> bool:
    return s.scalar(select(Event.id).where(Event.item_id == item).limit(1)) is not None


def version(s: Session) -> tuple[int, str]:
    """Changes whenever an event is stored: (count, latest ingest time)."""
    n, last = s.execute(select(func.count(), func.max(Event.ingested_at))).one()
    return int(n or 0), str(last or "")


def rows(s: Session, types: Iterable[str] | None = None, chunk: int = 20_000) -> Iterator[Row]:
    """Every event, oldest first, streamed in chunks."""
    stmt = select(*_COLUMNS)
    if types is not None:
        stmt = stmt.where(Event.type.in_(list(types)))
    for r in s.execute(stmt.order_by(Event.ts, Event.id).execution_options(yield_per=chunk)):
        yield Row(*r)


def shoppers(s: Session, limit: int = 200) -> list[tuple[str, int]]:
    """The shoppers with the most events: ``[(user, events)]``."""
    stmt = (
        select(Event.user_id, func.count().label("n"))
        .group_by(Event.user_id)
        .order_by(func.count().desc(), Event.user_id)
        .limit(limit)
    )
    return [(u, int(n)) for u, n in s.execute(stmt)]
