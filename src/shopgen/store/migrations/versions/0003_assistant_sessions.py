"""assistant sessions: who owns a conversation (the shopper key or studio user) and which agent holds it

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 23:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("agent", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("agent")
        batch_op.drop_column("owner")
