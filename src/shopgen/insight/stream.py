"""Timestamped texts for monitoring: ``{ts, scope | brand | product | topic, text}`` rows.

A row may name several scopes (``brand`` and ``product`` columns): it counts in each, as
``brand:棉田记``, ``product:FZ-1001``; ``scope`` is taken as given; every row also counts in ``all``. Timestamps are ISO 8601 (a
trailing ``Z`` is fine; naive times are taken as UTC) or Unix seconds.

Out-of-order rows: a row may be up to ``tolerance`` earlier than the latest row seen so far (feeds
from several sources interleave a little); an older one is rejected with its line number, since a
bucket that was already judged cannot be judged again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from shopgen.core.errors import ImportFailed, InvalidInput
from shopgen.insight import datasets

SCOPE_COLUMNS = ("brand", "product", "product_sku", "topic", "category")


@dataclass(frozen=True)
class Item:
    line: int
    ts: dt.datetime
    scopes: tuple[str, ...]
    text: str


def parse_ts(value, where: str) -> dt.datetime:
    raw = str(value).strip() if value is not None else ""
    try:
        if raw.replace(".", "", 1).isdigit():
            return dt.datetime.fromtimestamp(float(raw), dt.UTC)
        ts = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        raise ImportFailed(f"{where}: bad timestamp {raw!r} (use ISO 8601 or Unix seconds)") from None
    return ts if ts.tzinfo else ts.replace(tzinfo=dt.UTC)


def scopes_of(rec: dict) -> tuple[str, ...]:
    out = [str(rec["scope"]).strip()] if str(rec.get("scope") or "").strip() else []
    for col in SCOPE_COLUMNS:
        if str(rec.get(col) or "").strip():
            out.append(f"{'product' if col == 'product_sku' else col}:{str(rec[col]).strip()}")
    return ("all", *out)


def parse_window(spec: str) -> dt.timedelta:
    """``30m``, ``1h``, ``1d``, ``1w`` or seconds → timedelta. Raises InvalidInput."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
    spec = spec.strip().lower()
    try:
        seconds = float(spec[:-1]) * units[spec[-1]] if spec and spec[-1] in units else float(spec)
    except ValueError:
        raise InvalidInput(f"bad window {spec!r} (e.g. 30m, 1h, 1d)") from None
    if seconds <= 0:
        raise InvalidInput(f"window must be positive, got {spec!r}")
    return dt.timedelta(seconds=seconds)


def read(path: str | Path, tolerance: dt.timedelta) -> Iterator[Item]:
    """Stream items; raises ImportFailed naming the line of a bad or too-late row."""
    name = Path(path).name
    latest: dt.datetime | None = None
    for no, rec in datasets.iter_records(path):
        where = f"{name} line {no}"
        if "ts" not in rec and "time" not in rec:
            raise ImportFailed(f"{where}: no 'ts' column", {"line": no})
        ts = parse_ts(rec.get("ts", rec.get("time")), where)
        if latest is not None and ts < latest - tolerance:
            raise ImportFailed(
                f"{where}: timestamp {ts.isoformat()} is out of order (more than {tolerance} before "
                f"{latest.isoformat()}); sort the file or raise --tolerance",
                {"line": no},
            )
        latest = ts if latest is None or ts > latest else latest
        text = datasets.text_of(rec, where)
        if text.strip():
            yield Item(no, ts, scopes_of(rec), text)
