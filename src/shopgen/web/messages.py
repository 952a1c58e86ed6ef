"""Chinese wording for errors the store raises after the form itself was fine.

The form parser catches nearly everything first; what is left comes from the catalog
(a SKU owned by another product, a whole-product rule, a database constraint). Messages we
do not recognise are shown as they are rather than hidden behind a vague sentence.
"""

from __future__ import annotations

import re

from shopgen.core.errors import Conflict, ShopgenError
from shopgen.web.forms import FormInvalid

FIELDS = {
    "sku": "SKU",
    "title": "标题",
    "category": "类目",
    "brand": "品牌",
    "description": "描述",
    "price": "价格",
    "status": "状态",
    "attributes": "属性",
    "variants": "规格",
    "images": "图片",
    "size_chart": "尺码表",
    "color": "颜色",
    "size": "尺码",
    "stock": "库存",
    "url": "地址",
    "alt": "说明",
    "height": "身高范围",
    "weight": "体重范围",
    "measurements": "尺寸",
    "unit": "单位",
}

REASONS = {
    "missing": "不能为空",
    "string_too_short": "不能为空",
    "string_too_long": "太长",
    "string_pattern_mismatch": "只能由字母、数字和 - _ . 组成，并以字母或数字开头",
    "greater_than_equal": "必须不小于 0",
    "less_than_equal": "数值太大",
    "decimal_max_places": "最多两位小数",
    "decimal_max_digits": "数字太大",
    "literal_error": "不是可选的值",
    "too_short": "至少要有一行",
}

VALUE_ERRORS = [
    (re.compile(r"two variants share one SKU"), "规格：有两行的 SKU 相同"),
    (re.compile(r"two variants have the same colour and size"), "规格：有两行的颜色和尺码都相同"),
    (
        re.compile(r"sizes \[(.*)\] are sold but missing from the size chart"),
        "尺码表：缺少在售尺码 {0}（规格里用到的尺码都要写进尺码表）",
    ),
    (re.compile(r"size chart lists a size twice"), "尺码表：同一个尺码写了两次"),
    (re.compile(r"range must be two positive numbers"), "范围应是两个正数，先小后大"),
]

CONFLICTS = [
    (re.compile(r"variant SKU (.+) already belongs to another product"), "规格 SKU {0} 已被其他商品使用"),
    (re.compile(r"^SKU (.+) already exists"), "商品 SKU {0} 已存在，请换一个"),
]


def _place(loc: list) -> str:
    """``["variants", 1, "sku"]`` → ``规格第 2 行 SKU``."""
    parts: list[str] = []
    for p in loc:
        if isinstance(p, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}第 {p + 1} 行"]
        elif p != "rows":
            parts.append(FIELDS.get(str(p), str(p)))
    return " ".join(parts)


def _value_error(msg: str) -> str:
    for pattern, text in VALUE_ERRORS:
        m = pattern.search(msg)
        if m:
            return text.format(*(g.replace("'", "") for g in m.groups()))
    return msg


def _pydantic_lines(errors: list[dict]) -> list[str]:
    out = []
    for e in errors:
        place, kind, msg = _place(list(e.get("loc", ()))), e.get("type", ""), e.get("msg", "")
        reason = _value_error(msg) if kind == "value_error" else REASONS.get(kind, msg)
        out.append(f"{place}：{reason}" if place and "：" not in reason else reason)
    return out


def explain(exc: ShopgenError) -> list[str]:
    """One Chinese line per problem in ``exc`` (FormInvalid, InvalidInput or Conflict)."""
    if isinstance(exc, FormInvalid):
        return exc.messages
    if isinstance(exc, Conflict):
        for pattern, text in CONFLICTS:
            m = pattern.search(exc.message)
            if m:
                return [text.format(*m.groups())]
        return [f"保存失败，与已有数据冲突：{exc.message}"]
    if isinstance(exc.detail, list) and exc.detail and isinstance(exc.detail[0], dict):
        return _pydantic_lines(exc.detail)
    return [_value_error(exc.message)]
