"""The app's one knowledge index: rebuilt when the knowledge changes, but not batch by batch
while a catalog import is writing."""

from datetime import UTC, datetime, timedelta

from shopgen.assistant.shared import SharedIndex
from shopgen.models.embed.fake import FakeEmbedder
from shopgen.store import catalog
from shopgen.store.models import CatalogImport

from ..store.factories import tshirt


def _add(db, sku: str) -> None:
    with db.session() as s:
        catalog.create(s, catalog.parse(catalog.ProductIn, tshirt(sku, title=f"商品{sku}")))


def _import_row(db, beat: datetime, status: str = "running") -> None:
    with db.session() as s:
        s.add(CatalogImport(id=beat.strftime("%H%M%S%f"), status=status, source="t", total=1, done=0, owner="x"))
        s.flush()
        s.get(CatalogImport, beat.strftime("%H%M%S%f")).updated_at = beat


def test_a_change_rebuilds_on_the_next_use(sqlite_db, tmp_path):
    shared = SharedIndex(sqlite_db, FakeEmbedder, tmp_path)
    _add(sqlite_db, "A-1")
    assert "product:A-1" in shared.get().docs and shared.builds == 1
    shared.get()
    assert shared.builds == 1
    _add(sqlite_db, "A-2")
    assert "product:A-2" in shared.get().docs and shared.builds == 2


def test_a_running_import_keeps_the_built_index_until_it_ends(sqlite_db, tmp_path):
    shared = SharedIndex(sqlite_db, FakeEmbedder, tmp_path)
    _add(sqlite_db, "B-1")
    shared.get()
    _import_row(sqlite_db, datetime.now(UTC))
    _add(sqlite_db, "B-2")  # a batch the import wrote
    assert "product:B-2" not in shared.get().docs and shared.builds == 1
    with sqlite_db.session() as s:
        s.query(CatalogImport).update({"status": "done"})
    assert "product:B-2" in shared.get().docs and shared.builds == 2


def test_a_silent_import_does_not_hold_the_index(sqlite_db, tmp_path):
    shared = SharedIndex(sqlite_db, FakeEmbedder, tmp_path)
    shared.get()
    _import_row(sqlite_db, datetime.now(UTC) - timedelta(minutes=5))  # killed: no heartbeat since
    _add(sqlite_db, "C-1")
    assert "product:C-1" in shared.get().docs


def test_a_large_catalog_change_is_embedded_in_the_background(sqlite_db, tmp_path, monkeypatch):
    from shopgen.assistant import shared as module

    monkeypatch.setattr(module, "BACKGROUND_AFTER", 2)
    shared = SharedIndex(sqlite_db, FakeEmbedder, tmp_path)
    _add(sqlite_db, "D-1")
    first = shared.get()
    for i in range(3):  # more than BACKGROUND_AFTER products at once: an import
        _add(sqlite_db, f"E-{i}")
    during = shared.get()  # answers at once with the index it has
    shared.wait(30)
    after = shared.get()
    assert during is first or "product:E-2" in during.docs
    assert "product:E-2" in after.docs and shared.builds == 2
    _add(sqlite_db, "F-1")  # a small change is in the very next turn
    assert "product:F-1" in shared.get().docs


def test_a_knowledge_base_change_is_in_the_next_turn_whatever_else_changed(sqlite_db, tmp_path, monkeypatch):
    from shopgen.assistant import kb
    from shopgen.assistant import shared as module

    monkeypatch.setattr(module, "BACKGROUND_AFTER", 0)
    shared = SharedIndex(sqlite_db, FakeEmbedder, tmp_path)
    shared.get()
    _add(sqlite_db, "G-1")
    kb.import_entries(
        sqlite_db, [{"kind": "faq", "topic": "发票", "question": "可以开发票吗？", "answer": "可以。"}], "test"
    )
    assert any(d.kind == "faq" for d in shared.get().docs.values())
