"""labelling: tasks of texts a person labels in the studio, with the model's suggestions

Revision ID: 0013_labelling
Revises: 0012_catalog_imports
Create Date: 2026-12-08 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_labelling"
down_revision = "0012_catalog_imports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "label_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "label_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("suggested", sa.JSON(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("final", sa.JSON(), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("labelled_by", sa.String(length=80), nullable=True),
        sa.Column("labelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["task_id"], ["label_tasks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_label_items_queue", "label_items", ["task_id", "labelled_at", "confidence"])


def downgrade() -> None:
    op.drop_index("ix_label_items_queue", table_name="label_items")
    op.drop_table("label_items")
    op.drop_table("label_tasks")
