"""Sales history files: parse, validate and normalise ``sku, date, quantity[, price, promo]`` rows.

Accepted: CSV or JSON Lines with the columns below (aliases in brackets), including Walmart-style
weekly files (``Store, Date, Weekly_Sales, Holiday_Flag``) and M5-style item files (``item_id,
store_id, date, sales, sell_price, event_name_1``)::

    sku [unique_id, item_id(+store_id), Store] · date [ds, Date, week, month] · quantity [qty, sales,
    units, y, Weekly_Sales] · price [sell_price] · promo [on_promotion] · holiday [Holiday_Flag] · event
    [event_name_1]

Dates are ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``YYYY-MM`` (a month) or ``DD/MM/YYYY`` (``MM/DD/YYYY`` when
a file's second field exceeds 12). Every row is checked before anything is written: a bad row names
its line and the whole file is refused. What is not an error is reported instead:

- a negative quantity is a return: it is kept apart as ``returns`` (demand is what was sold);
- rows out of date order are sorted; an exact repeat of a row is dropped; two different rows for
  the same SKU and date are two sales and are added up;
- gaps (periods with no row inside a series' span) are counted here and filled with zero,
  explicitly, when a forecast panel is built (:mod:`shopgen.inventory.panel`).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from shopgen.core import jsonl
from shopgen.core.errors import ImportFailed, InvalidInput

MAX_ERRORS = 50
ALIASES = {
    "sku": ("sku", "unique_id", "item_id", "store"),
    "date": ("date", "ds", "week", "month", "day"),
    "quantity": ("quantity", "qty", "sales", "units", "y", "weekly_sales", "demand"),
    "price": ("price", "sell_price", "unit_price"),
    "promo": ("promo", "on_promotion", "promotion"),
    "holiday": ("holiday", "holiday_flag"),
    "event": ("event", "event_name_1"),
}
_TRUE = {"1", "true", "yes", "y", "t", "是", "promo"}
_FALSE = {"", "0", "false", "no", "n", "f", "否", "none", "nan"}
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})[/.-](\d{1,2})(?:[/.-](\d{1,2}))?$")


@dataclass(frozen=True)
class SaleRow:
    sku: str
    day: date
    quantity: float  # units sold (>= 0); a file's negative quantities land in ``returns``
    returns: float = 0.0
    price: float | None = None
    promo: bool = False
    holiday: bool = False
    event: str | None = None


@dataclass
class ParseReport:
    rows: list[SaleRow]
    lines: int = 0
    returns_rows: int = 0
    returns_units: float = 0.0
    duplicates_dropped: int = 0
    merged: int = 0
    out_of_order: int = 0
    date_order: str = "ymd"
    skus: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "lines": self.lines,
            "rows": len(self.rows),
            "skus": len(self.skus),
            "returns": {"rows": self.returns_rows, "units": round(self.returns_units, 4)},
            "duplicates_dropped": self.duplicates_dropped,
            "merged_same_day": self.merged,
            "out_of_order": self.out_of_order,
            "date_format": self.date_order,
            "first": self.rows[0].day.isoformat() if self.rows else None,
            "last": max(r.day for r in self.rows).isoformat() if self.rows else None,
        }


def _key(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def _columns(header: Iterable[str]) -> dict[str, str]:
    """Map our field names to the file's column names."""
    by_key = {_key(h): h for h in header if h}
    out = {}
    for field_name, aliases in ALIASES.items():
        for a in aliases:
            if a in by_key:
                out[field_name] = by_key[a]
                break
    if "item_id" in by_key and "store_id" in by_key:
        out["sku"] = "item_id+store_id"
    missing = [f for f in ("sku", "date", "quantity") if f not in out]
    if missing:
        raise InvalidInput(f"line 1: missing column(s) {', '.join(missing)}; need sku, date, quantity")
    return out


def _day_order(values: Iterable[str]) -> str:
    """``dmy`` unless some slash date's second field exceeds 12 (then ``mdy``)."""
    for v in values:
        m = _DMY.match(v.strip())
        if m and int(m.group(2)) > 12:
            return "mdy"
    return "dmy"


def parse_date(value: str, order: str = "dmy") -> date:
    v = str(value).strip()[:10] if "T" in str(value) or " " in str(value).strip() else str(value).strip()
    if m := _YMD.match(v):
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    if m := _DMY.match(v):
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return date(y, b, a) if order == "dmy" else date(y, a, b)
    raise ValueError(f"date {value!r} is not YYYY-MM-DD, YYYY-MM or DD/MM/YYYY")


def _number(value, what: str) -> float | None:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    try:
        x = float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} {value!r} is not a number") from None
    if not math.isfinite(x):
        raise ValueError(f"{what} {value!r} is not a finite number")
    return x


def _flag(value, what: str) -> bool:
    if isinstance(value, bool):
        return value
    s = str(value if value is not None else "").strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(f"{what} {value!r} is not a yes/no flag (1/0, true/false)")


