import math

import pytest

from shopgen.metrics.retrieval import mrr_at, ndcg_at, percentile, recall_at


def test_recall_and_mrr():
    ranked = ["a", "b", "c", "d"]
    assert recall_at(ranked, {"c": 1, "x": 1}, 2) == 0.0
    assert recall_at(ranked, {"c": 1, "x": 1}, 3) == 0.5
    assert mrr_at(ranked, {"c": 1}, 10) == pytest.approx(1 / 3)
    assert mrr_at(ranked, {"c": 1}, 2) == 0.0
    assert recall_at(ranked, {}, 10) == 0.0


def test_ndcg_matches_a_hand_computation():
    # trec_eval: gains 2 at rank 2 and 1 at rank 3; ideal order 2, 1
    dcg = 2 / math.log2(3) + 1 / math.log2(4)
    idcg = 2 / math.log2(2) + 1 / math.log2(3)
    assert ndcg_at(["x", "a", "b"], {"a": 2, "b": 1}, 10) == pytest.approx(dcg / idcg)
    assert ndcg_at(["a", "b"], {"a": 2, "b": 1}, 10) == pytest.approx(1.0)


def test_percentile_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50 and percentile(values, 95) == 95 and percentile([], 50) == 0.0
