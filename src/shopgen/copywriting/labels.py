"""Chinese wording of the copywriter's findings (grounding and form issues, advertising-law
flags), for the pages that show them: one line per finding, ``{"label", "text"}``.

>>> describe({"type": "unsupported", "aspect": "claim", "claim": "防水", "detail": "claim not in the facts"})
{'label': '商品信息未提及', 'text': '「防水」（功效）'}
>>> describe({"type": "length", "aspect": "form", "claim": "150 characters", "detail": "needs 200 to 260 characters"})
{'label': '长度不合适', 'text': '现在 150 字，应为 200–260 字'}
"""

from __future__ import annotations

import re

ISSUE = {
    "contradicted": "与商品信息不符",
    "unsupported": "商品信息未提及",
    "length": "长度不合适",
    "structure": "格式不符",
}
ASPECT = {
    "colour": "颜色",
    "material": "材质",
    "size": "尺码",
    "price": "价格",
    "number": "数字",
    "claim": "功效",
    "origin": "产地",
    "endorsement": "背书",
    "promotion": "促销",
    "season": "季节",
}
RULE = {"absolute": "极限词", "medical": "医疗功效", "banned": "违禁词"}


def _form(issue: dict) -> str:
    claim, detail = str(issue.get("claim") or ""), str(issue.get("detail") or "")
    if issue["type"] == "length":
        now = re.search(r"(\d+) (characters|bullets)", claim)
        want = re.search(r"(\d+) to (\d+) (characters|bullets)", detail)
        unit = "条" if "bullets" in claim + detail else "字"
        parts = ([f"现在 {now.group(1)} {unit}"] if now else []) + (
            [f"应为 {want.group(1)}–{want.group(2)} {unit}"] if want else []
        )
        return "，".join(parts)
    if claim == "hashtags":
        return "缺少 #话题标签"
    if claim == "sections":
        return "缺少段落：" + re.sub(r"^missing sections:\s*", "", detail)
    if claim == "repetition":
        return "文字重复"
    return detail


def describe(finding: dict) -> dict:
    """``{"label", "text"}`` in Chinese for one issue or compliance flag."""
    kind = finding.get("type", "")
    if kind in RULE:
        word = f"「{finding.get('word', '')}」"
        suggestion = finding.get("suggestion") or ""
        if finding.get("in_text"):
            text = word + (f" 建议改为「{suggestion}」" if suggestion else " 建议删除所在分句")
        else:
            text = word + (f" 已改为「{suggestion}」" if suggestion else " 已删除所在分句")
        return {"label": RULE[kind], "text": text}
    if finding.get("aspect") == "form" or kind in ("length", "structure"):
        return {"label": ISSUE.get(kind, "格式不符"), "text": _form(finding)}
    aspect = ASPECT.get(finding.get("aspect", ""), "")
    text = f"「{finding.get('claim', '')}」" + (f"（{aspect}）" if aspect else "")
    if finding.get("aspect") == "season" and finding.get("detail"):
        text += "：" + str(finding["detail"])
    return {"label": ISSUE.get(kind, "需核对"), "text": text}


def described(findings: list[dict]) -> list[dict]:
    """Each finding with its Chinese ``label`` and ``text`` added."""
    return [{**f, **describe(f)} for f in findings]
