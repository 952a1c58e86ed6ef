"""Studio page 库存 (/inventory, role ``operator``): per-SKU sales history and forecast with its 80%
interval and the calendar marked on an inline SVG chart, the purchase-suggestion table (approve as
suggested or with an edited quantity, export CSV), approved orders, and the shop calendar (add or
delete promotions, live events, holidays). Approvals and calendar changes are audited."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from shopgen.core.errors import BackendError, InvalidInput, NotFound
from shopgen.http.auth import Operator, client_address
from shopgen.http.deps import SessionDep
from shopgen.http.params import IdPath
from shopgen.inventory import repo
from shopgen.inventory.service import to_csv
from shopgen.security import audit
from shopgen.web import svgcharts
from shopgen.web.routes import render

router = APIRouter(include_in_schema=False)

WARNINGS = {
    "below_reorder_point": "低于补货点",
    "dead_stock": "滞销",
    "over_stock": "库存过多",
    "stockout_risk_before_live": "直播前可能缺货",
}
KINDS = {"promotion": "促销", "live": "直播", "holiday": "假日"}
FIELDS = {"kind": "类型", "name": "名称", "start": "开始日期", "end": "结束日期", "skus": "SKU", "price": "促销价",
          "discount": "折扣", "room": "直播间", "quantity": "数量"}  # fmt: skip
NOTICES = {"approved": "已批准采购单", "added": "已加入日历", "deleted": "已删除日历条目"}


MESSAGES = [  # (start of the English message, the field it is about, Chinese)
    ("a live event needs the products on stage", "skus", "直播需要填写上架的商品"),
    ("end is before start", "end", "结束日期早于开始日期"),
    ("an entry may span at most a year", "end", "最长一年"),
    ("kind must be one of", "kind", "应为促销、直播或假日"),
    ("Input should be a valid date", None, "格式应为 YYYY-MM-DD"),
    ("Input should be a valid number", None, "应为数字"),
    ("Input should be less than 1", None, "应小于 1（0.2 表示八折）"),
    ("Input should be greater than or equal to 0", None, "不能为负数"),
    ("String should have at least 1 character", None, "不能为空"),
    ("Input should be a valid list", None, "格式不对"),
]


def explain(exc: Exception) -> str:
    """One Chinese line naming the field."""
    msg = getattr(exc, "message", str(exc))
    field, sep, rest = msg.partition(":")
    field, rest = (field.strip().split(".")[0], rest.strip()) if sep else ("", msg)
    for start, about, chinese in MESSAGES:
        if rest.startswith(start):
            field, rest = about or field, chinese
            break
    label = FIELDS.get(field)
    return f"{label}：{rest}" if label else rest


NOTES = [  # the forecast's notes (English, for the CLI and API) in the studio's language
    (re.compile(r"the last (\w+) \((.+)\) is incomplete and was left out"), "最后一期（{1}）数据不完整，未用于预测"),
    (
        re.compile(r"filled (\d+) (\w+)\(s\) with no sales rows with zero in (\d+) series"),
        "{2} 个 SKU 共 {0} 期没有销量记录，已按 0 补齐",
    ),
    (
        re.compile(r"(\d+) series have fewer than (\d+) (\w+)s of history.*"),
        "{0} 个 SKU 历史不足 {1} 期，用最近 4 期的平均值预测",
    ),
    (re.compile(r"history too short to calibrate.*"), "历史太短，无法用回测校准，预测区间为近似值"),
]


def note_zh(note: str) -> str:
    for pattern, chinese in NOTES:
        if m := pattern.fullmatch(note):
            return chinese.format(*m.groups())
    return note


def _page(request: Request, s, sku: str = "", notice: str = "", error: str = "", status: int = 200) -> HTMLResponse:
    svc = request.app.state.inventory
    ctx: dict = {"sku": sku, "notice": notice, "error": error, "warnings": WARNINGS, "kinds": KINDS,
                 "entries": [e.to_dict() for e in repo.calendar(s).entries], "orders": repo.purchase_orders(s, 20),
                 "history": repo.summary(s), "plan": None, "series": None, "chart": "", "problem": ""}  # fmt: skip
    if ctx["history"]["rows"]:
        try:
            fc = svc.forecast()
            ctx["plan"] = svc.plan()
        except (BackendError, InvalidInput) as exc:
            ctx["problem"] = exc.message
        else:
            by_sku = {x["sku"]: x for x in fc["series"]}
            first = ctx["plan"]["items"][0]["sku"] if ctx["plan"]["items"] else next(iter(by_sku), "")
            chosen = by_sku.get(sku) or by_sku.get(first)
            ctx.update(forecast=fc, series=chosen, skus=sorted(by_sku), sku=chosen["sku"] if chosen else "")
            ctx["notes"] = [note_zh(n) for n in fc["notes"]]
            if chosen:
                events = [e for e in fc["calendar"] if not e["skus"] or chosen["sku"] in e["skus"]]
                ctx["chart"] = svgcharts.demand_forecast(chosen["history"], chosen["forecast"], events)
                ctx["effects"] = [p for p in chosen["forecast"] if p.get("effect")]
    return render(request, "inventory.html", ctx, status)


@router.get("/inventory", response_class=HTMLResponse)
def inventory_page(
    request: Request, s: SessionDep, _: Operator, sku: Annotated[str, Query(max_length=64)] = "",
    done: Annotated[str, Query(max_length=16)] = "",
):  # fmt: skip
    return _page(request, s, sku.strip(), NOTICES.get(done, ""))


@router.get("/inventory/plan.csv")
def plan_csv(request: Request, _: Operator) -> Response:
    body = "\ufeff" + to_csv(request.app.state.inventory.plan())
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="purchase-plan.csv"'})  # fmt: skip


@router.post("/inventory/approve", response_class=HTMLResponse)
def approve(
    request: Request, who: Operator, sku: Annotated[str, Form(max_length=64)] = "",
    quantity: Annotated[str, Form(max_length=12)] = "", note: Annotated[str, Form(max_length=2000)] = "",
):  # fmt: skip
    db = request.app.state.db
    try:
        qty = None
        if quantity.strip():
            if not quantity.strip().isdigit():
                raise InvalidInput(f"quantity: 应为不小于 0 的整数，收到 {quantity[:12]}")
            qty = int(quantity)
        with db.session() as s:
            request.app.state.inventory.approve(s, sku, qty, who, note, client_address(request))
    except NotFound:
        with db.session() as s:
            return _page(request, s, sku, error=f"SKU：{sku[:64]} 没有销量历史，无法给出采购建议", status=422)
    except InvalidInput as exc:
        with db.session() as s:
            return _page(request, s, sku, error=explain(exc), status=422)
    return RedirectResponse("/inventory?" + urlencode({"sku": sku, "done": "approved"}), status_code=303)


@router.post("/inventory/calendar", response_class=HTMLResponse)
def calendar_add(
    request: Request, who: Operator, kind: Annotated[str, Form(max_length=16)] = "",
    name: Annotated[str, Form(max_length=100)] = "", start: Annotated[str, Form(max_length=10)] = "",
    end: Annotated[str, Form(max_length=10)] = "", skus: Annotated[str, Form(max_length=4000)] = "",
    discount: Annotated[str, Form(max_length=8)] = "", room: Annotated[str, Form(max_length=64)] = "",
):  # fmt: skip
    db = request.app.state.db
    data = {"kind": kind, "name": name.strip(), "start": start or None, "end": end or None,
            "skus": [x.strip() for x in skus.replace("，", ",").split(",") if x.strip()],
            "discount": discount or None, "room": room.strip() or None}  # fmt: skip
    try:
        with db.session() as s:
            entry = repo.add_entry(s, repo.parse_entry(data))
            audit.record(
                s,
                who,
                "inventory.calendar_add",
                f"calendar:{entry.id}",
                entry.to_dict(),
                address=client_address(request),
            )
    except InvalidInput as exc:
        with db.session() as s:
            return _page(request, s, error=explain(exc), status=422)
    return RedirectResponse("/inventory?done=added#calendar", status_code=303)


@router.post("/inventory/calendar/{entry_id:int}/delete")
def calendar_delete(request: Request, entry_id: IdPath, who: Operator):
    with request.app.state.db.session() as s:
        repo.delete_entry(s, entry_id)
        audit.record(s, who, "inventory.calendar_delete", f"calendar:{entry_id}", address=client_address(request))
    return RedirectResponse("/inventory?done=deleted#calendar", status_code=303)
