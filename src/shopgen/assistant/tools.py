"""Lookups the assistant answers from data, never from the model: orders and size advice.

>>> parse_body("身高175cm，体重140斤")
(175, 70)
>>> find_order_numbers("我的单号是SG202611010003，到哪了")
['SG202611010003']
"""

from __future__ import annotations

import re

from shopgen.store.models import Order

ORDER_NO = re.compile(r"SG\d{12}", re.IGNORECASE)
STATUS_ZH = {
    "pending_payment": "待付款",
    "paid": "已付款，待发货",
    "shipped": "已发货",
    "delivered": "已签收",
    "refunding": "退款处理中",
    "refunded": "已退款",
    "cancelled": "已取消",
}


def find_order_numbers(text: str) -> list[str]:
    return [m.upper() for m in ORDER_NO.findall(text)]


def order_info(o: Order) -> dict:
    """What a customer may read about their own order (never the phone or address)."""
    return {
        "order_no": o.order_no,
        "status": o.status,
        "status_zh": STATUS_ZH.get(o.status, o.status),
        "carrier": o.carrier,
        "tracking_no": o.tracking_no,
        "total": f"{o.total:.2f}",
        "items": [{"title": i.title, "variant_sku": i.variant_sku, "quantity": i.quantity} for i in o.items],
    }


def order_line(info: dict) -> str:
    items = "、".join(f"{i['title']}×{i['quantity']}" for i in info["items"])
    return f"{info['order_no']}（{items}）：{info['status_zh']}"


def order_reply(info: dict) -> str:
    items = "、".join(f"{i['title']}×{i['quantity']}" for i in info["items"])
    text = f"订单 {info['order_no']}（{items}）当前状态：{info['status_zh']}。"
    if info["carrier"] and info["tracking_no"]:
        text += f"承运快递：{info['carrier']}，运单号 {info['tracking_no']}。"
    return text


_HEIGHT = re.compile(r"(?:身高|高)?\s*(1\.\d{1,2}|1米\d{1,2}|\d{3})\s*(?:cm|厘米|公分|米)?", re.IGNORECASE)
_WEIGHT = re.compile(r"(?:体重|重)?\s*(\d{2,3}(?:\.\d)?)\s*(kg|公斤|千克|斤)", re.IGNORECASE)


SKU = re.compile(r"(?<![A-Za-z0-9-])([A-Za-z]{1,4}-\d{2,6})(?![A-Za-z0-9])")
_BARE_WEIGHT = re.compile(r"体重\s*(\d{2,3}(?:\.\d)?)(?!\s*(?:kg|公斤|千克|斤|cm|厘米))", re.IGNORECASE)


def find_sku(text: str, docs) -> str | None:
    """A product SKU named in the text (``FZ-1001``) that the knowledge index knows."""
    for m in SKU.finditer(text):
        sku = m.group(1).upper()
        if f"product:{sku}" in docs:
            return sku
    return None


def parse_body(text: str) -> tuple[int | None, int | None]:
    """Height in cm and weight in kg from free text (175cm, 1米75, 1.75米; 70kg, 140斤; 体重68)."""
    # SKUs (FZ-1001) and long digit runs (order and phone numbers) are not body measurements
    text = re.sub(r"\d{5,}", " ", SKU.sub(" ", text)).replace("，", " ").replace(",", " ")
    w = _WEIGHT.search(text)
    weight = None
    if w:
        value = float(w.group(1))
        weight = round(value / 2) if w.group(2) == "斤" else round(value)
        text = text[: w.start()] + " " + text[w.end() :]
    elif b := _BARE_WEIGHT.search(text):
        # 「体重68」 with no unit: kilograms up to 100, above that the 斤 people usually mean (130 → 65 kg)
        value = float(b.group(1))
        weight = round(value / 2) if value > 100 else round(value)
        text = text[: b.start()] + " " + text[b.end() :]
    height = None
    for m in _HEIGHT.finditer(text):
        raw = m.group(1)
        if raw.startswith("1米"):
            cm = 100 + int(raw[2:].ljust(2, "0"))
        elif raw.startswith("1."):
            cm = round(float(raw) * 100)
        else:
            cm = int(raw)
        if 100 <= cm <= 230:
            height = cm
            break
    return height, weight


def size_advice(chart: dict | None, height: int | None, weight: int | None) -> dict | None:
    """The chart row whose height and weight ranges fit; between two, the larger size.

    Returns ``{"size", "reason"}`` or None when the chart cannot tell (no chart, no body data,
    or the body is outside every range)."""
    if not chart or (height is None and weight is None):
        return None
    rows = chart["rows"]

    def fits(rng, v):
        return rng is not None and v is not None and rng[0] <= v <= rng[1]

    by_h = [i for i, r in enumerate(rows) if fits(r.get("height"), height)]
    by_w = [i for i, r in enumerate(rows) if fits(r.get("weight"), weight)]
    both = sorted(set(by_h) & set(by_w))
    pick = both[-1] if both else max(by_h + by_w) if (by_h or by_w) else None
    if pick is None:
        return None
    r = rows[pick]
    why = []
    if r.get("height"):
        why.append(f"身高{r['height'][0]}-{r['height'][1]}cm")
    if r.get("weight"):
        why.append(f"体重{r['weight'][0]}-{r['weight'][1]}kg")
    note = "" if both else "（身高和体重对应的尺码不同，按较大的一档推荐）"
    return {"size": r["size"], "reason": f"尺码表中 {r['size']} 码对应{'、'.join(why)}{note}"}
