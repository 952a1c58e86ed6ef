"""Purchase suggestions: exact arithmetic on a known forecast distribution."""

from datetime import date
from statistics import NormalDist

import pytest

from shopgen.inventory import planning
from shopgen.inventory.planning import Params


def _points(n=8, mean=10.0, sd=2.0):
    half = planning.Z80 * sd
    return [{"ds": f"w{i}", "yhat": mean, "lo": mean - half, "hi": mean + half} for i in range(n)]


def test_demand_over_adds_means_and_correlated_deviations():
    mean, sd = planning.demand_over(_points(), 2.0)
    assert mean == pytest.approx(20.0)
    assert sd == pytest.approx((0.5 * 8 + 0.5 * 16) ** 0.5)  # rho 0.5 between independent and fully correlated
    mean, _ = planning.demand_over(_points(n=2), 3.5)  # past the horizon the last period repeats
    assert mean == pytest.approx(35.0)


def test_order_rounding_respects_moq_and_pack():
    assert planning.round_order(0, 50, 12) == 0
    assert planning.round_order(3.2, 50, 12) == 60
    assert planning.round_order(61, 1, 12) == 72
    assert planning.round_order(5.0, 1, 1) == 5


def _loss(z):
    n = NormalDist()
    return n.pdf(z) - z * (1 - n.cdf(z))


def test_safety_factor_meets_the_fill_rate():
    # expected shortage per cycle sd·G(z) equals (1 - fill) of the cycle's demand
    z = planning.safety_factor(0.95, 4.0, 10.0)
    assert 4.0 * _loss(z) == pytest.approx(0.05 * 10.0, rel=1e-6)
    # more erratic demand (larger sd for the same mean) needs more sds; a faster seller fewer
    assert planning.safety_factor(0.95, 8.0, 10.0) > z > planning.safety_factor(0.95, 4.0, 30.0)
    # never below the mean forecast, never beyond Z_MAX, nothing to protect without variation
    assert planning.safety_factor(0.5, 1.0, 10.0) == 0.0
    assert planning.safety_factor(0.999999, 1.0, 1.0) == planning.Z_MAX
    assert planning.safety_factor(0.95, 0.0, 10.0) == 0.0


def test_suggestion_numbers_and_warnings():
    p = Params(lead_time_days=14, review_days=7, service_level=0.95, moq=10, pack_size=5)
    s = planning.suggest(_points(), "W", 12, 3, p, recent=[10] * 13, as_of=date(2026, 11, 8))
    sd_l = (0.5 * 8 + 0.5 * 16) ** 0.5
    sd_p = (0.5 * 12 + 0.5 * 36) ** 0.5
    z = s["safety_factor"]
    assert sd_p * _loss(z) == pytest.approx(0.05 * 10, abs=1e-3)  # the review week's demand is 10
    assert z == pytest.approx(0.891, abs=0.001)
    assert s["reorder_point"] == pytest.approx(20 + z * sd_l, abs=0.01)
    assert s["order_up_to"] == pytest.approx(30 + z * sd_p, abs=0.01)
    assert s["raw_qty"] == pytest.approx(30 + z * sd_p - 15, abs=0.01)
    assert s["order_qty"] == 20  # 19.4 → whole packs of 5
    assert s["warnings"] == ["below_reorder_point"]
    # "cycle": the level is the chance of no stockout in a cycle, z its normal quantile
    cycle = planning.suggest(
        _points(), "W", 12, 3, Params(14, 7, 0.95, 10, 5, measure="cycle"), recent=[10] * 13, as_of=date(2026, 11, 8)
    )
    assert cycle["safety_factor"] == pytest.approx(1.645, abs=0.001) and cycle["service_measure"] == "cycle"
    assert cycle["order_up_to"] == pytest.approx(30 + 1.6448536 * sd_p, abs=0.01)
    assert cycle["order_qty"] == 25  # 23.1 → whole packs of 5
    over = planning.suggest(_points(), "W", 5000, 0, p, recent=[10] * 13, as_of=date(2026, 11, 8))
    assert over["order_qty"] == 0 and over["warnings"] == ["over_stock"]
    zero = [{"ds": "w", "yhat": 0.0, "lo": 0.0, "hi": 0.0}] * 8
    dead = planning.suggest(zero, "W", 40, 0, p, recent=[0] * 13, as_of=date(2026, 11, 8))
    assert dead["warnings"] == ["dead_stock"] and dead["order_qty"] == 0


def test_stockout_risk_before_a_live_event():
    p = Params(lead_time_days=14)
    live = {"name": "双12 直播", "room": "A", "start": "2026-11-22", "end": "2026-11-22"}
    s = planning.suggest(_points(), "W", 20, 100, p, recent=[10] * 13, as_of=date(2026, 11, 8), live_events=[live])
    risk = s["live_risks"][0]
    assert risk["expected_demand"] == pytest.approx(20.0)
    assert risk["available"] == 120 and risk["in_time"] is True  # the order arrives on the 22nd
    assert risk["stockout_probability"] < 0.001
    early = {**live, "start": "2026-11-15", "end": "2026-11-15"}
    s = planning.suggest(_points(), "W", 5, 100, p, recent=[10] * 13, as_of=date(2026, 11, 8), live_events=[early])
    assert s["live_risks"][0]["available"] == 5 and s["live_risks"][0]["stockout_probability"] > 0.9
    assert "stockout_risk_before_live" in s["warnings"]
