"""The product form: typed text in, a validated catalog edit out, Chinese messages on the way.

Attributes, images and the size chart are plain text, one item per line, so an operator can
paste them from a spreadsheet. :meth:`ProductForm.to_data` checks every field and line and
raises :class:`FormInvalid` listing each problem ("价格：必须是不小于 0 的数字",
"尺码表第 2 行：身高范围应写成 160-170"); nothing reaches the store until the whole form is
valid. The form keeps what the user typed, so a rejected form is shown again unchanged.

Raises FormInvalid (an InvalidInput, HTTP 422).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from itertools import zip_longest

from shopgen.core.errors import InvalidInput
from shopgen.web.labels import PRODUCT_STATUS
from shopgen.web.sizechart import parse_size_chart, size_chart_text

SKU_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
MAX_PRICE = Decimal("100000000")
MAX_STOCK = 10_000_000
VARIANT_KEYS = ("sku", "color", "size", "price", "stock")
SKU_RULE = "只能由字母、数字和 - _ . 组成，并以字母或数字开头"


class FormInvalid(InvalidInput):
    """The form has problems; ``messages`` holds one Chinese line per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages), {"messages": messages})
        self.messages = messages


class _Bad(Exception):
    """One problem with one field or line; collected into FormInvalid."""


def _money(text: str, label: str) -> Decimal | None:
    t = text.strip().lstrip("¥￥").replace(",", "").strip()
    if not t:
        return None
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise _Bad(f"{label}：必须是不小于 0 的数字") from None
    if not value.is_finite() or value < 0:
        raise _Bad(f"{label}：必须是不小于 0 的数字")
    if value.as_tuple().exponent < -2:
        raise _Bad(f"{label}：最多两位小数")
    if value >= MAX_PRICE:
        raise _Bad(f"{label}：不能超过 99999999.99")
    return value


def _stock(text: str, label: str) -> int:
    t = text.strip()
    if not t:
        return 0
    if not t.isascii() or not t.isdigit():
        raise _Bad(f"{label}：必须是不小于 0 的整数")
    if int(t) > MAX_STOCK:
        raise _Bad(f"{label}：不能超过 {MAX_STOCK}")
    return int(t)


def _text(text: str, label: str, *, max_len: int, required: bool = False) -> str:
    t = text.strip()
    if required and not t:
        raise _Bad(f"{label}：不能为空")
    if len(t) > max_len:
        raise _Bad(f"{label}：最多 {max_len} 个字（现在 {len(t)} 个）")
    return t


def _sku(text: str, label: str) -> str:
    t = _text(text, label, max_len=64, required=True)
    if not SKU_RE.match(t):
        raise _Bad(f"{label}：{SKU_RULE}")
    return t


def _lines(text: str):
    """(line number, stripped line) for each non-blank line."""
    for n, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            yield n, raw.strip()


