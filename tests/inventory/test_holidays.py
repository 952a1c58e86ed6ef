from datetime import date

import pytest

from shopgen.inventory import holidays
from shopgen.inventory.calendar import Calendar, Entry


def test_statutory_holidays_and_festivals():
    names = {h.name for h in holidays.holidays_between(date(2026, 2, 15), date(2026, 2, 23))}
    assert "春节" in names
    assert holidays.is_holiday(date(2026, 10, 3)) and not holidays.is_holiday(date(2026, 10, 9))
    double11 = [h for h in holidays.holidays_between(date(2026, 11, 11), date(2026, 11, 11)) if h.name == "双11"]
    assert double11 and double11[0].peak == date(2026, 11, 11) and double11[0].kind == "festival"
    assert all(h.estimated for h in holidays.holidays_between(date(2027, 1, 1), date(2027, 12, 31), "statutory"))
    assert {2024, 2025, 2026} <= set(holidays.STATUTORY_YEARS)


def test_calendar_features_per_day():
    cal = Calendar([
        Entry("promotion", "大促", date(2026, 12, 10), date(2026, 12, 12), ("A",), price=80.0),
        Entry("live", "直播", date(2026, 12, 11), date(2026, 12, 11), ("A", "B")),
    ])  # fmt: skip
    days = [date(2026, 12, 10), date(2026, 12, 11), date(2026, 12, 12), date(2026, 12, 13)]
    f = cal.features("A", days, base_price=100.0)
    assert f["promo"] == [1.0, 1.0, 1.0, 0.0]
    assert f["discount"] == pytest.approx([0.2, 0.2, 0.2, 0.0])
    assert f["live"] == [0.0, 1.0, 0.0, 0.0]
    assert f["festival"] == [0.5, 0.5, 1.0, 0.0]  # 双12: peak on the 12th
    assert cal.features("C", days)["live"] == [0.0] * 4
