"""copy drafts: generated product copy waiting for an operator's review

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 09:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "copy_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("audience", sa.String(length=64), nullable=True),
        sa.Column("tone", sa.String(length=64), nullable=True),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("issues", sa.JSON(), nullable=False),
        sa.Column("compliance", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("model", sa.String(length=80), nullable=False),
        sa.Column("job_id", sa.String(length=32), nullable=True),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_copy_drafts_product_id", "copy_drafts", ["product_id"])
    op.create_index("ix_copy_drafts_status", "copy_drafts", ["status"])
    op.create_index("ix_copy_drafts_job_id", "copy_drafts", ["job_id"])


def downgrade() -> None:
    op.drop_index("ix_copy_drafts_job_id", table_name="copy_drafts")
    op.drop_index("ix_copy_drafts_status", table_name="copy_drafts")
    op.drop_index("ix_copy_drafts_product_id", table_name="copy_drafts")
    op.drop_table("copy_drafts")