def parse_attributes(text: str, errors: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for n, line in _lines(text):
        name, sep, value = line.replace("＝", "=").partition("=")
        name, value = name.strip(), value.strip()
        where = f"属性第 {n} 行"
        if not sep or not name or not value:
            errors.append(f"{where}：应写成 名称=值，如 面料=纯棉")
        elif name in out:
            errors.append(f"{where}：“{name}”与前面重复")
        elif len(name) > 64 or len(value) > 500:
            errors.append(f"{where}：名称最多 64 个字，值最多 500 个字")
        else:
            out[name] = value
    return out


def parse_images(text: str, errors: list[str]) -> list[dict]:
    out = []
    for n, line in _lines(text):
        url, _, alt = line.partition(" ")
        if len(url) > 500 or len(alt.strip()) > 200:
            errors.append(f"图片第 {n} 行：地址最多 500 个字符，说明最多 200 个字")
        else:
            out.append({"url": url, "alt": alt.strip()})
    return out


@dataclass
class ProductForm:
    """The product form exactly as typed (all strings), for re-display and parsing."""

    sku: str = ""
    title: str = ""
    category: str = ""
    brand: str = ""
    price: str = ""
    status: str = "active"
    description: str = ""
    attributes: str = ""
    images: str = ""
    size_chart: str = ""
    variants: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def from_product(cls, p: dict) -> ProductForm:
        """From ``catalog.to_dict`` output."""
        return cls(
            sku=p["sku"],
            title=p["title"],
            category=p["category"],
            brand=p["brand"] or "",
            price=p["price"],
            status=p["status"],
            description=p["description"] or "",
            attributes="\n".join(f"{k}={v}" for k, v in p["attributes"].items()),
            images="\n".join(f"{i['url']} {i['alt']}".strip() for i in p["images"]),
            size_chart=size_chart_text(p["size_chart"]),
            variants=[{k: "" if v.get(k) is None else str(v[k]) for k in VARIANT_KEYS} for v in p["variants"]],
        )

    @classmethod
    def from_post(cls, form) -> ProductForm:
        """From posted form data (a Starlette ``FormData``); variant cells arrive as ``v_<key>`` lists."""
        scalars = {f.name: str(form.get(f.name) or "") for f in fields(cls) if f.name != "variants"}
        columns = [form.getlist(f"v_{k}") for k in VARIANT_KEYS]
        rows = [{k: str(v or "") for k, v in zip(VARIANT_KEYS, cells)} for cells in zip_longest(*columns, fillvalue="")]
        # untouched empty rows are not kept: the page adds fresh ones each time it is shown
        variants = [r for r in rows if any(v.strip() for v in r.values())]
        return cls(**scalars, variants=variants)

    def _variants(self, errors: list[str]) -> list[dict]:
        out, skus, combos = [], {}, {}
        for n, row in enumerate(self.variants, start=1):
            if not row.get("sku", "").strip():
                continue  # a row without SKU is an empty or removed row
            where = f"规格第 {n} 行"
            try:
                v = {
                    "sku": _sku(row["sku"], f"{where} SKU"),
                    "color": _text(row.get("color", ""), f"{where} 颜色", max_len=32) or None,
                    "size": _text(row.get("size", ""), f"{where} 尺码", max_len=32) or None,
                    "price": _money(row.get("price", ""), f"{where} 价格"),
                    "stock": _stock(row.get("stock", ""), f"{where} 库存"),
                }
            except _Bad as exc:
                errors.append(str(exc))
                continue
            combo = (v["color"], v["size"])
            if v["sku"] in skus:
                errors.append(f"{where}：SKU {v['sku']} 与第 {skus[v['sku']]} 行重复")
            elif combo in combos:
                errors.append(f"{where}：颜色和尺码与第 {combos[combo]} 行相同")
            skus.setdefault(v["sku"], n)
            combos.setdefault(combo, n)
            out.append(v)
        return out

    def to_data(self, *, new: bool = False, unit: str = "cm") -> dict:
        """Every field, checked; a dict for ``ProductIn`` (``new``) or ``ProductPatch``.

        Raises FormInvalid listing every problem found.
        """
        errors: list[str] = []
        data: dict = {}
        checks = [
            ("title", lambda: _text(self.title, "标题", max_len=200, required=True)),
            ("category", lambda: _text(self.category, "类目", max_len=32, required=True)),
            ("brand", lambda: _text(self.brand, "品牌", max_len=64) or None),
            ("price", lambda: self._price()),
            ("status", lambda: self._status()),
            ("description", lambda: _text(self.description, "描述", max_len=5000)),
        ]
        if new:
            checks.insert(0, ("sku", lambda: _sku(self.sku, "SKU")))
        for key, check in checks:
            try:
                data[key] = check()
            except _Bad as exc:
                errors.append(str(exc))
        data["attributes"] = parse_attributes(self.attributes, errors)
        data["variants"] = self._variants(errors)
        data["images"] = parse_images(self.images, errors)
        data["size_chart"] = parse_size_chart(self.size_chart, errors, unit)
        if data["size_chart"] and not errors:
            charted = {r["size"] for r in data["size_chart"]["rows"]}
            missing = sorted({v["size"] for v in data["variants"] if v["size"]} - charted)
            if missing:
                errors.append(f"尺码表：缺少在售尺码 {'、'.join(missing)}（规格里用到的尺码都要写进尺码表）")
        if errors:
            raise FormInvalid(errors)
        return data

    def _price(self) -> Decimal:
        value = _money(self.price, "价格")
        if value is None:
            raise _Bad("价格：不能为空")
        return value

    def _status(self) -> str:
        if self.status not in PRODUCT_STATUS:
            raise _Bad("状态：请选择 在售、草稿 或 已下架")
        return self.status
