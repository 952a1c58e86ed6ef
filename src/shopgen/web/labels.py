"""Chinese labels for the codes stored in the database (status values, kinds)."""

from __future__ import annotations

PRODUCT_STATUS = {"active": "在售", "draft": "草稿", "archived": "已下架"}

ORDER_STATUS = {
    "pending": "待付款",
    "pending_payment": "待付款",
    "unpaid": "待付款",
    "paid": "待发货",
    "processing": "处理中",
    "packed": "已打包",
    "shipped": "已发货",
    "in_transit": "运输中",
    "delivered": "已签收",
    "completed": "已完成",
    "cancelled": "已取消",
    "canceled": "已取消",
    "refunding": "退款中",
    "refund_requested": "申请退款",
    "refunded": "已退款",
    "return_requested": "申请退货",
    "returning": "退货中",
    "returned": "已退货",
    "exchange_requested": "申请换货",
    "closed": "已关闭",
}

KB_KIND = {"faq": "常见问题", "policy": "店铺政策"}


def label(table: dict[str, str], code: str | None) -> str:
    """The Chinese label for ``code``, or the code itself when it has none (never hide data)."""
    if not code:
        return "—"
    return table.get(code, code)
