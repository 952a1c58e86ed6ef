"""The event store: idempotent batched ingest, histories, versions (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shopgen.events import store
from shopgen.events.hub import EventHub
from shopgen.events.schema import EventIn
from shopgen.store.models import Event


def ev(user="u1", item="FZ-1001", type="view", ts="2026-11-01T10:00:00+08:00", **kw) -> EventIn:
    return EventIn(user=user, item=item, type=type, ts=ts, **kw)


def test_ingest_is_idempotent_by_id_and_by_content(db):
    batch = [ev(), ev(type="cart"), ev(id="e-1", item="MZ-2001"), ev()]  # the last repeats the first
    with db.session() as s:
        r = store.ingest(s, batch, batch=2)
    assert (r.received, r.inserted, r.duplicates) == (4, 3, 1)
    assert r.users == ("u1",) and r.items == ("FZ-1001", "MZ-2001")
    with db.session() as s:
        again = store.ingest(s, [ev(id="e-1", item="MZ-2001"), ev(type="cart")])
    assert (again.inserted, again.duplicates) == (0, 2)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 3


def test_history_newest_first_whatever_the_arrival_order(db):
    with db.session() as s:
        store.ingest(
            s, [ev(item="B", ts=1_700_000_200), ev(item="A", ts=1_700_000_100), ev(item="C", ts=1_700_000_300)]
        )
    with db.session() as s:
        assert [r.item for r in store.history(s, "u1")] == ["C", "B", "A"]
        assert [r.item for r in store.history(s, "u1", limit=1)] == ["C"]
        assert store.history(s, "nobody") == []
        assert store.known_user(s, "u1") and not store.known_user(s, "u2")
        assert store.known_item(s, "A") and not store.known_item(s, "Z")
        assert [r.item for r in store.rows(s)] == ["A", "B", "C"]
        assert store.shoppers(s) == [("u1", 3)]


def test_version_changes_only_when_something_is_stored(db):
    with db.session() as s:
        v0 = store.version(s)
        store.ingest(s, [ev()])
    with db.session() as s:
        v1 = store.version(s)
        store.ingest(s, [ev()])
    with db.session() as s:
        assert v0[0] == 0 and v1[0] == 1 and store.version(s) == v1


def test_times_are_stored_in_utc_and_epochs_accepted():
    assert ev(ts=0).ts.isoformat() == "1970-01-01T00:00:00+00:00"
    assert ev(ts="1700000000").ts.year == 2023
    assert ev(ts="2026-11-01T10:00:00").ts.utcoffset().total_seconds() == 0
    with pytest.raises(ValueError, match="type"):
        ev(type="like")


def test_hub_tells_subscribers_and_survives_a_broken_one():
    hub, seen = EventHub(), []

    def broken(_):
        raise RuntimeError("consumer bug")

    hub.subscribe(broken)
    hub.subscribe(seen.append)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("shopgen.events.hub.log.exception", lambda *a, **k: None)
        from shopgen.events.hub import Ingested

        hub.publish(Ingested(1, 1, 0))
    assert len(seen) == 1
