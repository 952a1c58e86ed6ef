"""A small shop with behaviour: the demo catalog plus seeded events in two taste groups."""

from __future__ import annotations

import pytest

from shopgen.demo import loader
from shopgen.events import store as events
from shopgen.events.schema import EventIn
from shopgen.models.embed.fake import FakeEmbedder
from shopgen.recommend.service import RecommendService
from shopgen.store import importer

# shoppers of clothes view these together; beauty shoppers the others
CLOTHES = ["FZ-1001", "FZ-1003", "FZ-1008", "FZ-1010"]
BEAUTY = ["MZ-2001", "MZ-2004", "MZ-2005", "MZ-2006"]


def shop_events() -> list[EventIn]:
    out = []
    for n in range(12):
        group = CLOTHES if n % 2 == 0 else BEAUTY
        for j, sku in enumerate(group):
            kind = "purchase" if j == n % 4 else "view"
            out.append(EventIn(user=f"s{n:02d}", item=sku, type=kind, ts=1_762_000_000 + 100 * n + j))
    out.append(EventIn(user="window-shopper", item="FZ-1001", type="impression", ts=1_762_100_000, surface="recommend"))
    return out


def load_catalog(db) -> None:
    """The demo catalog only (the demo's own behaviour would drown these few shoppers)."""
    importer.import_file(db, loader.DATA / "products.jsonl")


@pytest.fixture
def shop(db):
    """SQLite and PostgreSQL, like the rest of the store."""
    load_catalog(db)
    with db.session() as s:
        events.ingest(s, shop_events())
    return db


@pytest.fixture
def service(shop, tmp_path):
    emb = FakeEmbedder()
    return RecommendService(shop, tmp_path / "recommend", embedder=lambda: emb, retrain_seconds=3600)
