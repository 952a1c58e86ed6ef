"""pgvector as the assistant's dense retrieval: selection, the missing-extension error, several
processes sharing one index, and the same results as the in-process search with real e5."""

from __future__ import annotations

import logging
import threading

import pytest
from sqlalchemy import text

from shopgen.assistant.index import COLLECTION, KnowledgeIndex, load_docs
from shopgen.core.errors import BackendError, ConfigError
from shopgen.core.settings import Settings
from shopgen.demo.loader import DATA, load_demo
from shopgen.models.embed import create_embedder
from shopgen.search.inprocess import InProcessStore
from shopgen.search.pgvector import PgVectorStore
from shopgen.search.vectors import open_store, resolve_backend, store_opener, sync
from shopgen.store.db import Database
from tests.search.test_vector_stores import DOCS, CountingEmbedder

pgvector = pytest.mark.pgvector


def test_auto_is_inprocess_on_sqlite_and_explicit_pgvector_there_is_refused(sqlite_db, tmp_path):
    assert resolve_backend("auto", sqlite_db) == "inprocess"
    s = Settings(data_dir=tmp_path, vector_backend="pgvector")
    store = open_store(s, sqlite_db, tmp_path, "kb", "m")  # opening is cheap; the first use checks
    with pytest.raises(ConfigError, match="needs PostgreSQL"):
        store.nearest([1.0, 0.0], 1)
    with pytest.raises(ConfigError, match="unknown vector store backend 'faiss'; valid: auto, inprocess, pgvector"):
        resolve_backend("faiss", sqlite_db)


@pytest.mark.postgres
def test_plain_postgresql_migrates_and_pgvector_names_create_extension(pg_db, tmp_path, caplog):
    """The suite's PostgreSQL has no pgvector: the migration skips the table, auto stays in-process
    with a warning, and pgvector asked for by name fails with the fix."""
    with pg_db.engine.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).first():
            pytest.skip("this PostgreSQL has pgvector available")
        assert conn.execute(text("SELECT to_regclass('vector_entries')")).scalar() is None
    with caplog.at_level(logging.WARNING, logger="shopgen.search.vectors"):
        assert resolve_backend("auto", pg_db) == "inprocess"
    assert "CREATE EXTENSION vector" in caplog.text
    store = open_store(Settings(data_dir=tmp_path, vector_backend="pgvector"), pg_db, tmp_path, "kb", "m")
    with pytest.raises(BackendError, match="CREATE EXTENSION vector"):
        store.nearest([1.0, 0.0], 1)


@pgvector
def test_the_migration_creates_the_table_and_hnsw_index(pgvector_db):
    with pgvector_db.engine.connect() as conn:
        indexes = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE tablename = 'vector_entries'")).scalars()
        hnsw = [i for i in indexes if "hnsw" in i]
    assert len(hnsw) == 1 and "vector(384)" in hnsw[0] and "vector_cosine_ops" in hnsw[0]
    assert resolve_backend("auto", pgvector_db) == "pgvector"


@pgvector
def test_the_table_is_created_on_first_use_when_the_extension_came_later(pgvector_db):
    with pgvector_db.engine.begin() as conn:
        conn.execute(text("DROP TABLE vector_entries"))
    store = PgVectorStore(pgvector_db, "kb", "m")
    assert sync(store, DOCS, CountingEmbedder())["embedded"] == 5 and store.count() == 5


@pgvector
def test_processes_sharing_the_index_embed_each_change_once(pgvector_server, pgvector_db):
    """Four 'processes' (engines of their own, so sessions of their own) sync the same catalog at once."""
    url = pgvector_db.url.render_as_string(hide_password=False)
    embedders = [CountingEmbedder() for _ in range(4)]
    dbs = [Database(url) for _ in embedders]
    results = [None] * 4

    def run(i):
        results[i] = sync(PgVectorStore(dbs[i], "kb", embedders[i].model), DOCS, embedders[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(e.passages) for e in embedders) == [0, 0, 0, 5]
    assert sorted(r["embedded"] for r in results) == [0, 0, 0, 5]
    for db in dbs:
        db.dispose()


@pgvector
def test_the_assistant_index_searches_through_pgvector(pgvector_db, tmp_path):
    load_demo(pgvector_db)
    settings = Settings(data_dir=tmp_path, embed_backend="fake", vector_backend="auto")
    emb = create_embedder(settings)
    vectors = store_opener(settings, pgvector_db, tmp_path, COLLECTION)
    index = KnowledgeIndex(load_docs(pgvector_db), emb, tmp_path, vectors)
    local = KnowledgeIndex(load_docs(pgvector_db), emb, tmp_path)
    assert isinstance(index.dense().store, PgVectorStore) and isinstance(local.dense().store, InProcessStore)
    assert index.synced["embedded"] == len(index.docs)
    for q in ("怎么退货", "羽绒服有哪些颜色", "发票"):
        assert index.search(q, "dense", 5) == local.search(q, "dense", 5)
        assert index.search(q, "hybrid", 5) == local.search(q, "hybrid", 5)
    again = KnowledgeIndex(load_docs(pgvector_db), emb, tmp_path, vectors)
    again.dense()
    assert again.synced == {"embedded": 0, "deleted": 0, "kept": len(index.docs)}


def _demo_queries() -> list[str]:
    import json

    faq = [json.loads(line)["question"] for line in (DATA / "kb.jsonl").read_text().splitlines() if line.strip()]
    comments = [json.loads(line) for line in (DATA / "live_comments.jsonl").read_text().splitlines() if line.strip()]
    return faq + [c["text"] for c in comments[:240]]


@pgvector
def test_pgvector_top10_equals_in_process_with_real_e5(pgvector_db, tmp_path):
    """Same top 10 (as a set) on at least 95% of queries: the demo shop's FAQ and products, real e5,
    the HNSW index forced (no sequential scan), queries = the FAQ questions and 240 live comments."""
    load_demo(pgvector_db)
    with pgvector_db.engine.begin() as conn:
        conn.execute(text(f'ALTER DATABASE "{pgvector_db.url.database}" SET enable_seqscan = off'))
    pgvector_db.engine.dispose()  # new connections pick the setting up
    emb = create_embedder(Settings(data_dir=tmp_path))
    docs = [(d.id, d.text) for d in load_docs(pgvector_db)]
    exact, hnsw = InProcessStore(), PgVectorStore(pgvector_db, "kb", emb.model)
    sync(exact, docs, emb)
    hnsw.upsert(list(exact.hashes()), list(exact.hashes().values()), exact.matrix)
    queries = _demo_queries()
    vectors = emb.embed_queries(queries)
    assert "ix_vector_entries_hnsw_384" in hnsw.explain(vectors[0], 10)
    same = sum({h.id for h in exact.nearest(v, 10)} == {h.id for h in hnsw.nearest(v, 10)} for v in vectors)
    assert len(queries) >= 280 and same / len(queries) >= 0.95
