"""Matrix factorisation for implicit feedback: ALS (Hu, Koren & Volinsky 2008) from the
maintained ``implicit`` library (``pip install 'shopgen[recommend]'``).

Any history is scored by folding it in: the user factors are solved from the history against
the fixed item factors (one ALS half-step, ``implicit``'s ``recalculate_user``), so shoppers
unseen at training time are scored too.
"""

from __future__ import annotations

import numpy as np

from shopgen.core.lazy import require
from shopgen.recommend.base import ItemSide, recommenders


def _blas_one_thread():
    # implicit warns (an error under our test settings) and runs slowly when BLAS threads too
    return require("threadpoolctl", "recommend").threadpool_limits(1, "blas")


class ALS:
    name = "mf"
    needs_text = False

    def __init__(
        self, factors: int = 16, regularization: float = 0.05, alpha: float = 2.0, iterations: int = 15, seed: int = 0
    ) -> None:
        self.factors, self.regularization, self.alpha = int(factors), float(regularization), float(alpha)
        self.iterations, self.seed = int(iterations), int(seed)
        self._model = None

    def _new(self):
        als = require("implicit.cpu.als", "recommend")
        with _blas_one_thread():
            return als.AlternatingLeastSquares(
                factors=self.factors,
                regularization=self.regularization,
                alpha=self.alpha,
                iterations=self.iterations,
                random_state=self.seed,
                num_threads=1,
            )

    def fit(self, train, items: ItemSide) -> ALS:
        self._model = self._new()
        with _blas_one_thread():
            self._model.fit(train.tocsr().astype(np.float32), show_progress=False)
        return self

    def score(self, histories) -> np.ndarray:
        m = self._model
        with _blas_one_thread():
            users = m.recalculate_user(np.arange(histories.shape[0]), histories.tocsr().astype(np.float32))
        return np.asarray(users @ m.item_factors.T, dtype=np.float32)

    def similar(self, item: int) -> np.ndarray:
        y = self._model.item_factors
        norms = np.linalg.norm(y, axis=1) + 1e-9
        return ((y @ y[item]) / (norms * norms[item])).astype(np.float32)

    def affinity(self, sources: list[int], targets: list[int]) -> np.ndarray:
        y = self._model.item_factors
        a = y[sources] / (np.linalg.norm(y[sources], axis=1, keepdims=True) + 1e-9)
        b = y[targets] / (np.linalg.norm(y[targets], axis=1, keepdims=True) + 1e-9)
        return (a @ b.T).astype(np.float32)

    def state(self) -> dict[str, np.ndarray]:
        return {"item_factors": np.asarray(self._model.item_factors)}

    def restore(self, state: dict[str, np.ndarray], items: ItemSide) -> ALS:
        self._model = self._new()
        self._model.item_factors = np.ascontiguousarray(state["item_factors"], dtype=np.float32)
        self._model.user_factors = np.zeros((0, self.factors), dtype=np.float32)
        return self

    def params(self) -> dict:
        return {
            "factors": self.factors,
            "regularization": self.regularization,
            "alpha": self.alpha,
            "iterations": self.iterations,
            "seed": self.seed,
        }


recommenders.register("mf")(ALS)
