"""Text: recommend from product embeddings (title, attributes, description, reviews).

A shopper's profile is the weighted mean of the embeddings of what they touched; an item scores
its cosine to that profile. It needs no interactions at all, so it ranks brand-new products and
answers a shopper after one view. Vectors come from the shop's embedder (``Runtime.embedder()``,
e5 by default) through :func:`shopgen.recommend.items.embed`, computed once per text.
"""

from __future__ import annotations

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.recommend.base import ItemSide, recommenders


class TextModel:
    name = "text"
    needs_text = True

    def __init__(self) -> None:
        self.v = np.zeros((0, 0), dtype=np.float32)

    def fit(self, train, items: ItemSide) -> TextModel:
        if items.vectors is None:
            raise InvalidInput("the text model needs item texts (product titles, descriptions …) and an embedder")
        self.v = np.asarray(items.vectors, dtype=np.float32)
        return self

    def score(self, histories) -> np.ndarray:
        profiles = np.asarray(histories @ self.v, dtype=np.float32)
        norms = np.linalg.norm(profiles, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (profiles / norms) @ self.v.T

    def similar(self, item: int) -> np.ndarray:
        return self.v @ self.v[item]

    def affinity(self, sources: list[int], targets: list[int]) -> np.ndarray:
        return self.v[sources] @ self.v[targets].T

    def state(self) -> dict[str, np.ndarray]:
        return {}  # the vectors travel with the ItemSide

    def restore(self, state: dict[str, np.ndarray], items: ItemSide) -> TextModel:
        return self.fit(None, items)

    def params(self) -> dict:
        return {}


recommenders.register("text")(TextModel)
