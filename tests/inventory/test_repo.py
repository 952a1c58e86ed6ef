"""Sales, calendar and approvals in the shop database (SQLite and PostgreSQL)."""

from datetime import date

import pytest
from sqlalchemy import func, select

from shopgen.core.errors import ImportFailed, InvalidInput
from shopgen.demo.loader import load_demo
from shopgen.inventory import history, repo
from shopgen.security import audit
from shopgen.security.principal import CLI
from shopgen.store.models import SalesDay


def test_import_replaces_days_and_a_bad_file_writes_nothing(db, tmp_path):
    good = tmp_path / "s.csv"
    good.write_text("sku,date,quantity\nA,2026-01-01,3\nA,2026-01-02,-1\n", encoding="utf-8")
    with db.session() as s:
        assert repo.save_sales(s, history.read_file(good).rows) == {"inserted": 2, "replaced": 0}
    good.write_text("sku,date,quantity\nA,2026-01-01,5\n", encoding="utf-8")
    with db.session() as s:
        assert repo.save_sales(s, history.read_file(good).rows) == {"inserted": 0, "replaced": 1}
        rows = repo.history(s)
    assert [(r.day, r.quantity, r.returns) for r in rows] == [
        (date(2026, 1, 1), 5.0, 0.0),
        (date(2026, 1, 2), 0.0, 1.0),
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,date,quantity\nB,2026-01-01,1\nB,yesterday,1\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="bad.csv line 3: date 'yesterday'"):
        history.read_file(bad)
    with db.session() as s:
        assert s.scalar(select(func.count(SalesDay.id))) == 2


def test_calendar_entries_are_validated(db):
    with pytest.raises(InvalidInput, match="a live event needs the products on stage"):
        repo.parse_entry({"kind": "live", "name": "直播", "start": "2026-12-01"})
    with pytest.raises(InvalidInput, match="end is before start"):
        repo.parse_entry({"kind": "promotion", "name": "促销", "start": "2026-12-02", "end": "2026-12-01"})
    with pytest.raises(InvalidInput, match="^start: "):
        repo.parse_entry({"kind": "promotion", "name": "促销", "start": "12/40"})
    with db.session() as s:
        e = repo.add_entry(
            s,
            repo.parse_entry(
                {"kind": "live", "name": "直播", "start": "2026-12-01", "skus": ["A", "A"], "room": "1号间"}
            ),
        )
    with db.session() as s:
        (got,) = repo.calendar(s).entries
    assert (got.id, got.skus, got.end, got.room) == (e.id, ("A",), date(2026, 12, 1), "1号间")


def test_sync_orders_and_demo_history(db):
    with db.session() as s:
        from shopgen.demo import loader

        loader._load_orders(s)
        out = repo.sync_orders(s)
    assert out["days"] > 0 and out["skipped"] == 0
    with db.session() as s:
        sold = {(r.sku, r.day): r for r in repo.history(s)}
    # SG202611010001: FZ-1005 ×1 on 2026-11-01 (Beijing), delivered
    assert sold[("FZ-1005", date(2026, 11, 1))].quantity >= 1
    counts = load_demo(db)
    assert counts["sales_days"] > 30_000 and counts["calendar_entries"] == 13
    with db.session() as s:
        summary = repo.summary(s)
        assert summary["skus"] == 51 and summary["last"] == "2026-11-11"
        assert len(repo.calendar(s).of_kind("live")) == 7
        assert repo.stock_by_sku(s)["MZ-2009"] == 68


def test_approve_raises_on_order_and_is_audited(db):
    with db.session() as s:
        po = repo.approve(s, "A", 40, {"order_qty": 36}, CLI.actor, "按包装取整")
        audit.record(s, CLI, "inventory.edit_approve", "sku:A", {"quantity": 40})
    with db.session() as s:
        assert repo.items(s)["A"].on_order == 40
        (row,) = repo.purchase_orders(s)
        assert (row["id"], row["quantity"], row["suggested"], row["decided_by"]) == (po.id, 40, 36, "cli")
        assert audit.query(s, action="inventory.")[0].target == "sku:A"
