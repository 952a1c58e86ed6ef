from sqlalchemy import inspect

from shopgen.store.models import Base


def test_migrations_build_the_whole_model_and_are_idempotent(db):
    db.migrate()  # second run: nothing to do, no error
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
