"""Small charts drawn on the server as inline SVG: no charting library, nothing to load, and the
text is page text, so Chinese renders with the page's own fonts.

Each function returns ``Markup`` ready for a template; every label is escaped.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

POS, NEG, MIXED, LINE, GRID, INK = "#7fd3b0", "#e34d59", "#f5b94f", "#3370ff", "#f2f3f5", "#86909c"


def _nice_max(value: float) -> int:
    if value <= 5:
        return 5
    step = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * step:
            return int(m * step)
    return int(10 * step)


def _text(x, y, s, *, anchor="middle", size=12, fill=INK, weight="400", cls="") -> str:
    c = f' class="{cls}"' if cls else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
        f'font-weight="{weight}"{c}>{escape(s)}</text>'
    )


def sentiment_weeks(weeks: list[dict], alert_weeks: set[str], *, width: int = 760, height: int = 280) -> Markup:
    """Stacked weekly bars (positive below, negative on top), the negative share as a line on a
    0–100% right axis, and a marker over weeks with an alert."""
    if not weeks:
        return Markup("")
    left, right, top, bottom = 44, 48, 28, 36
    pw, ph = width - left - right, height - top - bottom
    ymax = _nice_max(max(w["reviews"] for w in weeks))
    slot = pw / len(weeks)
    bar = min(44.0, slot * 0.56)
    parts = [
        f'<svg class="chart" id="chart-sentiment" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="每周评论情感" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i in range(6):  # grid and both axes' ticks
        y = top + ph - ph * i / 5
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(_text(left - 8, y + 4, f"{ymax * i / 5:g}", anchor="end", size=11))
        parts.append(_text(left + pw + 8, y + 4, f"{20 * i}%", anchor="start", size=11, fill=LINE))
    points = []
    for i, w in enumerate(weeks):
        cx = left + slot * (i + 0.5)
        hp, hn = ph * w["positive"] / ymax, ph * w["negative"] / ymax
        base = top + ph
        alert = w["week"] in alert_weeks
        title = f"{w['week']} 起一周：{w['reviews']} 条，负面 {w['negative']} 条（{w['negative_share']:.0%}）"
        parts.append(
            f'<g class="week{" week-alert" if alert else ""}" data-week="{escape(w["week"])}"><title>{escape(title)}</title>'
        )
        if alert:
            parts.append(
                f'<rect x="{cx - slot / 2 + 2:.1f}" y="{top - 18}" width="{slot - 4:.1f}" height="{ph + 18}" rx="6" fill="#fdecee" opacity=".6"/>'
            )
            parts.append(_text(cx, top - 6, "预警", size=11, fill=NEG, weight="700"))
        parts.append(
            f'<rect x="{cx - bar / 2:.1f}" y="{base - hp:.1f}" width="{bar:.1f}" height="{hp:.1f}" fill="{POS}" rx="2"/>'
        )
        parts.append(
            f'<rect x="{cx - bar / 2:.1f}" y="{base - hp - hn:.1f}" width="{bar:.1f}" height="{hn:.1f}" fill="{NEG}" rx="2"/>'
        )
        parts.append(_text(cx, height - bottom + 18, w["week"][5:], size=11))
        parts.append("</g>")
        points.append((cx, top + ph - ph * w["negative_share"]))
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))
    parts.append(f'<path d="{path}" fill="none" stroke="{LINE}" stroke-width="2" stroke-linejoin="round"/>')
    parts += [
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#fff" stroke="{LINE}" stroke-width="2"/>' for x, y in points
    ]
    parts.append(_text(2, top - 12, "评论数", anchor="start", size=11))
    parts.append(_text(width - 2, top - 12, "负面占比", anchor="end", size=11, fill=LINE))
    parts.append("</svg>")
    return Markup("".join(parts))


def aspect_bars(rows: list[dict], *, width: int = 520) -> Markup:
    """One horizontal bar per aspect, split into positive / mixed / negative mentions."""
    if not rows:
        return Markup("")
    label_w, value_w, row_h, top = 48, 44, 30, 8
    pw = width - label_w - value_w - 12
    height = top + row_h * len(rows) + 4
    top_total = max(r["total"] for r in rows)
    parts = [
        f'<svg class="chart" id="chart-aspects" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="各方面评价" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, r in enumerate(rows):
        y = top + i * row_h
        parts.append(
            f'<g class="aspect" data-aspect="{escape(r["aspect"])}"><title>'
            f"{escape(r['aspect'])}：好评 {r['positive']} · 褒贬不一 {r['mixed']} · 差评 {r['negative']}</title>"
        )
        parts.append(_text(label_w - 8, y + 15, r["aspect"], anchor="end", size=13, fill="#4e5969"))
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{pw}" height="14" rx="7" fill="{GRID}"/>')
        x = float(label_w)
        for key, color in (("positive", POS), ("mixed", MIXED), ("negative", NEG)):
            w = pw * r[key] / top_total
            if w > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="14" fill="{color}"/>')
            x += w
        parts.append(_text(width - 4, y + 15, f"{r['total']}", anchor="end", size=12, fill="#1d2129", weight="600"))
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


BAND, FUTURE, EVENT_COLORS = "#d6e4ff", "#f77234", {"live": "#f53f3f", "promotion": "#ff9a2e", "holiday": "#86909c",
                                                     "statutory": "#86909c", "festival": "#722ed1"}  # fmt: skip
EVENT_LABELS = {"live": "直播", "promotion": "促销", "holiday": "假日", "statutory": "法定假日", "festival": "购物节"}


def demand_forecast(
    history: list[dict], forecast: list[dict], events: list[dict], *, width: int = 860, height: int = 300
) -> Markup:
    """Sales history (solid line), the forecast (dashed) inside its 80% interval (band), and the calendar's
    live events, promotions and holidays as shaded spans labelled above the plot."""
    points = [(p["ds"], p["y"]) for p in history] + [(p["ds"], p["yhat"]) for p in forecast]
    if not points:
        return Markup("")
    left, right, top, bottom = 48, 16, 44, 34
    pw, ph = width - left - right, height - top - bottom
    dates = [d for d, _ in points]
    n = len(dates)
    ymax = _nice_max(max([v for _, v in points] + [p["hi"] for p in forecast] + [1.0]))
    slot = pw / max(n - 1, 1)

    def x(i: float) -> float:
        return left + slot * i

    def y(v: float) -> float:
        return top + ph - ph * v / ymax

    parts = [
        f'<svg class="chart" id="chart-forecast" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="销量与预测" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i in range(6):
        gy = top + ph - ph * i / 5
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{gy:.1f}" y2="{gy:.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 6, gy + 4, f"{ymax * i / 5:g}", anchor="end", size=11))
    index = {d: i for i, d in enumerate(dates)}
    label_rows = [-1e9, -1e9]  # right end of the last label in each of two rows above the plot
    for e in events:
        inside = [i for d, i in index.items() if e["start"] <= d <= e["end"]] or [
            i for d, i in index.items() if d <= e["start"]
        ][-1:]
        if not inside or e["kind"] == "statutory" and e["end"] < dates[0]:
            continue
        a, b = min(inside), max(inside)
        color = EVENT_COLORS.get(e["kind"], INK)
        label = f"{EVENT_LABELS.get(e['kind'], e['kind'])} {e['name']}"
        text = ""
        if e["kind"] in ("live", "promotion", "holiday"):  # the shop's own entries are labelled
            short = label[:10]
            row = next((r for r in (0, 1) if x(a) > label_rows[r] + 6), None)
            if row is not None:
                label_rows[row] = x(a) + 11 * len(short)
                text = _text(x(a), top - 6 - 14 * row, short, anchor="start", size=10, fill=color, weight="600")
        parts.append(
            f'<g class="event event-{escape(e["kind"])}" data-event="{escape(e["name"])}"><title>{escape(label)} '
            f"{escape(e['start'])}…{escape(e['end'])}</title>"
            f'<rect x="{x(a) - slot / 2:.1f}" y="{top}" width="{max(slot * (b - a + 1), 3):.1f}" height="{ph}" fill="{color}" opacity=".12"/>'
            + text
            + "</g>"
        )
    start = len(history)
    if forecast:
        band = [(x(start + i), y(p["hi"])) for i, p in enumerate(forecast)]
        band += [(x(start + i), y(p["lo"])) for i, p in reversed(list(enumerate(forecast)))]
        parts.append(
            '<polygon class="band" points="'
            + " ".join(f"{a:.1f},{b:.1f}" for a, b in band)
            + f'" fill="{BAND}" opacity=".8"/>'
        )
    hist = " ".join(f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(p['y']):.1f}" for i, p in enumerate(history))
    if hist:
        parts.append(f'<path class="history" d="{hist}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    if forecast:
        joined = ([(start - 1, history[-1]["y"])] if history else []) + [
            (start + i, p["yhat"]) for i, p in enumerate(forecast)
        ]
        path = " ".join(f"{'M' if k == 0 else 'L'}{x(i):.1f},{y(v):.1f}" for k, (i, v) in enumerate(joined))
        parts.append(
            f'<path class="forecast" d="{path}" fill="none" stroke="{FUTURE}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        for i, p in enumerate(forecast):
            tip = f"{p['ds']}：预测 {p['yhat']:g}（80% 区间 {p['lo']:g}–{p['hi']:g}）"
            if p.get("effect"):
                tip += f"，其中促销/直播带来 {p['effect']['units']:+g}"
            parts.append(
                f'<circle class="fc-point" cx="{x(start + i):.1f}" cy="{y(p["yhat"]):.1f}" r="3" fill="#fff" '
                f'stroke="{FUTURE}" stroke-width="2"><title>{escape(tip)}</title></circle>'
            )
        parts.append(
            f'<line x1="{x(start - 0.5):.1f}" x2="{x(start - 0.5):.1f}" y1="{top}" y2="{top + ph}" stroke="{INK}" stroke-dasharray="2 3"/>'
        )
    step = max(1, n // 8)
    for i in range(0, n, step):
        parts.append(_text(x(i), height - bottom + 16, dates[i][5:], size=10))
    parts.append("</svg>")
    return Markup("".join(parts))
