"""Business rules applied to every recommendation list.

- Never an inactive (draft, archived) or out-of-stock product, nor one the catalog no longer has.
- Per-surface filters: where a list is shown decides what may be on it (:data:`SURFACES`).
- Diversity: at most ``max_share`` of a list from one category, while other categories have
  candidates.

>>> diversify([0, 1, 2, 3], ["a", "a", "a", "b"], k=3, max_share=0.5)
[0, 1, 3]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from shopgen.core.errors import InvalidInput


@dataclass(frozen=True)
class Surface:
    name: str
    label: str
    min_stock: int = 1
    max_price: float | None = None
    categories: tuple[str, ...] | None = None


SURFACES = {
    s.name: s
    for s in (
        Surface("recommend", "推荐位"),
        Surface("detail", "商品详情"),
        Surface("search", "搜索"),
        # a live room pushes what can ship in volume the moment the host mentions it
        Surface("live", "直播间", min_stock=20),
        # add-ons beside the cart: small-ticket items only
        Surface("cart", "购物车", max_price=100.0),
    )
}


def surface(name: str | None) -> Surface:
    if not name:
        return SURFACES["recommend"]
    try:
        return SURFACES[name]
    except KeyError:
        raise InvalidInput(f"unknown surface {name!r}; valid: {', '.join(SURFACES)}", {"surface": name}) from None


def allowed(products: list[dict | None], where: Surface) -> np.ndarray:
    """Which items may be shown on ``where``: ``products[i]`` is the item's catalog entry
    (``status``, ``stock``, ``has_variants``, ``price``, ``category``) or None when it is gone."""
    ok = np.zeros(len(products), dtype=bool)
    for n, p in enumerate(products):
        if p is None or p["status"] != "active":
            continue
        # a product sold without variants has no stock count: only counted stock can run out
        if p["has_variants"] and p["stock"] < where.min_stock:
            continue
        if where.max_price is not None and p["price"] > where.max_price:
            continue
        if where.categories is not None and p["category"] not in where.categories:
            continue
        ok[n] = True
    return ok


def diversify(ranked: list[int], categories: list[str], k: int, max_share: float = 0.4) -> list[int]:
    """The first ``k`` of ``ranked`` with at most ``ceil(max_share · k)`` per category; when the
    other categories run out, the best of the rest fill the list."""
    cap = max(1, math.ceil(max_share * k))
    picked, spill, per = [], [], {}
    for i in ranked:
        c = categories[i]
        if per.get(c, 0) < cap:
            picked.append(i)
            per[c] = per.get(c, 0) + 1
        else:
            spill.append(i)
        if len(picked) == k:
            return picked
    return picked + spill[: k - len(picked)]
