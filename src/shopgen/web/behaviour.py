"""Studio page 用户洞察 (/behaviour, role ``operator``): RFM segments, funnels, repeat purchase,
cohort retention and segment profiles over the shop's event store, charts drawn on the server.

The analysis is cached per (event store, catalog) version, so the page reads the store once per
change."""

from __future__ import annotations

import threading

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from shopgen.behaviour import analysis, sources
from shopgen.core.errors import InvalidInput
from shopgen.events import store as events
from shopgen.http.auth import Operator
from shopgen.http.deps import DbDep
from shopgen.recommend import catalog as shop_catalog
from shopgen.web.routes import render

router = APIRouter(include_in_schema=False)
_cache: dict = {}
_lock = threading.Lock()
STAGES = (("view", "浏览", "#9ec5fe"), ("cart", "加购", "#3370ff"), ("purchase", "购买", "#0e42d2"))


def analysed(db) -> dict | None:
    """The analysis of the shop's behaviour, or None when there is none yet."""
    with db.session() as s:
        key = (id(db), events.version(s), shop_catalog.version(s))
    with _lock:
        if _cache.get("key") == key:
            return _cache["value"]
    rows, products = sources.from_store(db)
    try:
        value = analysis.analyse(rows, products)
    except InvalidInput:
        value = None
    with _lock:
        _cache.update(key=key, value=value)
    return value


def funnel_svg(funnel: list[dict], width: int = 760, height: int = 260) -> Markup:
    """Grouped bars: viewers, carters and buyers per category."""
    if not funnel:
        return Markup("")
    left, top, bottom = 40, 16, 30
    pw, ph = width - left - 10, height - top - bottom
    ymax = max(f["view"] for f in funnel) or 1
    slot = pw / len(funnel)
    bar = min(34.0, slot / 4)
    parts = [
        f'<svg class="chart" id="chart-funnel" viewBox="0 0 {width} {height}" role="img" aria-label="各类目转化漏斗" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i in range(5):
        y = top + ph - ph * i / 4
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#f2f3f5"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#86909c">{round(ymax * i / 4)}</text>'
        )
    for n, f in enumerate(funnel):
        cx = left + slot * (n + 0.5)
        parts.append(f'<g class="funnel-group" data-category="{escape(f["key"])}">')
        for m, (stage, label, colour) in enumerate(STAGES):
            h = ph * f[stage] / ymax
            x = cx + (m - 1.5) * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{top + ph - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" fill="{colour}" rx="2">'
                f"<title>{escape(f['key'])} · {label} {f[stage]} 人</title></rect>"
            )
        parts.append(
            f'<text x="{cx:.1f}" y="{height - 10}" text-anchor="middle" font-size="12" fill="#4e5969">{escape(f["key"])}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def hours_svg(hours: list[int], width: int = 760, height: int = 160) -> Markup:
    top, bottom, left = 10, 24, 10
    ph, slot = height - top - bottom, (width - 2 * left) / 24
    ymax = max(hours) or 1
    parts = [
        f'<svg class="chart" id="chart-hours" viewBox="0 0 {width} {height}" role="img" aria-label="活跃时段" xmlns="http://www.w3.org/2000/svg">'
    ]
    for h, n in enumerate(hours):
        bh = ph * n / ymax
        x = left + slot * h
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{top + ph - bh:.1f}" width="{slot - 4:.1f}" height="{bh:.1f}" fill="#7fd3b0" rx="2"><title>{h} 点：{n} 次</title></rect>'
        )
        if h % 3 == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="11" fill="#86909c">{h}点</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


@router.get("/behaviour", response_class=HTMLResponse)
def behaviour_page(request: Request, db: DbDep, _: Operator):
    a = analysed(db)
    context = {"a": a}
    if a is not None:
        top = max(a["segments"].values())
        context.update(
            segments=[(name, n, 100 * n / top) for name, n in a["segments"].items()],
            funnel_chart=funnel_svg(a["funnel_category"]),
            hours_chart=hours_svg(a["hours"]),
            weeks=max(len(c["retention"]) for c in a["cohorts"]),
        )
    return render(request, "behaviour.html", context)
