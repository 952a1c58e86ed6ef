"""catalog imports in short batches: the import's row and the undo journal of a running one

Revision ID: 0012_catalog_imports
Revises: 0008_inventory
Create Date: 2026-12-06 20:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_catalog_imports"
down_revision = "0008_inventory"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalog_imports",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_catalog_imports_status", "catalog_imports", ["status"])
    op.create_table(
        "catalog_import_undo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_catalog_import_undo_import_id", "catalog_import_undo", ["import_id"])


def downgrade() -> None:
    op.drop_index("ix_catalog_import_undo_import_id", table_name="catalog_import_undo")
    op.drop_table("catalog_import_undo")
    op.drop_index("ix_catalog_imports_status", table_name="catalog_imports")
    op.drop_table("catalog_imports")
