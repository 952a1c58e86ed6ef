"""pgvector: the shared vector table and its HNSW index, on PostgreSQL with the extension

On SQLite, and on a PostgreSQL where the ``vector`` extension is not available or may not be
created by this user, nothing happens: dense retrieval then runs in-process, and once an
administrator has run ``CREATE EXTENSION vector`` the table is created on first use
(``shopgen.search.pgvector``, whose DDL this copies: a migration must not import app code).

Revision ID: 0009_pgvector
Revises: 0011_order_ownership
Create Date: 2026-12-06 16:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_pgvector"
down_revision = "0011_order_ownership"
branch_labels = None
depends_on = None

CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS vector_entries (
    collection varchar(64) NOT NULL,
    doc_id varchar(255) NOT NULL,
    model varchar(128) NOT NULL,
    dim integer NOT NULL,
    content_hash varchar(64) NOT NULL,
    embedding vector NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (collection, doc_id)
)"""
# e5 (multilingual-e5-small), the embedded default, has 384 dimensions; other dimensions get
# their own partial index on first write
CREATE_HNSW_384 = (
    "CREATE INDEX IF NOT EXISTS ix_vector_entries_hnsw_384 ON vector_entries "
    "USING hnsw ((embedding::vector(384)) vector_cosine_ops) WITH (m = 16, ef_construction = 64) WHERE dim = 384"
)


def _extension(bind) -> bool:
    if bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'vector'")).first():
        return True
    if not bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).first():
        return False
    try:
        with bind.begin_nested():  # a failure must not abort the migration's transaction
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS vector"))
    except sa.exc.DBAPIError:
        return False  # not a superuser: an administrator runs CREATE EXTENSION vector
    return True


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not _extension(bind):
        return
    bind.execute(sa.text(CREATE_TABLE))
    bind.execute(sa.text(CREATE_HNSW_384))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text("DROP TABLE IF EXISTS vector_entries"))
