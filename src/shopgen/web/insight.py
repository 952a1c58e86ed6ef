"""Studio page 评论洞察 (/insight, role ``operator``): the review dashboard, read through the same
functions as /api/insight, with its charts drawn as inline SVG on the server."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from shopgen.http.auth import Operator
from shopgen.http.deps import RuntimeDep, SessionDep, SettingsDep
from shopgen.insight import overview
from shopgen.insight.sources import alert_log
from shopgen.store.catalog import names_by_sku
from shopgen.web import svgcharts
from shopgen.web.routes import render

router = APIRouter(include_in_schema=False)

METRICS = {"negative_rate": "负面占比", "volume": "评论量"}
SOURCES = {"reviews": "评论数据", "log": "监测日志"}


def scope_label(scope: str, names: dict) -> str:
    kind, _, value = scope.partition(":")
    if scope == "all":
        return "全店"
    if kind == "product":
        title = (names.get(value) or {}).get("title")
        return f"商品 {value}" + (f" · {title}" if title else "")
    return {"brand": "品牌", "category": "类目", "topic": "话题"}.get(kind, kind) + f" {value}" if value else scope


def metric_value(metric: str, value) -> str:
    return f"{float(value):.0%}" if metric == "negative_rate" else f"{float(value):g} 条"


def period(alert: dict) -> str:
    try:
        start = dt.datetime.fromisoformat(alert["time"])
        end = dt.datetime.fromisoformat(alert["end"]) - dt.timedelta(seconds=1)
    except (KeyError, TypeError, ValueError):
        return str(alert.get("time", ""))
    if end - start < dt.timedelta(days=1):
        return f"{start:%Y-%m-%d %H:%M} 起"
    return f"{start:%Y-%m-%d} 至 {end:%m-%d}"


def _view(alert: dict, names: dict) -> dict:
    metric = alert.get("metric", "")
    return {
        **alert,
        "period": period(alert),
        "scope_label": scope_label(str(alert.get("scope", "")), names),
        "metric_label": METRICS.get(metric, metric),
        "value_text": metric_value(metric, alert.get("value", 0)),
        "baseline_text": metric_value(metric, alert.get("baseline", 0)),
        "source_labels": [SOURCES.get(x, x) for x in alert.get("sources", [])],
    }


@router.get("/insight", response_class=HTMLResponse)
def insight_page(
    request: Request,
    settings: SettingsDep,
    runtime: RuntimeDep,
    s: SessionDep,
    _: Operator,
    product_sku: Annotated[str, Query(max_length=64)] = "",
    brand: Annotated[str, Query(max_length=64)] = "",
):
    product_sku, brand = product_sku.strip(), brand.strip()
    names = names_by_sku(s)
    analysed = overview.configured(settings, runtime)
    o = overview.overview(analysed, names, product_sku or None, brand or None)
    found = overview.alerts(analysed, alert_log(settings.data_dir), names, product_sku or None, brand or None)
    alert_weeks = {str(a["time"])[:10] for a in found["items"]}  # weekly buckets start on the day shown
    return render(
        request,
        "insight.html",
        {
            "o": o,
            "alerts": [_view(a, names) for a in found["items"]],
            "skipped_log_lines": found["skipped_log_lines"],
            "choices": overview.choices(analysed, names),
            "product_sku": product_sku,
            "brand": brand,
            "product_title": (names.get(product_sku) or {}).get("title", ""),
            "sentiment_chart": svgcharts.sentiment_weeks(o["weeks"], alert_weeks),
            "aspect_chart": svgcharts.aspect_bars(o["aspects"]),
        },
    )
