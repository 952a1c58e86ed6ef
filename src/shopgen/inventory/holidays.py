"""Chinese public holidays and shopping festivals, as a table shipped with the code (no network).

Statutory holidays are the State Council's published schedules (days off, not the make-up working
days); years not yet published are estimated from the lunar calendar and marked ``estimated``.
Shopping festivals (618, 双11, 双12, 年货节) are the platforms' usual selling windows, each with a peak
day. Shops add their own holidays as calendar entries (:mod:`shopgen.inventory.calendar`).

>>> [h.name for h in holidays_between(date(2026, 10, 1), date(2026, 10, 2))]
['国庆节']
>>> is_holiday(date(2026, 2, 17)), is_holiday(date(2026, 3, 2))
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

YEARS = range(2010, 2028)  # festivals: every year here; statutory holidays: the table below


@dataclass(frozen=True)
class Holiday:
    name: str
    start: date
    end: date  # inclusive
    kind: str  # statutory | festival
    peak: date | None = None  # a festival's biggest day
    estimated: bool = False

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


# (name, start, end) per year; a 2027 row is an estimate until the schedule is published.
_STATUTORY: dict[int, list[tuple[str, str, str]]] = {
    2023: [
        ("元旦", "2022-12-31", "2023-01-02"),
        ("春节", "2023-01-21", "2023-01-27"),
        ("清明节", "2023-04-05", "2023-04-05"),
        ("劳动节", "2023-04-29", "2023-05-03"),
        ("端午节", "2023-06-22", "2023-06-24"),
        ("中秋节", "2023-09-29", "2023-09-29"),
        ("国庆节", "2023-09-30", "2023-10-06"),
    ],
    2024: [
        ("元旦", "2024-01-01", "2024-01-01"),
        ("春节", "2024-02-10", "2024-02-17"),
        ("清明节", "2024-04-04", "2024-04-06"),
        ("劳动节", "2024-05-01", "2024-05-05"),
        ("端午节", "2024-06-08", "2024-06-10"),
        ("中秋节", "2024-09-15", "2024-09-17"),
        ("国庆节", "2024-10-01", "2024-10-07"),
    ],
    2025: [
        ("元旦", "2025-01-01", "2025-01-01"),
        ("春节", "2025-01-28", "2025-02-04"),
        ("清明节", "2025-04-04", "2025-04-06"),
        ("劳动节", "2025-05-01", "2025-05-05"),
        ("端午节", "2025-05-31", "2025-06-02"),
        ("国庆节", "2025-10-01", "2025-10-08"),  # 国庆 and 中秋 fall together
    ],
    2026: [
        ("元旦", "2026-01-01", "2026-01-03"),
        ("春节", "2026-02-15", "2026-02-23"),
        ("清明节", "2026-04-04", "2026-04-06"),
        ("劳动节", "2026-05-01", "2026-05-05"),
        ("端午节", "2026-06-19", "2026-06-21"),
        ("中秋节", "2026-09-25", "2026-09-27"),
        ("国庆节", "2026-10-01", "2026-10-07"),
    ],
    2027: [  # estimated from the lunar calendar (春节 2027-02-06, 端午 06-09, 中秋 09-15)
        ("元旦", "2027-01-01", "2027-01-01"),
        ("春节", "2027-02-05", "2027-02-11"),
        ("清明节", "2027-04-05", "2027-04-05"),
        ("劳动节", "2027-05-01", "2027-05-05"),
        ("端午节", "2027-06-09", "2027-06-09"),
        ("中秋节", "2027-09-15", "2027-09-15"),
        ("国庆节", "2027-10-01", "2027-10-07"),
    ],
}
_ESTIMATED_YEARS = {2027}

# Chinese New Year's day, for the 年货节 window (the fortnight before it) in every year of YEARS.
_NEW_YEAR = {
    2010: "02-14", 2011: "02-03", 2012: "01-23", 2013: "02-10", 2014: "01-31", 2015: "02-19",
    2016: "02-08", 2017: "01-28", 2018: "02-16", 2019: "02-05", 2020: "01-25", 2021: "02-12",
    2022: "02-01", 2023: "01-22", 2024: "02-10", 2025: "01-29", 2026: "02-17", 2027: "02-06",
}  # fmt: skip


def _d(s: str) -> date:
    return date.fromisoformat(s)


def _festivals(year: int) -> list[Holiday]:
    cny = _d(f"{year}-{_NEW_YEAR[year]}")
    return [
        Holiday("年货节", cny - timedelta(days=20), cny - timedelta(days=6), "festival", cny - timedelta(days=10)),
        Holiday("618", date(year, 6, 1), date(year, 6, 18), "festival", date(year, 6, 18)),
        Holiday("双11", date(year, 10, 31), date(year, 11, 11), "festival", date(year, 11, 11)),
        Holiday("双12", date(year, 12, 10), date(year, 12, 12), "festival", date(year, 12, 12)),
    ]


def _table() -> list[Holiday]:
    out = []
    for year in YEARS:
        for name, start, end in _STATUTORY.get(year, []):
            out.append(Holiday(name, _d(start), _d(end), "statutory", estimated=year in _ESTIMATED_YEARS))
        out.extend(_festivals(year))
    return sorted(out, key=lambda h: (h.start, h.name))


HOLIDAYS: list[Holiday] = _table()
STATUTORY_YEARS = sorted(_STATUTORY)


def holidays_between(start: date, end: date, kind: str | None = None) -> list[Holiday]:
    """Holidays overlapping ``[start, end]`` (inclusive), optionally of one ``kind``."""
    return [h for h in HOLIDAYS if h.start <= end and h.end >= start and (kind is None or h.kind == kind)]


def is_holiday(day: date) -> bool:
    """A statutory day off (festivals are selling days, not holidays)."""
    return any(h.start <= day <= h.end for h in HOLIDAYS if h.kind == "statutory")
