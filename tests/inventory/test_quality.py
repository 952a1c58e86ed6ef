"""Pinned quality on public data (slow): the shipped default against the baselines in the same run.
The full figures are in BENCHMARKS.md (benchmarks/inventory.py)."""

import pytest

from tests.shared_data import shared_path

pytestmark = pytest.mark.slow


def test_walmart_default_beats_baselines_with_calibrated_intervals():
    pytest.importorskip("lightgbm", reason="needs shopgen[forecast]")
    from shopgen.inventory.evaluate import evaluate

    data = shared_path("sales/walmart_weekly.csv")
    r = evaluate(data, "W", 13, 4, models=["seasonal_naive", "ets", "auto"], max_series=15, seed=7)
    auto, snaive, ets = (r["models"][m] for m in ("auto", "seasonal_naive", "ets"))
    assert auto["mase"] <= 0.9 * min(snaive["mase"], ets["mase"])
    assert 0.72 <= auto["coverage_80"] <= 0.88
    assert r["policy"]["policy"]["fill_rate"] >= 0.95
