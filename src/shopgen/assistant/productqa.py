"""Questions about the product in view answered from the catalog: stock, colours, sizes,
materials, prices and any listed attribute — lookups, no model, in milliseconds.

``ask`` reads what is asked (「这件有XL吗」「有黑色吗」「是纯棉的吗」「多少钱」「产地是哪」) against the
product's own variants and attributes; a short follow-up (「那黑色呢」「L码还有吗」) keeps what the
last question asked and changes what it names. ``answer`` words the lookup. Anything else is
None, and the pipeline goes on (FAQ, then the model).

>>> p = {"sku": "T", "title": "T恤", "price": "69.00", "attributes": {"材质": "100%棉"},
...      "variants": [{"color": "白色", "size": "XL", "price": "69.00", "stock": 4},
...                   {"color": "黑色", "size": "L", "price": "69.00", "stock": 0}], "size_chart": None}
>>> answer(ask("有XL吗", p), p)
'有 XL 码：白色 仅剩 4 件。'
>>> answer(ask("那黑色呢", p, last=ask("有XL吗", p)), p)
'黑色没有 XL 码。黑色有：L（缺货）。'
>>> answer(ask("是纯棉的吗", p), p)
'是的，材质：100%棉。'
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

LOW_STOCK = 5
PRICE = re.compile(r"多少钱|价格|价钱|几块|什么价|售价|卖多少|多少米|贵吗|怎么卖")
STOCK = re.compile(r"有货|还有|有没有|有吗|有么|库存|现货|缺货|断码|卖完|没货|有.{0,6}(吗|么|嘛)")
# with a colour or size named, 「有 iPhone 16 Pro Max 吗」 is an availability question whatever its length
STOCK_NAMED = re.compile(r"有货|还有|有没有|库存|现货|缺货|断码|卖完|没货|有.*(吗|么|嘛)")
COLORS_Q = re.compile(r"(什么|哪些|哪几|几)(种|个)?(颜色|色)|颜色有|有.{0,2}(颜色|色)(可选|选)")
SIZES_Q = re.compile(r"(什么|哪些|哪几|几)(个|种)?(尺码|码|号|规格|型号|款)|尺码有|码数|规格有")
MATERIAL_Q = re.compile(r"材质|面料|成分|材料|什么做的|什么料|是.{0,4}(棉|麻|丝|毛|皮|绒|涤纶|氨纶|锦纶)")
FIBRES = (
    "纯棉",
    "棉",
    "亚麻",
    "麻",
    "真丝",
    "丝",
    "羊毛",
    "羊绒",
    "毛",
    "真皮",
    "皮",
    "涤纶",
    "聚酯",
    "氨纶",
    "锦纶",
    "牛仔",
    "雪纺",
    "绒",
)
MATERIAL_ATTRS = ("材质", "面料", "成分", "主要成分", "里料", "填充物", "材料")
COLOR_WORDS = (
    "藏青", "酒红", "军绿", "卡其", "香槟", "玫红", "天蓝", "湖蓝", "墨绿", "米白", "咖啡", "驼色",
    "黑", "白", "灰", "红", "蓝", "绿", "黄", "粉", "紫", "棕", "米", "咖", "橙", "金", "银",
)  # fmt: skip
CLOTHING_SIZE = re.compile(r"(?<![A-Za-z])(X{3,}L|XXL|XL|XS|[2-9]XL|L|M|S)(?![A-Za-z])(?:码|号)?", re.IGNORECASE)
NUMBER_SIZE = re.compile(r"(?<!\d)(\d{2})(?:码|号)")
# shop policy, not this product's data: left to the FAQ (「多少钱包邮」 is not a price question)
POLICY = re.compile(
    r"包邮|运费|邮费|退|换货|换码|发货|快递|物流|优惠|券|发票|保修|质保|到账|会员|积分|价保|差价|分期|花呗"
)
FOLLOW_UP = re.compile(r"^(那|那么|还有)?.{0,10}(呢|嘛|吗|么)?[？?。!！]*$")
# attribute names as shoppers say them
ATTR_SYNONYMS = {
    "产地": ("哪里产", "哪产的", "产地", "哪里生产", "哪生产", "在哪做", "国产"),
    "保质期": ("保质期", "能放多久", "放多久", "过期"),
    "保修": ("保修", "质保", "保多久"),
    "续航": ("续航", "用多久", "待机", "能用几个小时"),
    "防水等级": ("防水",),
    "防水性": ("防水",),
    "净含量": ("净含量", "容量", "多少毫升", "多少克", "多大量", "几毫升"),
    "重量": ("重量", "多重", "几斤", "多少斤"),
    "尺寸": ("尺寸", "多大", "多长", "多宽", "多高"),
    "适合肤质": ("肤质", "敏感肌", "油皮", "干皮"),
    "洗涤说明": ("怎么洗", "洗涤", "机洗", "手洗", "能水洗"),
    "配料": ("配料", "成分表"),
    "蓝牙版本": ("蓝牙",),
    "充电接口": ("接口", "充电口", "type-c", "typec"),
}


@dataclass
class Ask:
    sku: str
    kind: str  # stock | colors | sizes | material | price | attr
    color: str | None = None
    size: str | None = None
    attr: str | None = None
    fibre: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def _norm(s: str) -> str:
    return (s or "").replace(" ", "").upper()


def _colors(p: dict) -> list[str]:
    return list(dict.fromkeys(v["color"] for v in p["variants"] if v.get("color")))


def _sizes(p: dict) -> list[str]:
    return list(dict.fromkeys(v["size"] for v in p["variants"] if v.get("size")))


def _color_in(text: str, p: dict) -> str | None:
    """A colour the text names: one of the product's (「黑色」「黑的」), else any colour word (to say
    the product lacks it)."""
    for c in sorted(_colors(p), key=len, reverse=True):
        stem = c[:-1] if c.endswith("色") and len(c) > 1 else c
        if c in text or (len(stem) >= 1 and re.search(re.escape(stem) + r"(色|的|款)", text)):
            return c
    for w in COLOR_WORDS:
        if re.search(re.escape(w) + r"(色|的|款)", text):
            return w + "色"
    return None


def _size_in(text: str, p: dict) -> str | None:
    t = _norm(text)
    for s in sorted(_sizes(p), key=len, reverse=True):
        # whole sizes only: 「XXXL」 is not 「XXL」
        if len(s) >= 2 and re.search(r"(?<![A-Z0-9])" + re.escape(_norm(s)) + r"(?![A-Z0-9])", t):
            return s
    m = CLOTHING_SIZE.search(text) or NUMBER_SIZE.search(text)
    if m:
        want = _norm(m.group(1))
        return next((s for s in _sizes(p) if _norm(s) == want), want)
    return None


def _attr_in(text: str, p: dict) -> str | None:
    attrs = p.get("attributes") or {}
    low = text.lower()
    for name in sorted(attrs, key=len, reverse=True):
        if name in text:
            return name
    for name, words in ATTR_SYNONYMS.items():
        if name in attrs and any(w in low for w in words):
            return name
    return None


def ask(text: str, product: dict, last: Ask | None = None) -> Ask | None:
    """What ``text`` asks about ``product`` (None: not a catalog question)."""
    text = text.strip()
    if POLICY.search(text):
        return None
    sku = product["sku"]
    color, size = _color_in(text, product), _size_in(text, product)
    if MATERIAL_Q.search(text):
        fibre = next((f for f in FIBRES if f in text), None)
        return Ask(sku, "material", fibre=fibre)
    if PRICE.search(text):
        return Ask(sku, "price", color, size)
    if COLORS_Q.search(text):
        return Ask(sku, "colors", size=size)
    if SIZES_Q.search(text) and not size:
        return Ask(sku, "sizes", color=color)
    if (color or size) and STOCK_NAMED.search(text):
        return Ask(sku, "stock", color, size)
    if STOCK.search(text) and re.search(r"(这件|这款|这个|它)?(还)?(有货|有现货|库存|卖完|缺货)", text):
        return Ask(sku, "stock")
    attr = _attr_in(text, product)
    if attr:
        return Ask(sku, "attr", attr=attr)
    if last is not None and last.sku == sku and (color or size) and len(text) <= 14 and FOLLOW_UP.match(text):
        kind = last.kind if last.kind in ("stock", "price") else "stock"
        return Ask(sku, kind, color or last.color, size or last.size)
    if (color or size) and len(text) <= 12:  # 「XL」「黑色的」: availability
        return Ask(sku, "stock", color, size)
    return None


def _size_word(size: str) -> str:
    """「XL 码」「38 码」 for clothing and shoe sizes; other variants (「青轴」「500ml」) by their name."""
    return f"{size} 码" if CLOTHING_SIZE.fullmatch(size) or re.fullmatch(r"\d{2}", size) else size


def _stock_words(n: int) -> str:
    if n <= 0:
        return "缺货"
    return f"仅剩 {n} 件" if n <= LOW_STOCK else "有货"


def _label(v: dict) -> str:
    return " ".join(x for x in (v.get("color"), v.get("size")) if x) or "默认款"


def _match(p: dict, color: str | None, size: str | None) -> list[dict]:
    out = p["variants"]
    if color:
        out = [v for v in out if v.get("color") == color]
    if size:
        out = [v for v in out if _norm(v.get("size") or "") == _norm(size)]
    return out


def answer(a: Ask, p: dict) -> str:
    """The lookup in words (Chinese)."""
    title = p["title"]
    if a.kind == "price":
        vs = _match(p, a.color, a.size) or p["variants"]
        prices = sorted({v.get("price") or p["price"] for v in vs}, key=float)
        what = " ".join(x for x in (a.color, a.size) if x)
        head = f"{what} " if what and _match(p, a.color, a.size) else ""
        if len(prices) == 1:
            return f"{head}售价 {prices[0]} 元。"
        return (
            f"{head}售价 {prices[0]}–{prices[-1]} 元，"
            + "，".join(f"{_label(v)} {v.get('price') or p['price']} 元" for v in vs[:6])
            + "。"
        )
    if a.kind == "colors":
        colors = _colors(p)
        if not colors:
            return f"{title}只有一种款式。"
        return (
            f"有 {len(colors)} 种颜色："
            + "、".join(f"{c}（{_stock_words(sum(v['stock'] for v in _match(p, c, a.size)))}）" for c in colors)
            + "。"
        )
    if a.kind == "sizes":
        sizes = _sizes(p)
        if not sizes:
            return f"{title}没有尺码之分。"
        return (
            "可选尺码："
            + "、".join(f"{s}（{_stock_words(sum(v['stock'] for v in _match(p, a.color, s)))}）" for s in sizes)
            + "。"
        )
    if a.kind == "material":
        name = next((n for n in MATERIAL_ATTRS if n in (p.get("attributes") or {})), None)
        if name is None:
            return None
        value = p["attributes"][name]
        if a.fibre:
            yes = a.fibre in value or (a.fibre == "纯棉" and re.search(r"100%\s*棉", value))
            return f"{'是的' if yes else '不是'}，{name}：{value}。"
        return f"{name}：{value}。"
    if a.kind == "attr":
        return f"{a.attr}：{p['attributes'][a.attr]}。"
    # stock
    if a.color and a.color not in _colors(p):
        return f"没有{a.color}。有：" + "、".join(_colors(p)) + "。" if _colors(p) else f"{title}没有颜色可选。"
    if a.size and _norm(a.size) not in {_norm(s) for s in _sizes(p)}:
        return f"没有 {_size_word(a.size)}。有：" + "、".join(_sizes(p)) + "。"
    vs = _match(p, a.color, a.size)
    if not vs and a.color and a.size:
        others = _match(p, a.color, None)
        return (
            f"{a.color}没有 {a.size} 码。{a.color}有："
            + "、".join(f"{v['size']}（{_stock_words(v['stock'])}）" for v in others)
            + "。"
        )
    total = sum(v["stock"] for v in vs)
    if a.color and a.size:
        return f"{a.color} {a.size} {_stock_words(total)}。" if total else f"{a.color} {a.size} 暂时缺货。"
    if a.size or a.color:
        named = a.size if a.size else a.color
        other = "color" if a.size else "size"
        parts = [f"{v[other]} {_stock_words(v['stock'])}" for v in vs if v.get(other)]
        if not total:
            return f"{_size_word(named) if a.size else named} 暂时缺货。"
        if not parts:
            return f"{named} {_stock_words(total)}。"
        head = f"有 {_size_word(named)}" if a.size else f"有{named}"
        return f"{head}：" + "、".join(parts) + "。"
    if not total:
        return "暂时缺货。"
    out = [_label(v) for v in vs if v["stock"] <= 0]
    if len(vs) == 1:
        return f"{_stock_words(total)}。"
    return f"有货，{len(vs) - len(out)} 个款式有库存" + (f"；缺货：{'、'.join(out[:8])}。" if out else "。")