def _row(rec: dict, cols: dict[str, str], order: str) -> SaleRow:
    if cols["sku"] == "item_id+store_id":
        sku = f"{str(rec.get('item_id') or '').strip()}@{str(rec.get('store_id') or '').strip()}".strip("@")
    else:
        sku = str(rec.get(cols["sku"]) if rec.get(cols["sku"]) is not None else "").strip()
        if cols["sku"].lower() == "store" and sku:
            sku = f"store-{sku}"
    if not sku:
        raise ValueError("sku is empty")
    if len(sku) > 64:
        raise ValueError(f"sku {sku[:20]!r}… is longer than 64 characters")
    raw_date = rec.get(cols["date"])
    if raw_date in (None, ""):
        raise ValueError("date is empty")
    day = parse_date(str(raw_date), order)
    qty = _number(rec.get(cols["quantity"]), "quantity")
    if qty is None:
        raise ValueError("quantity is empty")
    price = _number(rec.get(cols["price"]), "price") if "price" in cols else None
    if price is not None and price < 0:
        raise ValueError(f"price {price:g} is negative")
    promo = _flag(rec.get(cols["promo"]), "promo") if "promo" in cols else False
    holiday = _flag(rec.get(cols["holiday"]), "holiday") if "holiday" in cols else False
    event = str(rec.get(cols["event"]) or "").strip() or None if "event" in cols else None
    sold, returned = (qty, 0.0) if qty >= 0 else (0.0, -qty)
    return SaleRow(sku, day, sold, returned, price, promo, holiday, event)


def _records(text: str, fmt: str) -> tuple[list[tuple[int, dict]], list[dict], list[str]]:
    errors: list[dict] = []
    if fmt == "jsonl":
        recs, header = [], []
        for n, obj, problem in jsonl.objects(text.splitlines()):
            if problem is not None:
                errors.append({"line": n, "error": problem})
            else:
                recs.append((n, obj))
                header.extend(k for k in obj if k not in header)
        return recs, errors, header
    reader = csv.DictReader(io.StringIO(text))
    recs = [(reader.line_num, rec) for rec in reader]
    return recs, errors, list(reader.fieldnames or [])


def normalise(rows: list[SaleRow], report: ParseReport) -> list[SaleRow]:
    """Sort by (sku, day), drop exact repeats, add up different rows of one SKU and day."""
    for a, b in zip(rows, rows[1:]):
        report.out_of_order += (b.sku, b.day) < (a.sku, a.day) and b.sku == a.sku
    seen: set[SaleRow] = set()
    merged: dict[tuple[str, date], SaleRow] = {}
    for r in rows:
        if r in seen:
            report.duplicates_dropped += 1
            continue
        seen.add(r)
        key = (r.sku, r.day)
        if key in merged:
            o = merged[key]
            report.merged += 1
            merged[key] = SaleRow(
                r.sku,
                r.day,
                o.quantity + r.quantity,
                o.returns + r.returns,
                r.price if r.price is not None else o.price,
                o.promo or r.promo,
                o.holiday or r.holiday,
                o.event or r.event,
            )
        else:
            merged[key] = r
    return [merged[k] for k in sorted(merged)]


def parse_text(text: str, fmt: str, name: str = "file") -> ParseReport:
    """Validate every row; raise ImportFailed listing each bad line, or return the normalised rows."""
    recs, errors, header = _records(text, fmt)
    try:
        cols = _columns(header)
    except InvalidInput as exc:
        raise ImportFailed(f"{name} {exc.message}; nothing was imported", [{"line": 1, "error": exc.message}]) from None
    order = _day_order(str(r.get(cols["date"]) or "") for _, r in recs)
    rows = []
    for line, rec in recs:
        try:
            rows.append(_row(rec, cols, order))
        except ValueError as exc:
            errors.append({"line": line, "error": str(exc)})
    if not rows and not errors:
        errors.append({"line": 1, "error": "the file holds no sales rows"})
    if errors:
        errors.sort(key=lambda e: e["line"])
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ImportFailed(
            f"{name} line {errors[0]['line']}: {errors[0]['error']}{more}; nothing was imported", errors[:MAX_ERRORS]
        )
    report = ParseReport(rows=[], lines=len(recs), date_order="ymd/" + order)
    report.returns_rows = sum(r.returns > 0 for r in rows)
    report.returns_units = sum(r.returns for r in rows)
    report.rows = normalise(rows, report)
    report.skus = sorted({r.sku for r in report.rows})
    return report


def read_file(path: str | Path) -> ParseReport:
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    suffixes = [s.lower() for s in path.suffixes]
    fmt = "jsonl" if {".jsonl", ".ndjson"} & set(suffixes) else "csv" if ".csv" in suffixes else ""
    if not fmt:
        raise InvalidInput(f"{path}: cannot tell the format from the extension; use .csv or .jsonl (or .csv.gz)")
    raw = path.read_bytes()
    if suffixes[-1] == ".gz":
        import gzip

        raw = gzip.decompress(raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    return parse_text(text, fmt, path.name)
