"""Studio page 直播助手 (/live, role ``host``): the host panel.

The page itself is static HTML; ``static/live.js`` opens a room through /api/live, follows its
Server-Sent Events feed (a snapshot every second plus reply / complaint events) and draws the
charts as inline SVG in the browser.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from shopgen.http.auth import require
from shopgen.http.deps import SessionDep
from shopgen.live.intent import LABELS
from shopgen.store.models import Product
from shopgen.web.routes import render

router = APIRouter(include_in_schema=False)

INTENT_LABELS = {
    "buy": "想买",
    "ask": "提问",
    "rate": "评价",
    "review": "体验",
    "complain": "抱怨",
    "return": "退换",
    "recommend": "求推荐",
    "other": "其他",
}


@router.get("/live", response_class=HTMLResponse, dependencies=[Depends(require("host"))])
def live_page(request: Request, s: SessionDep, room: str = "demo", sku: str = "FZ-1001"):
    products = [
        {"sku": p.sku, "title": p.title}
        for p in s.scalars(select(Product).where(Product.status == "active").order_by(Product.sku))
    ]
    return render(
        request,
        "live.html",
        {
            "products": products,
            "room": room[:64],
            "sku": sku[:64],
            "intents": [(k, INTENT_LABELS.get(k, k)) for k in LABELS],
        },
    )
