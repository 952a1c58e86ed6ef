"""The policy replay on numbers small enough to follow by hand."""

import pytest

from shopgen.inventory import simulate


def test_replay_counts_lost_sales_stockouts_and_stock():
    # order-up-to 10 every period, lead time 1: start with 10 on hand
    sold, demand, outs, stock = simulate._replay([4, 12, 3], [10, 10, 10], 1)
    # t0: on hand 10, order 0 (position 10), sell 4 → 6
    # t1: receive 0, order 4 (10 - 6), sell 6 of 12 → 0, one stockout
    # t2: receive 4, order 6, sell 3 → 1
    assert (sold, demand, outs) == (13, 19, 1)
    assert stock == pytest.approx((6 + 0 + 1) / 3)


def test_plain_rule_targets_use_only_past_demand():
    targets = simulate._plain_targets([8, 0], [4, 4, 4, 4], 4.0, "W")
    assert targets == [16.0, 4 * (4 + 4 + 4 + 8) / 4]


def test_policy_targets_stay_inside_their_window():
    mu, sd, window = [10.0, 20.0, 30.0], [0.0, 0.0, 0.0], [0, 0, 1]
    # lead 1: periods t and t+1, but not across into the next window's forecast
    assert simulate._policy_targets(mu, sd, window, 1, 0.95) == [30.0, 40.0, 60.0]


def test_policy_safety_stock_is_sized_for_the_fill_rate():
    from shopgen.inventory.planning import safety_factor

    mu, sd, window = [10.0, 10.0, 10.0], [4.0, 4.0, 4.0], [0, 0, 0]
    first = simulate._policy_targets(mu, sd, window, 1, 0.95)[0]
    sd_2 = (0.5 * (16 + 16) + 0.5 * 8**2) ** 0.5  # two periods, correlation 0.5
    assert first == pytest.approx(20 + safety_factor(0.95, sd_2, 10.0) * sd_2)
    # a higher target holds more; the cycle measure uses the normal quantile (1.645 at 95%)
    assert simulate._policy_targets(mu, sd, window, 1, 0.99)[0] > first
    assert simulate._policy_targets(mu, sd, window, 1, 0.95, "cycle")[0] == pytest.approx(20 + 1.6448536 * sd_2)
