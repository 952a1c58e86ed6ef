"""labelling: an item handed to one person is held for them a while, so two people labelling the
same task are not shown the same text; a task remembers how many labels its suggestions learnt from

Revision ID: 0014_label_holds
Revises: 0013_labelling
Create Date: 2026-12-07 10:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_label_holds"
down_revision = "0013_labelling"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("label_items") as batch:
        batch.add_column(sa.Column("held_by", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("held_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("label_tasks") as batch:
        batch.add_column(sa.Column("learned_n", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("label_tasks") as batch:
        batch.drop_column("learned_n")
    with op.batch_alter_table("label_items") as batch:
        batch.drop_column("held_until")
        batch.drop_column("held_by")
