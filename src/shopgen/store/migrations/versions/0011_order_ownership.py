"""order ownership: orders and sessions know their customer; shopper keys get a signing secret

Revision ID: 0011_order_ownership
Revises: 0007_events
Create Date: 2026-12-06 16:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_order_ownership"
down_revision = "0007_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as t:
        t.add_column(sa.Column("customer_id", sa.String(length=64), nullable=True))
        t.create_index("ix_orders_customer_id", ["customer_id"])
        t.add_column(sa.Column("verify_failures", sa.Integer(), nullable=False, server_default="0"))
        t.add_column(sa.Column("verify_locked_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("api_keys") as t:
        t.add_column(sa.Column("signing_secret", sa.String(length=64), nullable=True))
    with op.batch_alter_table("conversations") as t:
        # the customer a storefront vouched for (a verified token), unlike the free-text ``customer``
        t.add_column(sa.Column("customer_id", sa.String(length=64), nullable=True))
        # order verification: orders this session proved it may see, a pending one, failed tries
        t.add_column(sa.Column("state", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as t:
        t.drop_column("state")
        t.drop_column("customer_id")
    with op.batch_alter_table("api_keys") as t:
        t.drop_column("signing_secret")
    with op.batch_alter_table("orders") as t:
        t.drop_column("verify_locked_until")
        t.drop_column("verify_failures")
        t.drop_index("ix_orders_customer_id")
        t.drop_column("customer_id")
