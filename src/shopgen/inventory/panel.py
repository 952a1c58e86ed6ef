"""A forecasting panel: every series on one regular grid (day, week or month), gaps filled with zero
explicitly and counted, plus the known-in-advance features (price, calendar) per period.

``Panel.df`` has ``unique_id, ds, y`` and one column per feature in ``Panel.exog``; ``Panel.future``
holds the same features for the periods to forecast. Weeks start on Monday (a Walmart week dated
Friday counts for the Monday before it); months start on the 1st.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from shopgen.core.errors import InvalidInput
from shopgen.core.lazy import require
from shopgen.inventory.calendar import FEATURES, Calendar, discount_of
from shopgen.inventory.history import SaleRow

FREQS = {"D": "D", "W": "W-MON", "M": "MS"}  # ours → pandas
SEASON = {"D": 7, "W": 52, "M": 12}
YEAR = {"D": 364, "W": 52, "M": 12}
UNIT = {"D": "day", "W": "week", "M": "month"}


def check_freq(freq: str) -> str:
    f = (freq or "").upper()
    if f not in FREQS:
        raise InvalidInput(f"unknown frequency {freq!r}; valid: D (day), W (week), M (month)")
    return f


def period_start(d: date, freq: str) -> date:
    if freq == "W":
        return d - timedelta(days=d.weekday())
    if freq == "M":
        return d.replace(day=1)
    return d


def next_periods(last: date, h: int, freq: str) -> list[date]:
    out, d = [], last
    for _ in range(h):
        if freq == "D":
            d = d + timedelta(days=1)
        elif freq == "W":
            d = d + timedelta(days=7)
        else:
            d = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
        out.append(d)
    return out


def period_days(start: date, freq: str) -> list[date]:
    end = next_periods(start, 1, freq)[0]
    return [start + timedelta(days=i) for i in range((end - start).days)]


@dataclass
class Panel:
    df: object  # pandas DataFrame: unique_id, ds, y, *exog
    freq: str
    exog: list[str]
    future: object | None = None  # pandas DataFrame: unique_id, ds, *exog for the horizon
    filled: dict[str, int] = field(default_factory=dict)  # periods filled with zero, per series
    notes: list[str] = field(default_factory=list)

    @property
    def season(self) -> int:
        return SEASON[self.freq]

    def lengths(self) -> dict[str, int]:
        return self.df.groupby("unique_id", sort=False).size().to_dict()

    def last(self):
        return self.df["ds"].max()


def from_frame(df, freq: str, exog: list[str] | None = None) -> Panel:
    """A panel from a long DataFrame already on a regular grid (``unique_id, ds, y, *exog``)."""
    pd = require("pandas", "forecast")
    df = df.sort_values(["unique_id", "ds"]).reset_index(drop=True)
    df["unique_id"] = df["unique_id"].astype(str)
    df["ds"] = pd.to_datetime(df["ds"])
    return Panel(df, freq, list(exog or []))


def build(
    rows: list[SaleRow], freq: str, calendar: Calendar | None = None, *, end: date | None = None, h: int = 0
) -> Panel:
    """Aggregate sales rows to ``freq`` and fill each series from its first period to the panel's last
    (or ``end``) — a period with no row is a zero, counted in ``Panel.filled``. With ``h``, the
    features of the next ``h`` periods come from the calendar into ``Panel.future``."""
    pd = require("pandas", "forecast")
    np = require("numpy", "forecast")
    freq = check_freq(freq)
    if not rows:
        raise InvalidInput("no sales history: import some (shopgen inventory import FILE) or sync the orders")
    calendar = calendar or Calendar()
    raw = pd.DataFrame(
        {
            "unique_id": [r.sku for r in rows],
            "day": pd.to_datetime([r.day for r in rows]),
            "y": np.array([r.quantity for r in rows], dtype=float),
            "price": np.array([np.nan if r.price is None else r.price for r in rows], dtype=float),
            "file_holiday": np.array([float(r.holiday) for r in rows]),
            "file_promo": np.array([float(r.promo) for r in rows]),
            "event": np.array([float(bool(r.event)) for r in rows]),
        }
    )
    _check_grain(raw, freq)
    raw["ds"] = raw["day"].dt.to_period({"D": "D", "W": "W-SUN", "M": "M"}[freq]).dt.start_time
    agg = raw.groupby(["unique_id", "ds"], sort=True).agg(
        y=("y", "sum"), price=("price", "mean"), file_holiday=("file_holiday", "max"),
        file_promo=("file_promo", "max"), event=("event", "max"),
    ).reset_index()  # fmt: skip
    last = pd.Timestamp(period_start(end, freq)) if end else agg["ds"].max()
    notes = []
    if (
        freq != "D"
        and _daily_grained(raw)
        and raw["day"].max() < pd.Timestamp(next_periods(last.date(), 1, freq)[0]) - pd.Timedelta(days=1)
    ):
        # daily sales that stop inside the last week/month: that period is incomplete, not a slump
        agg = agg[agg["ds"] < last]
        notes.append(f"the last {UNIT[freq]} ({last.date()}) is incomplete and was left out")
        last = agg["ds"].max()
    frames, filled = [], {}
    for uid, g in agg.groupby("unique_id", sort=True):
        grid = pd.date_range(g["ds"].min(), last, freq=FREQS[freq])
        g = g.set_index("ds").reindex(grid)
        missing = int(g["y"].isna().sum())
        if missing:
            filled[uid] = missing
        g["unique_id"] = uid
        g["y"] = g["y"].fillna(0.0)
        g[["file_holiday", "file_promo", "event"]] = g[["file_holiday", "file_promo", "event"]].fillna(0.0)
        g["price"] = g["price"].ffill().bfill()
        frames.append(g.rename_axis("ds").reset_index())
    df = pd.concat(frames, ignore_index=True)
    panel = Panel(df, freq, [], filled=filled, notes=notes)
    if filled:
        panel.notes.append(
            f"filled {sum(filled.values())} {UNIT[freq]}(s) with no sales rows with zero in {len(filled)} series"
        )
    _add_features(panel, calendar, h)
    return panel


def _median_gap(raw) -> float | None:
    gaps = raw.sort_values(["unique_id", "day"]).groupby("unique_id")["day"].diff().dt.days.dropna()
    return float(gaps.median()) if len(gaps) else None


def _check_grain(raw, freq: str) -> None:
    """Refuse a grid finer than the data: weekly rows on a daily grid would read as six zero days."""
    gap = _median_gap(raw)
    if gap is None:
        return
    coarser = "M" if gap >= 28 else "W" if gap >= 7 else None
    if coarser and list(FREQS).index(freq) < list(FREQS).index(coarser):
        raise InvalidInput(
            f"the sales rows are {UNIT[coarser]}ly (median {gap:g} days apart); forecast them with --freq {coarser}, "
            f"not {freq}",
            {"median_gap_days": gap, "freq": freq},
        )


def _daily_grained(raw) -> bool:
    """True when rows are days (a median gap under a week between a SKU's rows), not weekly records."""
    gaps = raw.sort_values(["unique_id", "day"]).groupby("unique_id")["day"].diff().dt.days.dropna()
    return bool(len(gaps)) and float(gaps.median()) < 7


def _calendar_columns(panel: Panel, calendar: Calendar, frame, base_price: dict) -> dict[str, list[float]]:
    """Per-period calendar features: the mean of the daily values over each period's days.

    Built-in days depend on the date only (computed once per period); the shop's entries are few,
    so each is applied to every row it covers at once."""
    np = require("numpy", "forecast")
    n = len(frame)
    cols = {k: np.zeros(n) for k in FEATURES}
    starts = frame["ds"].dt.date.to_numpy()
    if calendar.builtin:
        per_start = {}
        for d in set(starts):
            days = period_days(d, panel.freq)
            f = Calendar([], builtin=True).features("", days)
            per_start[d] = (sum(f["holiday"]) / len(days), sum(f["festival"]) / len(days))
        cols["holiday"] = np.array([per_start[d][0] for d in starts])
        cols["festival"] = np.array([per_start[d][1] for d in starts])
    if calendar.entries:
        uids = frame["unique_id"].to_numpy()
        ends = np.array([next_periods(d, 1, panel.freq)[0] for d in starts])
        lengths = np.array([(e - s).days for s, e in zip(starts, ends)], dtype=float)
        for e in calendar.entries:
            lo = np.maximum(starts, e.start)
            hi = np.minimum(ends, e.end + timedelta(days=1))
            overlap = np.array([max(0, (b - a).days) for a, b in zip(lo, hi)], dtype=float) / lengths
            mask = overlap > 0
            if e.skus:
                mask &= np.isin(uids, list(e.skus))
            if not mask.any():
                continue
            key = {"holiday": "holiday", "live": "live", "promotion": "promo"}[e.kind]
            cols[key][mask] = np.maximum(cols[key][mask], overlap[mask])
            if e.kind == "promotion":
                for i in np.flatnonzero(mask):
                    cols["discount"][i] = max(cols["discount"][i], discount_of(e, base_price.get(uids[i])))
    return {k: v.tolist() for k, v in cols.items()}


def _add_features(panel: Panel, calendar: Calendar, h: int) -> None:
    pd = require("pandas", "forecast")
    df = panel.df
    # the regular price: the highest of the last year (older, lower prices are not "cuts")
    regular = df.groupby("unique_id")["price"].transform(lambda s: s.rolling(YEAR[panel.freq], min_periods=1).max())
    base = regular.groupby(df["unique_id"]).last().to_dict()
    for k, v in _calendar_columns(panel, calendar, df, base).items():
        df[k] = v
    df["holiday"] = df[["holiday", "file_holiday"]].max(axis=1)
    df["promo"] = df[["promo", "file_promo"]].max(axis=1)
    df["price_ratio"] = (df["price"] / regular).fillna(1.0)
    df.drop(columns=["file_holiday", "file_promo"], inplace=True)
    panel.exog = ["price_ratio", "promo", "discount", "holiday", "festival", "live", "event"]
    if h:
        last = df.groupby("unique_id")["ds"].max()
        last_ratio = df.groupby("unique_id")["price_ratio"].last()
        fut = pd.DataFrame(
            [(uid, pd.Timestamp(d)) for uid, t in last.items() for d in next_periods(t.date(), h, panel.freq)],
            columns=["unique_id", "ds"],
        )
        for k, v in _calendar_columns(panel, calendar, fut, base).items():
            fut[k] = v
        # planned promotions set the price; otherwise the last price holds
        fut["price_ratio"] = [
            (1.0 - disc) if disc > 0 else last_ratio[uid] for uid, disc in zip(fut["unique_id"], fut["discount"])
        ]
        fut["event"] = 0.0
        panel.future = fut[["unique_id", "ds", *panel.exog]]
