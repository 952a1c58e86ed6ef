"""faq candidates: question-answer pairs mined from conversations that agents resolved

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 01:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "faq_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("source_message_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("kb_entry_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_message_id"),
    )
    op.create_index("ix_faq_candidates_conversation_id", "faq_candidates", ["conversation_id"])
    op.create_index("ix_faq_candidates_status", "faq_candidates", ["status"])


def downgrade() -> None:
    op.drop_index("ix_faq_candidates_status", table_name="faq_candidates")
    op.drop_index("ix_faq_candidates_conversation_id", table_name="faq_candidates")
    op.drop_table("faq_candidates")
