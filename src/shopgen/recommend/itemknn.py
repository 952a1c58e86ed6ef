"""Item-to-item co-occurrence: cosine similarity between items' shopper sets, top-k neighbours.

``sim(i, j) = |U_i ∩ U_j| / (sqrt(|U_i| |U_j|) + shrink)``; a shopper's score for item j is the
sum of j's similarity to the items in their history, weighted by the history's weights.
Sparse throughout, so a 10,000-item catalog fits in a few MB.
"""

from __future__ import annotations

import numpy as np

from shopgen.recommend.base import ItemSide, recommenders
from shopgen.recommend.data import sparse


def top_k_rows(m, k: int):
    """Keep the ``k`` largest entries of each CSR row."""
    m = m.tocsr()
    m.sort_indices()
    data, indices, indptr = [], [], [0]
    for r in range(m.shape[0]):
        lo, hi = m.indptr[r], m.indptr[r + 1]
        d, ix = m.data[lo:hi], m.indices[lo:hi]
        if len(d) > k:
            keep = np.argpartition(-d, k - 1)[:k]
            d, ix = d[keep], ix[keep]
        data.append(d)
        indices.append(ix)
        indptr.append(indptr[-1] + len(d))
    cat = (lambda xs, t: np.concatenate(xs).astype(t)) if data else (lambda xs, t: np.zeros(0, t))
    return sparse().csr_matrix(
        (cat(data, np.float32), cat(indices, np.int32), np.asarray(indptr, dtype=np.int64)), shape=m.shape
    )


class ItemKNN:
    name = "itemknn"
    needs_text = False

    def __init__(self, k: int = 200, shrink: float = 0.0) -> None:
        self.k, self.shrink = int(k), float(shrink)
        self.sim = None

    def fit(self, train, items: ItemSide) -> ItemKNN:
        x = (train > 0).astype(np.float32).tocsc()
        co = (x.T @ x).tocsr()
        co.setdiag(0)
        co.eliminate_zeros()
        norms = np.sqrt(np.asarray(x.sum(axis=0)).ravel())
        coo = co.tocoo()
        coo.data = coo.data / (norms[coo.row] * norms[coo.col] + self.shrink)
        # row i holds i's neighbours; scoring multiplies history rows into it
        self.sim = top_k_rows(coo.tocsr(), self.k)
        return self

    def score(self, histories) -> np.ndarray:
        return np.asarray((histories @ self.sim).todense(), dtype=np.float32)

    def similar(self, item: int) -> np.ndarray:
        return np.asarray(self.sim.getrow(item).todense(), dtype=np.float32).ravel()

    def affinity(self, sources: list[int], targets: list[int]) -> np.ndarray:
        return np.asarray(self.sim[sources][:, targets].todense(), dtype=np.float32)

    def state(self) -> dict[str, np.ndarray]:
        s = self.sim
        return {"data": s.data, "indices": s.indices, "indptr": s.indptr, "shape": np.asarray(s.shape)}

    def restore(self, state: dict[str, np.ndarray], items: ItemSide) -> ItemKNN:
        shape = tuple(int(x) for x in state["shape"])
        self.sim = sparse().csr_matrix((state["data"], state["indices"], state["indptr"]), shape=shape)
        return self

    def params(self) -> dict:
        return {"k": self.k, "shrink": self.shrink}


recommenders.register("itemknn")(ItemKNN)
