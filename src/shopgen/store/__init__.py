"""SQLAlchemy 2 models and repositories: catalog, knowledge base, conversations, orders.

SQLite by default, PostgreSQL by URL; the schema is owned by Alembic migrations in
``shopgen/store/migrations``.
"""
