"""inventory: sales history, the shop's calendar, purchasing parameters and approved orders

Revision ID: 0008_inventory
Revises: 0009_pgvector
Create Date: 2026-12-06 16:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_inventory"
down_revision = "0009_pgvector"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "inventory_sales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("returns", sa.Float(), nullable=False),
        sa.Column("price", sa.Float(), nullable=True),
        sa.Column("promo", sa.Boolean(), nullable=False),
        sa.Column("holiday", sa.Boolean(), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sku", "day"),
    )
    op.create_index("ix_inventory_sales_sku", "inventory_sales", ["sku"])
    op.create_index("ix_inventory_sales_day", "inventory_sales", ["day"])
    op.create_table(
        "inventory_calendar",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("skus", sa.JSON(), nullable=False),
        sa.Column("price", sa.Float(), nullable=True),
        sa.Column("discount", sa.Float(), nullable=True),
        sa.Column("room", sa.String(length=64), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_inventory_calendar_kind", "inventory_calendar", ["kind"])
    op.create_table(
        "inventory_items",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("review_days", sa.Integer(), nullable=False),
        sa.Column("service_level", sa.Float(), nullable=False),
        sa.Column("moq", sa.Integer(), nullable=False),
        sa.Column("pack_size", sa.Integer(), nullable=False),
        sa.Column("on_order", sa.Integer(), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("sku"),
    )
    op.create_table(
        "inventory_purchase_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("suggested", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("suggestion", sa.JSON(), nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_inventory_purchase_orders_sku", "inventory_purchase_orders", ["sku"])
    op.create_index("ix_inventory_purchase_orders_status", "inventory_purchase_orders", ["status"])


def downgrade() -> None:
    op.drop_table("inventory_purchase_orders")
    op.drop_table("inventory_items")
    op.drop_index("ix_inventory_calendar_kind", table_name="inventory_calendar")
    op.drop_table("inventory_calendar")
    op.drop_index("ix_inventory_sales_day", table_name="inventory_sales")
    op.drop_index("ix_inventory_sales_sku", table_name="inventory_sales")
    op.drop_table("inventory_sales")
