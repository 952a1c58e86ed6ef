"""The contract every vector store backend must pass: one class, run against each backend."""

from __future__ import annotations

import numpy as np
import pytest

from shopgen.core.errors import InvalidInput
from shopgen.models.embed.fake import FakeEmbedder
from shopgen.search.dense import DenseIndex
from shopgen.search.inprocess import InProcessStore, store_path
from shopgen.search.vectors import sync

DOCS = [
    ("d1", "花呗怎么还款"),
    ("d2", "借呗可以提前还款吗"),
    ("d3", "七天无理由退货怎么申请"),
    ("d4", "发货后多久能到"),
    ("d5", "花呗额度为什么降低了"),
]


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, counting the passages it embeds; ``dim`` may be changed."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.passages: list[str] = []

    def embed_passages(self, texts):
        self.passages.extend(texts)
        return self._embed(texts)


def unit_rows(n: int, dim: int, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.fixture(params=["inprocess", pytest.param("pgvector", marks=pytest.mark.pgvector)])
def open_store(request, tmp_path):
    """``open(collection, model)`` on one backend; opening twice reaches the same stored rows."""
    if request.param == "inprocess":
        return lambda collection, model="m": InProcessStore(store_path(tmp_path, collection, model))
    from shopgen.search.pgvector import PgVectorStore

    db = request.getfixturevalue("pgvector_db")
    return lambda collection, model="m": PgVectorStore(db, collection, model)


class TestVectorStoreContract:
    def test_an_empty_store_finds_nothing(self, open_store):
        store = open_store("c")
        assert store.count() == 0 and store.hashes() == {}
        assert store.nearest(unit_rows(1, 8)[0], 5) == []

    def test_nearest_is_cosine_order_with_cosine_scores(self, open_store):
        store = open_store("c")
        rows = unit_rows(300, 16)
        ids = [f"r{i}" for i in range(300)]
        store.upsert(ids, ["h"] * 300, rows)
        assert store.count() == 300
        for q in unit_rows(5, 16, seed=1):
            exact = np.argsort(-(rows @ q), kind="stable")[:10]
            hits = store.nearest(q, 10)
            assert [h.id for h in hits] == [ids[i] for i in exact]
            assert [h.score for h in hits] == pytest.approx([float(rows[i] @ q) for i in exact], abs=1e-5)
        assert len(store.nearest(rows[0], 1000)) == 300

    def test_upsert_replaces_by_id_and_delete_removes(self, open_store):
        store = open_store("c")
        rows = unit_rows(3, 8)
        store.upsert(["a", "b", "c"], ["ha", "hb", "hc"], rows)
        store.upsert(["a"], ["ha2"], rows[1:2])
        assert store.hashes() == {"a": "ha2", "b": "hb", "c": "hc"}
        assert {h.id for h in store.nearest(rows[1], 2)} == {"a", "b"}
        store.delete(["b", "missing"])
        assert store.hashes() == {"a": "ha2", "c": "hc"} and store.count() == 2
        store.delete([])
        assert store.count() == 2

    def test_upsert_refuses_rows_that_do_not_match_the_ids(self, open_store):
        with pytest.raises(InvalidInput, match="expected 2 ids, hashes and vector rows, got 1 rows"):
            open_store("c").upsert(["a", "b"], ["ha", "hb"], unit_rows(1, 8))

    def test_rows_persist_and_collections_are_separate(self, open_store):
        rows = unit_rows(2, 8)
        open_store("one").upsert(["a", "b"], ["ha", "hb"], rows)
        open_store("two").upsert(["z"], ["hz"], rows[:1])
        again = open_store("one")
        assert again.hashes() == {"a": "ha", "b": "hb"}
        assert [h.id for h in again.nearest(rows[1], 5)] == ["b", "a"]
        assert [h.id for h in open_store("two").nearest(rows[1], 5)] == ["z"]

    def test_a_query_of_another_dimension_is_refused(self, open_store):
        store = open_store("c")
        store.upsert(["a"], ["h"], unit_rows(1, 8))
        with pytest.raises(InvalidInput, match="4 dimensions; the index holds 8"):
            store.nearest(unit_rows(1, 4)[0], 3)

    def test_sync_embeds_only_what_changed(self, open_store):
        emb = CountingEmbedder()
        store = open_store("kb", emb.model)
        assert sync(store, DOCS, emb) == {"embedded": 5, "deleted": 0, "kept": 0}
        assert sync(open_store("kb", emb.model), DOCS, emb) == {"embedded": 0, "deleted": 0, "kept": 5}
        changed = [*DOCS[:3], ("d4", "发货后三天内送达"), ("d6", "能开发票吗")]
        emb.passages.clear()
        assert sync(store, changed, emb) == {"embedded": 2, "deleted": 1, "kept": 3}
        assert emb.passages == ["发货后三天内送达", "能开发票吗"]
        dense = DenseIndex(store, emb)
        assert dense.search("能开发票吗", 1)[0].id == "d6"
        assert dense.search("花呗还款", 1)[0].id == "d1"

    def test_a_new_dimension_re_embeds_everything(self, open_store):
        small = CountingEmbedder(dim=32)
        store = open_store("kb", small.model)
        sync(store, DOCS, CountingEmbedder(dim=64))
        assert sync(store, DOCS, small) == {"embedded": 5, "deleted": 0, "kept": 0}
        assert store.count() == 5
        assert DenseIndex(store, small).search("发货后多久能到", 1)[0].id == "d4"
        with pytest.raises(InvalidInput, match="64 dimensions; the index holds 32"):
            store.nearest(unit_rows(1, 64)[0], 1)

    def test_sync_refuses_a_repeated_id(self, open_store):
        with pytest.raises(InvalidInput, match="'d1' appears twice"):
            sync(open_store("kb"), [*DOCS, ("d1", "again")], CountingEmbedder())
