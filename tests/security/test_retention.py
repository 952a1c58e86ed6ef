"""Retention deletes old conversations and their messages, and nothing else."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from shopgen.core.settings import Settings
from shopgen.security import audit, retention
from shopgen.server import create_app
from shopgen.store import catalog
from shopgen.store.models import AuditEntry, Conversation, KBEntry, Message, Order, Product, utcnow
from shopgen.store.schemas import ProductIn


def _conversation(s, cid: str, age_days: float, n_messages: int = 2) -> None:
    s.add(
        Conversation(
            id=cid, customer="张三", messages=[Message(role="user", content=f"消息{i}") for i in range(n_messages)]
        )
    )
    s.flush()
    s.execute(update(Conversation).where(Conversation.id == cid).values(updated_at=utcnow() - timedelta(days=age_days)))


def _fill(db) -> None:
    old = utcnow() - timedelta(days=400)
    with db.session() as s:
        _conversation(s, "old1", 200, 3)
        _conversation(s, "old2", 181, 1)
        _conversation(s, "recent", 179, 2)
        _conversation(s, "today", 0, 1)
        catalog.create(s, ProductIn(sku="KEEP-1", title="杯子", category="家居", price="9.90"))
        s.add(KBEntry(kind="faq", topic="发货", question="多久发货？", answer="48 小时内。"))
        s.add(
            Order(
                order_no="SG202401010001",
                customer_name="李四",
                phone="13812345678",
                address="杭州",
                status="done",
                total=Decimal("9.90"),
            )
        )
        s.flush()
        # everything else is old too: age alone must not delete it
        for model in (Product, KBEntry, Order):
            s.execute(update(model).values(updated_at=old))


def _counts(db) -> dict:
    with db.session() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m))
            for m in (Conversation, Message, Product, KBEntry, Order)
        }


def test_purge_deletes_what_it_should_and_nothing_else(db, tmp_path):
    settings = Settings(data_dir=tmp_path, retention_days=180)
    _fill(db)
    dry = retention.purge(db, settings, dry_run=True)
    assert (dry["conversations"], dry["messages"], dry["dry_run"]) == (2, 4, True)
    assert _counts(db)["conversations"] == 4  # a dry run deletes nothing

    out = retention.purge(db, settings)
    assert (out["conversations"], out["messages"]) == (2, 4)
    assert _counts(db) == {"conversations": 2, "messages": 3, "products": 1, "kb_entries": 1, "orders": 1}
    with db.session() as s:
        assert sorted(s.scalars(select(Conversation.id))) == ["recent", "today"]
        (entry,) = audit.query(s, action="privacy.purge")
        assert entry.actor == "system" and entry.detail["conversations"] == 2
    assert retention.purge(db, settings)["conversations"] == 0  # nothing left to do


def test_retention_zero_keeps_everything(db, tmp_path):
    _fill(db)
    out = retention.purge(db, Settings(data_dir=tmp_path, retention_days=0))
    assert out["conversations"] == 0 and _counts(db)["conversations"] == 4


def test_schedule_runs_the_job_repeatedly_and_survives_a_failure():
    calls = []

    def job():
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise RuntimeError("database briefly away")

    async def main():
        stop = asyncio.Event()
        task = asyncio.create_task(retention.schedule(job, 0.01, stop))
        while len(calls) < 3:
            await asyncio.sleep(0.005)
        stop.set()
        await task

    # a thread of its own: Playwright's sync API may already run a loop on the main thread
    failures = []
    runner = threading.Thread(target=lambda: failures.extend(_run(main)))
    runner.start()
    runner.join(10)
    assert failures == [] and len(calls) >= 3


def _run(main) -> list[BaseException]:
    try:
        asyncio.run(asyncio.wait_for(main(), 5))
    except BaseException as exc:  # noqa: BLE001 - reported to the test thread
        return [exc]
    return []


def test_the_running_service_purges_on_its_schedule(tmp_path):
    settings = Settings(
        data_dir=tmp_path, llm_backend="fake", embed_backend="fake", retention_days=30, retention_interval_seconds=0.05
    )
    app = create_app(settings)
    with app.state.db.session() as s:
        _conversation(s, "stale", 31)
        _conversation(s, "fresh", 1)
    with TestClient(app):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with app.state.db.session() as s:
                ids = sorted(s.scalars(select(Conversation.id)))
            if ids == ["fresh"]:
                break
            time.sleep(0.05)
        assert ids == ["fresh"]
        assert not app.state.retention_task.done()  # still scheduled
    assert app.state.retention_task.done()  # stopped with the app
    with app.state.db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "privacy.purge")) == 1


def test_a_new_message_keeps_a_conversation(db, tmp_path):
    with db.session() as s:
        _conversation(s, "revived", 200, 1)
    with db.session() as s:
        s.add(Message(conversation_id="revived", role="user", content="还在吗？"))
    out = retention.purge(db, Settings(data_dir=tmp_path, retention_days=180))
    assert out["conversations"] == 0 and _counts(db)["messages"] == 2
