"""Interactions: shopper and product ids, the weight of each event type, the user × item matrix.

A shop's events carry different intent, so each (user, item) pair keeps the strongest signal it
had (a purchase outweighs ten views). Public datasets (ratings, reviews) are implicit feedback:
every pair weighs 1, as in RecBole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.core.lazy import require

# impressions are exposure, not interest: they never count as a positive
TYPE_WEIGHTS = {"view": 1.0, "click": 1.0, "favorite": 2.0, "cart": 3.0, "purchase": 4.0, "impression": 0.0}


def sparse():
    return require("scipy.sparse", "recommend")


@dataclass
class Log:
    """Interactions as parallel arrays (one entry per distinct user–item pair)."""

    users: list[str]
    items: list[str]
    u: np.ndarray  # int32 user index
    i: np.ndarray  # int32 item index
    ts: np.ndarray  # float64 unix seconds of the pair's latest event
    w: np.ndarray  # float32 weight

    @property
    def n_users(self) -> int:
        return len(self.users)

    @property
    def n_items(self) -> int:
        return len(self.items)

    def __len__(self) -> int:
        return len(self.u)

    def matrix(self, mask: np.ndarray | None = None):
        """CSR users × items of the selected pairs (all when ``mask`` is None)."""
        sel = slice(None) if mask is None else mask
        return sparse().csr_matrix(
            (self.w[sel], (self.u[sel], self.i[sel])), shape=(self.n_users, self.n_items), dtype=np.float32
        )


def build(records: Iterable[tuple[str, str, float, float]], items: Iterable[str] = (), binary: bool = False) -> Log:
    """A Log from ``(user, item, ts, weight)``. A pair seen twice keeps its largest weight and its
    latest time; pairs of weight 0 (impressions) are dropped. ``items`` adds items with no
    interactions (a new product) so they have a column, after the interacted ones in order."""
    pairs: dict[tuple[str, str], list[float]] = {}
    for user, item, ts, weight in records:
        w = 1.0 if binary and weight > 0 else float(weight)
        if w <= 0:
            continue
        cur = pairs.get((user, item))
        if cur is None:
            pairs[(user, item)] = [ts, w]
        else:
            cur[0], cur[1] = max(cur[0], ts), max(cur[1], w)
    users: dict[str, int] = {}
    item_ix: dict[str, int] = {}
    u, i, ts_, w_ = [], [], [], []
    for (user, item), (t, w) in pairs.items():
        u.append(users.setdefault(user, len(users)))
        i.append(item_ix.setdefault(item, len(item_ix)))
        ts_.append(t)
        w_.append(w)
    for item in items:
        item_ix.setdefault(item, len(item_ix))
    return Log(
        users=list(users),
        items=list(item_ix),
        u=np.asarray(u, dtype=np.int32),
        i=np.asarray(i, dtype=np.int32),
        ts=np.asarray(ts_, dtype=np.float64),
        w=np.asarray(w_, dtype=np.float32),
    )


def from_events(events, items: Iterable[str] = (), binary: bool = False) -> Log:
    """A Log from EventIn-like objects (``user``, ``item``, ``type``, ``ts``)."""
    recs = ((e.user, e.item, e.ts.timestamp(), TYPE_WEIGHTS[e.type]) for e in events)
    log = build(recs, items, binary)
    if not len(log):
        raise InvalidInput("no interactions to learn from (impressions alone are not interest)")
    return log


def history_matrix(histories: list[list[tuple[int, float]]], n_items: int):
    """CSR rows from ``[(item index, weight), …]`` per row."""
    data, rows, cols = [], [], []
    for r, h in enumerate(histories):
        for i, w in h:
            rows.append(r)
            cols.append(i)
            data.append(w)
    m = sparse().csr_matrix((data, (rows, cols)), shape=(len(histories), n_items), dtype=np.float32)
    m.sum_duplicates()
    return m
