"""The Recommender protocol and its registry.

A recommender is fitted on a user × item matrix of implicit feedback (weights > 0) and then
scores *histories*: any rows over the same items, so a shopper who was not in the training data
(one view a minute ago) is scored from what they did, without retraining. Item-to-item models
do this naturally; matrix factorisation folds the history in.

>>> sorted(recommenders.names())
['ease', 'hybrid', 'itemknn', 'mf', 'popularity', 'text']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.core.registry import Registry


@dataclass
class ItemSide:
    """What is known about the items besides behaviour, index-aligned with the matrix columns.

    ``vectors``: L2-normalised text embeddings (a zero row for an item without text) or None.
    """

    ids: list[str]
    vectors: np.ndarray | None = None
    categories: list[str] | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.vectors is not None and len(self.vectors) != len(self.ids):
            raise InvalidInput(f"{len(self.vectors)} item vectors for {len(self.ids)} items")
        if self.categories is not None and len(self.categories) != len(self.ids):
            raise InvalidInput(f"{len(self.categories)} categories for {len(self.ids)} items")

    def __len__(self) -> int:
        return len(self.ids)


class Recommender(Protocol):
    name: str
    needs_text: bool

    def fit(self, train, items: ItemSide) -> Recommender:
        """Learn from ``train`` (scipy CSR, users × items, weights > 0)."""
        ...

    def score(self, histories) -> np.ndarray:
        """Scores (float32, ``len(histories)`` × items) for CSR history rows; higher is better."""
        ...

    def similar(self, item: int) -> np.ndarray:
        """How related every item is to ``item`` (float32, one per item)."""
        ...

    def affinity(self, sources: list[int], targets: list[int]) -> np.ndarray:
        """How related each of ``sources`` is to each of ``targets`` (len(sources) × len(targets)):
        what a reason (「因为你看过…」) points at. Cheaper than :meth:`similar` for a few items."""
        ...

    def state(self) -> dict[str, np.ndarray]:
        """Arrays that :meth:`restore` takes back (see ``persist``)."""
        ...

    def restore(self, state: dict[str, np.ndarray], items: ItemSide) -> Recommender: ...

    def params(self) -> dict[str, Any]: ...


recommenders: Registry[Recommender] = Registry("recommender")


def create(name: str, **params) -> Recommender:
    """A new, unfitted recommender; unknown parameters raise InvalidInput naming the valid ones."""
    factory = recommenders.create  # ConfigError listing the valid names for an unknown one
    try:
        return factory(name, **params)
    except TypeError as exc:
        raise InvalidInput(f"bad parameters for recommender {name!r}: {exc}") from exc


def rows_l1(histories) -> np.ndarray:
    """Sum of each history row's weights (for normalising; 1 where a row is empty)."""
    s = np.asarray(histories.sum(axis=1)).ravel().astype(np.float32)
    s[s == 0] = 1.0
    return s


def minmax_rows(x: np.ndarray) -> np.ndarray:
    """Scale each row to [0, 1] (a constant row becomes 0)."""
    lo = x.min(axis=1, keepdims=True)
    span = x.max(axis=1, keepdims=True) - lo
    span[span == 0] = 1.0
    return ((x - lo) / span).astype(np.float32)


def _register_all() -> None:
    # each module registers itself on import
    from shopgen.recommend import ease, hybrid, itemknn, mf, popular, text  # noqa: F401


_register_all()
