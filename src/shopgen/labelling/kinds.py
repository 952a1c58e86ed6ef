"""Task kinds and label sets.

::

    intent     one label per text, the assistant's intents (product, order_status, …)
    sentiment  one label per text: positive | negative (what ``shopgen insight train`` learns)
    aspects    any number of aspects per text (质量, 尺码, 物流 …), none included

A task may narrow or rename its label set (``parse_labels``); keys 1–9 and 0 pick the first ten
labels in the queue, so a set holds at most ten.

Raises InvalidInput (Chinese, naming the field) for an unknown kind or a bad label set.
"""

from __future__ import annotations

import re

from shopgen.core.errors import InvalidInput

KINDS = {"intent": "意图", "sentiment": "情感", "aspects": "评价方面"}
MULTI = frozenset({"aspects"})
MAX_LABELS = 10  # keys 1–9 and 0
MAX_LABEL_CHARS = 32

#: Chinese names of label codes the studio shows beside the code (a code without one shows as itself)
LABEL_NAMES = {
    "product": "商品咨询",
    "order_status": "订单状态",
    "return": "退换货",
    "complaint": "投诉",
    "shipping": "物流配送",
    "payment": "支付",
    "invoice": "发票",
    "promotion": "优惠活动",
    "human": "转人工",
    "chitchat": "闲聊",
    "positive": "正面",
    "negative": "负面",
    "neutral": "中性",
}


def check_kind(kind: str) -> str:
    kind = (kind or "").strip()
    if kind not in KINDS:
        listing = "、".join(f"{v}（{k}）" for k, v in KINDS.items())
        raise InvalidInput(
            f"标注类型：{'必须填写' if not kind else f'没有“{kind[:20]}”这种类型'}，可选 {listing}", {"field": "kind"}
        )
    return kind


def parse_labels(text: str, default: list[str]) -> list[str]:
    """The label set typed as ``a, b, c`` (commas, 、 or new lines); ``default`` when blank."""
    parts = [p.strip() for p in re.split(r"[,，、\n]+", text or "") if p.strip()]
    if not parts:
        parts = list(default)
    where = {"field": "labels"}
    if len(parts) < 2:
        raise InvalidInput("标签集：至少要有 2 个标签", where)
    if len(parts) > MAX_LABELS:
        raise InvalidInput(f"标签集：最多 {MAX_LABELS} 个标签（数字键 1–9 和 0），现在 {len(parts)} 个", where)
    seen: set[str] = set()
    for p in parts:
        if len(p) > MAX_LABEL_CHARS:
            raise InvalidInput(f"标签集：标签“{p[:20]}…”太长（最多 {MAX_LABEL_CHARS} 个字符）", where)
        if p in seen:
            raise InvalidInput(f"标签集：标签“{p}”重复了", where)
        seen.add(p)
    return parts


def label_name(code: str) -> str:
    return LABEL_NAMES.get(code, code)


def listing(labels: list[str]) -> str:
    """``正面（positive）、负面（negative）`` for messages."""
    return "、".join(f"{label_name(c)}（{c}）" if label_name(c) != c else c for c in labels)
