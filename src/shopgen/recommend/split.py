"""Train / validation / test splits of a Log, each a boolean mask per interaction.

``random``          RecBole's default protocol: each shopper's interactions in random order,
                    8:1:1 (RecBole's ``split_by_ratio`` rounding, so a shopper with few
                    interactions keeps at least one for training)
``leave-last-out``  each shopper's latest interaction is the test, the one before it validation
``cold-items``      20% of the items are held out with all their interactions; only what an
                    item says about itself can rank them (the test ranks among those items)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.recommend.data import Log

SPLITS = ("random", "leave-last-out", "cold-items")


@dataclass
class Split:
    train: np.ndarray
    valid: np.ndarray
    test: np.ndarray
    candidates: np.ndarray | None = None  # item mask the test ranks among (None: all items)


def _recbole_counts(total: int, ratios=(0.8, 0.1, 0.1)) -> list[int]:
    """RecBole's ``_calcu_split_ids``: int(ratio × n) per part, rounding remainders away from train."""
    cnt = [int(r * total) for r in ratios]
    cnt[0] = total - sum(cnt[1:])
    for i in range(1, len(ratios)):
        if cnt[0] <= 1:
            break
        if 0 < ratios[-i] * total < 1:
            cnt[-i] += 1
            cnt[0] -= 1
    return cnt


def _by_user(log: Log, order: np.ndarray) -> list[np.ndarray]:
    """Interaction indices per user, in ``order``."""
    users = log.u[order]
    sort = np.argsort(users, kind="stable")
    grouped = order[sort]
    bounds = np.flatnonzero(np.diff(users[sort])) + 1
    return np.split(grouped, bounds)


def random_split(log: Log, seed: int = 2020) -> Split:
    rng = np.random.default_rng(seed)
    masks = [np.zeros(len(log), dtype=bool) for _ in range(3)]
    for idx in _by_user(log, rng.permutation(len(log))):
        start = 0
        for mask, c in zip(masks, _recbole_counts(len(idx))):
            mask[idx[start : start + c]] = True
            start += c
    return Split(*masks)


def leave_last_out(log: Log) -> Split:
    order = np.lexsort((np.arange(len(log)), log.ts))  # by time, file order on ties
    masks = [np.zeros(len(log), dtype=bool) for _ in range(3)]
    for idx in _by_user(log, order):
        if len(idx) >= 3:
            masks[1][idx[-2]] = masks[2][idx[-1]] = True
            masks[0][idx[:-2]] = True
        elif len(idx) == 2:
            masks[2][idx[-1]] = masks[0][idx[0]] = True
        else:
            masks[0][idx] = True
    return Split(*masks)


def cold_items(log: Log, seed: int = 2020, share: float = 0.2) -> Split:
    rng = np.random.default_rng(seed)
    seen = np.unique(log.i)
    held = rng.choice(seen, size=max(1, int(round(share * len(seen)))), replace=False)
    cold = np.zeros(log.n_items, dtype=bool)
    cold[held] = True
    test = cold[log.i]
    return Split(train=~test, valid=np.zeros(len(log), dtype=bool), test=test, candidates=cold)


def make(log: Log, name: str, seed: int = 2020) -> Split:
    if name == "random":
        return random_split(log, seed)
    if name == "leave-last-out":
        return leave_last_out(log)
    if name == "cold-items":
        return cold_items(log, seed)
    raise InvalidInput(f"unknown split {name!r}; valid: {', '.join(SPLITS)}")
