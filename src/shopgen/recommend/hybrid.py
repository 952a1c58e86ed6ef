"""Hybrid: behaviour and text blended, per shopper.

Both scores are scaled to [0, 1] per shopper and mixed, ``(1 - alpha) · behaviour + alpha · text``.
An item nobody interacted with during training has no behaviour signal at all, so its behaviour
part is replaced by its text part times ``cold`` (0.5): a new product competes on what it says
about itself, below items that behaviour and text agree on.

``behaviour="auto"`` (the default) takes EASE up to :data:`AUTO_EASE_ITEMS` items (best on the
benchmarks, but dense in items) and item-kNN above (sparse, scales to any catalog).
"""

from __future__ import annotations

import numpy as np

from shopgen.recommend.base import ItemSide, create, minmax_rows, recommenders
from shopgen.recommend.text import TextModel

AUTO_EASE_ITEMS = 3000


class Hybrid:
    name = "hybrid"
    needs_text = True

    def __init__(self, behaviour: str = "auto", alpha: float = 0.3, cold: float = 0.5, **behaviour_params) -> None:
        self.behaviour_name, self.alpha, self.cold = behaviour, float(alpha), float(cold)
        self.behaviour_params = behaviour_params
        self.behaviour = None if behaviour == "auto" else create(behaviour, **behaviour_params)
        self.text = TextModel()
        self.warm = np.zeros(0, dtype=bool)

    def _chosen(self, n_items: int) -> str:
        if self.behaviour_name != "auto":
            return self.behaviour_name
        return "ease" if n_items <= AUTO_EASE_ITEMS else "itemknn"

    def fit(self, train, items: ItemSide) -> Hybrid:
        self.behaviour = create(self._chosen(train.shape[1]), **self.behaviour_params)
        self.behaviour.fit(train, items)
        if items.vectors is not None:
            self.text.fit(train, items)
        self.warm = np.asarray((train > 0).sum(axis=0)).ravel() > 0
        return self

    @property
    def has_text(self) -> bool:
        return self.text.v.size > 0

    def blend(self, b: np.ndarray, t: np.ndarray) -> np.ndarray:
        b, t = minmax_rows(np.atleast_2d(b)), minmax_rows(np.atleast_2d(t))
        b[:, ~self.warm] = self.cold * t[:, ~self.warm]
        return (1 - self.alpha) * b + self.alpha * t

    @staticmethod
    def _floor(x: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The items a shopper already has score like the worst item, so they do not set the scale
        (an item is always most similar to itself)."""
        x = np.array(x, dtype=np.float32, ndmin=2)
        x[rows, cols] = x.min(axis=1)[rows]
        return x

    def score(self, histories) -> np.ndarray:
        b = self.behaviour.score(histories)
        if not self.has_text:
            return b
        rows, cols = histories.nonzero()
        t = self.text.score(histories)
        return self.blend(self._floor(b, rows, cols), self._floor(t, rows, cols))

    def similar(self, item: int) -> np.ndarray:
        b = self.behaviour.similar(item)
        if not self.has_text:
            return b
        at = (np.zeros(1, dtype=int), np.asarray([item]))
        return self.blend(self._floor(b, *at), self._floor(self.text.similar(item), *at))[0]

    def affinity(self, sources: list[int], targets: list[int]) -> np.ndarray:
        b = self.behaviour.affinity(sources, targets)
        if not self.has_text:
            return b
        scale = float(np.abs(b).max()) or 1.0
        return (1 - self.alpha) * b / scale + self.alpha * self.text.affinity(sources, targets)

    def state(self) -> dict[str, np.ndarray]:
        state = {f"b.{k}": v for k, v in self.behaviour.state().items()}
        return {"warm": self.warm, "behaviour": np.asarray(self.behaviour.name), **state}

    def restore(self, state: dict[str, np.ndarray], items: ItemSide) -> Hybrid:
        self.behaviour = create(str(state["behaviour"]), **self.behaviour_params)
        self.behaviour.restore({k[2:]: v for k, v in state.items() if k.startswith("b.")}, items)
        self.warm = state["warm"]
        if items.vectors is not None:
            self.text.fit(None, items)
        return self

    def params(self) -> dict:
        return {"behaviour": self.behaviour_name, "alpha": self.alpha, "cold": self.cold, **self.behaviour_params}


recommenders.register("hybrid")(Hybrid)
