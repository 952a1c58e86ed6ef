"""The forecasting engine: intervals around every model, the default's choice, short series,
horizon limits, monthly and intermittent data, and gaps filled explicitly."""

from datetime import date, timedelta

import pytest

from shopgen.core.errors import InvalidInput
from shopgen.inventory import engine, metrics
from shopgen.inventory import panel as P
from shopgen.inventory.calendar import Calendar, Entry
from shopgen.inventory.history import SaleRow
from tests.inventory.conftest import weekly_rows

pytest.importorskip("statsforecast", reason="needs shopgen[forecast]")


def test_auto_forecasts_with_intervals(weekly):
    pn = P.build(weekly, "W", h=6)
    run = engine.run(pn, 6, ["auto", "seasonal_naive"])
    for name in ("auto", "seasonal_naive"):
        fc = run.forecasts[name]
        assert list(fc.columns[:2]) == ["unique_id", "ds"] and len(fc) == 3 * 6
        assert (fc["lo"] <= fc["yhat"]).all() and (fc["yhat"] <= fc["hi"]).all() and (fc["lo"] >= 0).all()
        assert (fc["hi"] > fc["lo"]).any()
    assert set(run.choice) == {"A", "B", "C"}
    assert all(set(c.split("+")) <= {"lgbm", "ets", "seasonal_naive"} for c in run.choice.values())
    assert run.inner == 2 and not run.short


def test_short_series_fall_back_and_say_so(weekly):
    rows = weekly + [SaleRow("NEW", date(2026, 2, 9) + timedelta(weeks=i), 5.0) for i in range(3)]
    pn = P.build(rows, "W", h=4)
    run = engine.run(pn, 4, ["ets"])
    assert run.short == {"NEW": 3}
    assert any("fewer than 8 weeks" in n for n in run.notes)
    new = run.forecasts["ets"][run.forecasts["ets"]["unique_id"] == "NEW"]
    assert new["yhat"].tolist() == [5.0] * 4


def test_horizon_beyond_history_names_the_limit(weekly):
    pn = P.build(weekly, "W")
    with pytest.raises(InvalidInput) as e:
        engine.run(pn, 31, ["naive"])
    assert e.value.message == (
        "horizon 31 weeks is beyond what the history supports: at most 30 weeks (half of the 60 weeks of history)"
    )
    with pytest.raises(InvalidInput, match="unknown model 'prophet'; valid: auto, adida, arima"):
        engine.run(pn, 4, ["prophet"])


def test_gaps_are_filled_with_zero_and_counted():
    rows = [SaleRow("A", date(2026, 1, 5) + timedelta(weeks=i), 3.0) for i in range(10) if i not in (4, 5)]
    pn = P.build(rows, "W")
    assert pn.filled == {"A": 2}
    assert pn.df["y"].tolist()[4:6] == [0.0, 0.0]
    assert pn.notes == ["filled 2 week(s) with no sales rows with zero in 1 series"]


def test_daily_sales_to_weeks_drop_the_incomplete_last_week():
    rows = [SaleRow("A", date(2026, 1, 5) + timedelta(days=i), 1.0) for i in range(17)]  # ends on a Wednesday
    pn = P.build(rows, "W")
    assert pn.df["y"].tolist() == [7.0, 7.0]
    assert "incomplete" in pn.notes[0]


def test_monthly_and_intermittent_series():
    rows = []
    for m in range(36):
        d = date(2023 + m // 12, m % 12 + 1, 1)
        rows.append(SaleRow("M", d, 100.0 + 20 * (m % 12 in (10, 11))))
        rows.append(SaleRow("Z", d, 3.0 if m % 4 == 0 else 0.0))
    pn = P.build(rows, "M", h=6)
    run = engine.run(pn, 6, ["auto", "tsb"])
    choice = run.choice
    assert set(choice["Z"].split("+")) <= {"lgbm", "tsb", "croston", "adida"}  # mostly zero: intermittent options
    assert set(choice["M"].split("+")) <= {"lgbm", "ets", "seasonal_naive"}
    fc = run.forecasts["auto"]
    assert len(fc) == 12 and fc["ds"].dt.day.eq(1).all()


def test_planned_promotion_is_a_future_feature(weekly):
    cal = Calendar([Entry("promotion", "大促", date(2026, 3, 2), date(2026, 3, 8), ("A",), discount=0.3)])
    pn = P.build(weekly, "W", cal, h=4)
    fut = pn.future[pn.future["unique_id"] == "A"].reset_index(drop=True)
    assert fut["ds"].dt.date.tolist()[0] == date(2026, 3, 2)
    assert fut.loc[0, "promo"] == 1.0 and fut.loc[0, "discount"] == pytest.approx(0.3)
    assert fut.loc[0, "price_ratio"] == pytest.approx(0.7) and fut.loc[1, "promo"] == 0.0


def test_metrics_on_known_numbers():
    assert metrics.mase([2.0, 4.0], [3.0, 3.0], [1.0, 2.0, 3.0]) == pytest.approx(1.0)
    assert metrics.smape([0.0, 2.0], [0.0, 1.0]) == pytest.approx(100 * (0 + 2 / 3) / 2)
    assert metrics.rmsse([2.0], [4.0], [1.0, 3.0]) == pytest.approx(1.0)
    assert metrics.pinball([10.0], [8.0], 0.9) == pytest.approx(1.8)


def test_zero_share_intermittent_weekly_runs():
    rows = weekly_rows(skus=("S1", "S2"), weeks=52, zero_share=0.7, seed=5)
    pn = P.build(rows, "W", h=4)
    run = engine.run(pn, 4, ["auto", "croston"])
    assert len(run.forecasts["croston"]) == 8
    assert all(c.split("+")[0] in {"lgbm", "tsb", "croston", "adida"} for c in run.choice.values())
