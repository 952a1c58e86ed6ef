"""EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019).

An item-to-item weight matrix learnt in closed form: ``P = (XᵀX + λI)⁻¹``, ``B = -P / diag(P)``
with a zero diagonal. Dense in the number of items, so it is for catalogs up to about 20,000
items (a 20k × 20k float32 matrix is 1.6 GB); beyond that use ``itemknn``.
"""

from __future__ import annotations

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.recommend.base import ItemSide, recommenders

MAX_ITEMS = 20_000


class EASE:
    name = "ease"
    needs_text = False

    def __init__(self, lam: float = 500.0) -> None:
        self.lam = float(lam)
        self.b = np.zeros((0, 0), dtype=np.float32)

    def fit(self, train, items: ItemSide) -> EASE:
        n = train.shape[1]
        if n > MAX_ITEMS:
            raise InvalidInput(f"ease keeps an items × items matrix; {n} items is over {MAX_ITEMS}: use itemknn")
        x = (train > 0).astype(np.float64)
        g = np.asarray((x.T @ x).todense())
        g[np.diag_indices(n)] += self.lam
        p = np.linalg.inv(g)
        b = -p / np.diag(p)
        b[np.diag_indices(n)] = 0.0
        self.b = b.astype(np.float32)
        return self

    def score(self, histories) -> np.ndarray:
        return np.asarray(histories @ self.b, dtype=np.float32)

    def similar(self, item: int) -> np.ndarray:
        # how strongly having ``item`` predicts each other item
        return self.b[item].copy()

    def affinity(self, sources: list[int], targets: list[int]) -> np.ndarray:
        return self.b[np.ix_(sources, targets)]

    def state(self) -> dict[str, np.ndarray]:
        return {"b": self.b, "lam": np.asarray(self.lam)}

    def restore(self, state: dict[str, np.ndarray], items: ItemSide) -> EASE:
        self.b, self.lam = state["b"], float(state["lam"])
        return self

    def params(self) -> dict:
        return {"lam": self.lam}


recommenders.register("ease")(EASE)
