"""kb_synonyms: the shop's synonym groups for knowledge search, edited in the studio

Revision ID: 0015_kb_synonyms
Revises: 0014_label_holds
Create Date: 2026-12-07 16:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_kb_synonyms"
down_revision = "0014_label_holds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_synonyms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("words", sa.JSON(), nullable=False),
        sa.Column("key", sa.String(length=700), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", name="uq_kb_synonyms_key"),
    )


def downgrade() -> None:
    op.drop_table("kb_synonyms")
