"""The calendar a forecast knows about: Chinese holidays and shopping festivals (built in), plus the
shop's own holidays, promotions and live events (``inventory_calendar`` rows).

:meth:`Calendar.features` turns it into per-day numbers for one SKU: ``holiday`` (a statutory or
custom day off, or the sales file's own holiday flag), ``festival`` (inside a selling festival;
1.0 on its peak day, 0.5 on the other days), ``promo`` (a promotion covers the SKU), ``discount``
(share off the regular price during it) and ``live`` (the SKU is on stage in a live event).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from shopgen.inventory import holidays

KINDS = ("holiday", "promotion", "live")
FEATURES = ("holiday", "festival", "promo", "discount", "live")


@dataclass(frozen=True)
class Entry:
    kind: str
    name: str
    start: date
    end: date
    skus: tuple[str, ...] = ()
    price: float | None = None
    discount: float | None = None
    room: str | None = None
    id: int | None = None

    def covers(self, sku: str, day: date) -> bool:
        return self.start <= day <= self.end and (not self.skus or sku in self.skus)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "skus": list(self.skus),
            "price": self.price,
            "discount": self.discount,
            "room": self.room,
        }


@dataclass
class Calendar:
    entries: list[Entry] = field(default_factory=list)
    builtin: bool = True  # Chinese holidays and festivals; off for foreign data (Walmart, M5)

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]

    def for_sku(self, sku: str) -> list[Entry]:
        return [e for e in self.entries if not e.skus or sku in e.skus]

    def features(self, sku: str, days: Iterable[date], base_price: float | None = None) -> dict[str, list[float]]:
        """Per-day feature values for ``sku`` (see the module docstring), one list per name."""
        days = list(days)
        out: dict[str, list[float]] = {k: [0.0] * len(days) for k in FEATURES}
        if not days:
            return out
        mine = self.for_sku(sku)
        lo, hi = min(days), max(days)
        built = holidays.holidays_between(lo, hi) if self.builtin else []
        for i, d in enumerate(days):
            for h in built:
                if h.start <= d <= h.end:
                    if h.kind == "statutory":
                        out["holiday"][i] = 1.0
                    else:
                        out["festival"][i] = max(out["festival"][i], 1.0 if d == h.peak else 0.5)
            for e in mine:
                if not (e.start <= d <= e.end):
                    continue
                if e.kind == "holiday":
                    out["holiday"][i] = 1.0
                elif e.kind == "live":
                    out["live"][i] = 1.0
                else:
                    out["promo"][i] = 1.0
                    out["discount"][i] = max(out["discount"][i], discount_of(e, base_price))
        return out

    def events_between(self, start: date, end: date, sku: str | None = None) -> list[dict]:
        """Everything on the calendar in ``[start, end]`` for a chart: shop entries and built-in days."""
        found = [
            e.to_dict()
            for e in self.entries
            if e.start <= end
            and e.end >= start
            and (sku is None or e.covers(sku, e.start) or not e.skus or sku in e.skus)
        ]
        if self.builtin:
            for h in holidays.holidays_between(start, end):
                found.append(
                    {"id": None, "kind": h.kind, "name": h.name, "start": h.start.isoformat(), "end": h.end.isoformat(),
                     "skus": [], "price": None, "discount": None, "room": None, "estimated": h.estimated}
                )  # fmt: skip
        return sorted(found, key=lambda e: (e["start"], e["name"]))


def discount_of(e: Entry, base_price: float | None) -> float:
    if e.discount is not None:
        return float(e.discount)
    if e.price is not None and base_price:
        return max(0.0, min(0.95, 1.0 - e.price / base_price))
    return 0.0


def daterange(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
