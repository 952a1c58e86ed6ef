"""Alembic environment: run with the connection that ``Database.migrate`` hands in."""

from alembic import context

from shopgen.store.models import Base

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - shopgen always passes one
    raise RuntimeError("run migrations through shopgen.store.db.Database.migrate()")

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
