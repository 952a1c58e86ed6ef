"""Why an item is on a list, in the shopper's words: 「因为你看过…」「同款面料」「同类热卖」.

>>> fabric({"材质": "100%棉（新疆长绒棉）"}), fabric({"面料": "98%棉 2%氨纶"}), fabric({"材质": "TPU边框+PC磨砂背板"})
('棉', '棉', None)
"""

from __future__ import annotations

import re

FIBRES = ("羊毛", "羊绒", "真丝", "桑蚕丝", "雪纺", "聚酯纤维", "锦纶", "腈纶", "粘纤", "莫代尔", "亚麻", "棉", "麻")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%\s*([^\d%\s，,；;（(]+)")
ACTIONS = {"purchase": "买过", "cart": "加购了", "favorite": "收藏了"}


def fabric(attributes: dict[str, str]) -> str | None:
    """The main fibre a garment or textile is made of (the largest share), or None."""
    value = attributes.get("面料") or attributes.get("材质") or ""
    if not value:
        return None
    shares = [(float(p), name) for p, name in _PERCENT.findall(value)]
    names = [name for _, name in sorted(shares, key=lambda x: -x[0])] or [value]
    for name in names:
        for f in FIBRES:
            if f in name:
                return f
    return None


def because(action: str, title: str, sku: str) -> dict:
    verb = ACTIONS.get(action, "看过")
    return {"code": f"because_{action}", "text": f"因为你{verb}「{_short(title)}」", "because": sku}


def liked_with(title: str, sku: str) -> dict:
    """Another category: the link is shoppers, not the product itself."""
    return {"code": "liked_with", "text": f"看过「{_short(title)}」的人也喜欢", "because": sku}


def same_fabric(fibre: str, sku: str | None = None) -> dict:
    return {"code": "same_fabric", "text": f"同款面料：{fibre}", "because": sku}


def popular(category: str | None, in_category: bool) -> dict:
    if in_category and category:
        return {"code": "popular_in_category", "text": f"同类热卖 · {category}", "because": None}
    return {"code": "popular", "text": "全店热卖", "because": None}


def also_viewed(n: int) -> dict:
    return {"code": "also_viewed", "text": f"{n} 位顾客同时看过", "because": None}


def similar_text() -> dict:
    return {"code": "similar_text", "text": "描述相近", "because": None}


def _short(title: str, n: int = 14) -> str:
    return title if len(title) <= n else title[:n].rstrip() + "…"
