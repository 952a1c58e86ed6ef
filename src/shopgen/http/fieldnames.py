"""Chinese wording for request validation errors: the field's name and what is wrong with it.

Every 422 that FastAPI raises before a route runs (a missing field, a text over its limit, a
date that is not a date) reaches the studio as one line such as ``文案内容：最多 4000 个字符``.
The programs' view is unchanged: ``detail`` still lists each error's ``loc`` and ``type``.
"""

from __future__ import annotations

LABELS = {
    "action": "操作",
    "active": "启用状态",
    "actor": "操作人",
    "alt": "图片说明",
    "answer": "答案",
    "aspects": "方面",
    "attributes": "属性",
    "attrs": "补充卖点",
    "audience": "人群",
    "background": "背景",
    "brand": "品牌",
    "category": "类目",
    "channel": "渠道",
    "color": "颜色",
    "comments": "评论",
    "content": "内容",
    "description": "描述",
    "events": "行为事件",
    "file": "文件",
    "format": "格式",
    "images": "图片",
    "job_id": "任务编号",
    "kind": "文案类型",
    "label": "标签",
    "labels": "标签集",
    "lang": "语言",
    "limit": "数量上限",
    "max_tokens": "最大长度",
    "message": "消息",
    "messages": "消息",
    "model": "模型",
    "name": "名称",
    "new_password": "新密码",
    "new_password2": "确认新密码",
    "offset": "起始位置",
    "old_password": "当前密码",
    "page": "页码",
    "password": "密码",
    "price": "价格",
    "prompt": "提示词",
    "q": "搜索词",
    "quantity": "数量",
    "question": "问题",
    "role": "角色",
    "room": "直播间名称",
    "session_id": "会话编号",
    "since": "起始时间",
    "size": "尺码",
    "sku": "SKU",
    "source": "来源",
    "speed": "回放速度",
    "status": "状态",
    "stock": "库存",
    "stream": "流式输出",
    "temperature": "温度",
    "text": "文案内容",
    "texts": "文本",
    "title": "标题",
    "tone": "语气",
    "ts": "时间戳",
    "until": "截止时间",
    "url": "地址",
    "variants": "规格",
    "voice": "语音",
    "words": "同义词",
}

_WHERE = {"body", "query", "path", "header", "cookie", "form"}


def label(loc) -> str:
    """``["body", "messages", 0, "content"]`` → ``消息第 1 条 内容``; unknown names stay as they are."""
    parts: list[str] = []
    for p in loc:
        if isinstance(p, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}第 {p + 1} 条"]
        elif str(p) not in _WHERE:
            parts.append(LABELS.get(str(p), str(p)))
    return " ".join(parts) or "请求内容"


def _limit(ctx: dict, key: str) -> str:
    return str(ctx.get(key, "?"))


def reason(err: dict) -> str:
    """What is wrong, in Chinese, from one pydantic error (``type``, ``ctx``, ``msg``)."""
    kind, ctx, msg = err.get("type", ""), err.get("ctx") or {}, str(err.get("msg", ""))
    if kind == "missing":
        return "必须填写"
    if kind == "string_too_short":
        return "不能为空" if ctx.get("min_length", 1) <= 1 else f"至少 {_limit(ctx, 'min_length')} 个字符"
    if kind == "string_too_long":
        return f"最多 {_limit(ctx, 'max_length')} 个字符"
    if kind == "too_short":
        return f"至少要有 {_limit(ctx, 'min_length')} 项"
    if kind == "too_long":
        return f"最多 {_limit(ctx, 'max_length')} 项"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        word = {"greater_than_equal": "不能小于", "greater_than": "必须大于", "less_than_equal": "不能大于"}
        bound = ctx.get({"greater_than_equal": "ge", "greater_than": "gt", "less_than_equal": "le"}.get(kind, "lt"))
        return f"{word.get(kind, '必须小于')} {bound}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "应为整数"
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type"):
        return "应为数字"
    if kind.startswith(("datetime_", "date_")):
        return "不是有效的日期或时间（例如 2026-05-01 或 2026-05-01T08:00）"
    if kind in ("bool_parsing", "bool_type"):
        return "应为是或否（true / false）"
    if kind in ("literal_error", "enum"):
        return f"只能是 {ctx.get('expected', '列出的值之一')}".replace(" or ", " 或 ")
    if kind == "string_pattern_mismatch":
        return "格式不对"
    if kind in ("string_type", "string_unicode"):
        return "应为文本"
    if kind in ("list_type", "tuple_type", "set_type"):
        return "应为列表"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "应为 JSON 对象"
    if kind == "json_invalid":
        return "不是有效的 JSON"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    return "格式不对"


def message(errors: list[dict], most: int = 3) -> str:
    """One Chinese line for up to ``most`` errors: ``标题：最多 200 个字符；价格：不能小于 0``."""
    lines = []
    for err in errors[:most]:
        loc = list(err.get("loc", ()))
        if err.get("type") == "json_invalid":  # loc is ["body", <byte offset>]: name the body instead
            lines.append("请求内容不是有效的 JSON")
        else:
            lines.append(f"{label(loc)}：{reason(err)}")
    if len(errors) > most:
        lines.append(f"另有 {len(errors) - most} 处问题")
    return "；".join(lines) or "请求内容有误"
