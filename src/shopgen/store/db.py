"""Engines, sessions and migrations.

``Database(url)`` owns one engine; ``db.session()`` is a context manager that commits on
success and rolls back on any error, so a failed import or edit writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from shopgen.core.errors import BackendError, ConfigError, Conflict

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


class Database:
    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
        except Exception as exc:  # sqlalchemy raises ArgumentError and ValueError
            raise ConfigError(f"invalid database URL {url!r}: {exc}") from exc
        if parsed.drivername == "postgresql":  # we ship psycopg 3, not psycopg2
            parsed = parsed.set(drivername="postgresql+psycopg")
        self.url = parsed
        kwargs: dict = {"pool_pre_ping": True}
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False}
        try:
            self.engine: Engine = create_engine(parsed, **kwargs)
        except ImportError as exc:
            raise BackendError(
                f"no driver for {parsed.drivername}: {exc}; install it with: pip install 'shopgen[postgres]'"
            ) from exc
        if parsed.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: commit on success, roll back on error; DB errors become ShopgenErrors."""
        s = self._factory()
        try:
            yield s
            s.commit()
        except IntegrityError as exc:
            s.rollback()
            raise Conflict(f"the change conflicts with existing data: {exc.orig}") from exc
        except OperationalError as exc:
            s.rollback()
            raise BackendError(f"database error: {exc.orig}") from exc
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def ping(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            raise BackendError(f"database {self.url.render_as_string(hide_password=True)} unreachable: {exc}") from exc

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (safe to call every start)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except OperationalError as exc:
            raise BackendError(f"database unreachable: {exc.orig}") from exc

    def dispose(self) -> None:
        self.engine.dispose()
