"""Popularity: the items most shoppers interacted with, the same list for everyone.

The floor every personalised model must beat, and the cold-shopper answer of last resort
(「同类热卖」). For similar items it prefers the item's own category.
"""

from __future__ import annotations

import numpy as np

from shopgen.recommend.base import ItemSide, recommenders


class Popularity:
    name = "popularity"
    needs_text = False

    def __init__(self) -> None:
        self.counts = np.zeros(0, dtype=np.float32)
        self.categories: list[str] | None = None

    def fit(self, train, items: ItemSide) -> Popularity:
        self.counts = np.asarray((train > 0).sum(axis=0)).ravel().astype(np.float32)
        self.categories = items.categories
        return self

    def score(self, histories) -> np.ndarray:
        return np.broadcast_to(self.counts, (histories.shape[0], len(self.counts))).copy()

    def similar(self, item: int) -> np.ndarray:
        out = self.counts / max(float(self.counts.max(initial=0)), 1.0)
        if self.categories is not None:
            same = np.array([c == self.categories[item] for c in self.categories])
            out = out + same  # same category first, by popularity within it
        return out.astype(np.float32)

    def affinity(self, sources: list[int], targets: list[int]) -> np.ndarray:
        return np.stack([self.similar(j)[targets] for j in sources])

    def state(self) -> dict[str, np.ndarray]:
        return {"counts": self.counts}

    def restore(self, state: dict[str, np.ndarray], items: ItemSide) -> Popularity:
        self.counts, self.categories = state["counts"], items.categories
        return self

    def params(self) -> dict:
        return {}


recommenders.register("popularity")(Popularity)
