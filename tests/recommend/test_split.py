"""Splits: RecBole's 8:1:1 per shopper, leave-last-out, cold items."""

from __future__ import annotations

import numpy as np
import pytest

from shopgen.core.errors import InvalidInput
from shopgen.recommend import data, split


def log(n_users=5, per_user=10):
    recs = [(f"u{u}", f"i{(u * 3 + j) % 20}", float(j), 1.0) for u in range(n_users) for j in range(per_user)]
    return data.build(recs)


def test_recbole_rounding():
    assert split._recbole_counts(10) == [8, 1, 1]
    assert split._recbole_counts(5) == [3, 1, 1]
    assert split._recbole_counts(2) == [1, 0, 1]
    assert split._recbole_counts(1) == [1, 0, 0]


def test_random_split_partitions_each_user_8_1_1_and_is_seeded():
    lg = log()
    s = split.make(lg, "random", seed=7)
    assert ((s.train.astype(int) + s.valid + s.test) == 1).all()
    for u in range(lg.n_users):
        mine = lg.u == u
        assert (s.train[mine].sum(), s.valid[mine].sum(), s.test[mine].sum()) == (8, 1, 1)
    again = split.make(lg, "random", seed=7)
    assert (again.test == s.test).all() and not (split.make(lg, "random", seed=8).test == s.test).all()


def test_leave_last_out_tests_the_latest():
    lg = log(per_user=4)
    s = split.make(lg, "leave-last-out")
    assert (lg.ts[s.test] == 3.0).all() and (lg.ts[s.valid] == 2.0).all() and s.train.sum() == 10


def test_cold_items_hold_out_every_interaction_of_a_fifth_of_the_items():
    lg = log()
    s = split.make(lg, "cold-items", seed=1)
    held = np.flatnonzero(s.candidates)
    assert len(held) == round(0.2 * len(np.unique(lg.i)))
    assert (s.test == np.isin(lg.i, held)).all() and not (s.train & s.test).any()
    with pytest.raises(InvalidInput, match="unknown split 'kfold'"):
        split.make(lg, "kfold")


def test_build_keeps_the_strongest_signal_and_drops_impressions():
    lg = data.build([("u", "a", 1.0, 1.0), ("u", "a", 5.0, 4.0), ("u", "b", 2.0, 0.0)], items=["c"])
    assert lg.items == ["a", "c"] and lg.w.tolist() == [4.0] and lg.ts.tolist() == [5.0]
    assert data.build([("u", "a", 1, 3.0)], binary=True).w.tolist() == [1.0]
