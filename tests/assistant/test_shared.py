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
