"""Grounding check: every colour, material, size, number, claim, origin, endorsement and promotion
the copy states must be in the facts.

An issue is ``{"type": "unsupported"|"contradicted", "claim", "span": [start, end], "detail", "aspect"}``:
*contradicted* when the facts say something else about the same aspect (copy says 红色, the product
comes in 白色 and 黑色), *unsupported* when the facts say nothing about it.

>>> facts = [("类型", "T恤"), ("颜色", "白色"), ("材质", "100%棉"), ("价格", "69元")]
>>> [(i["type"], i["claim"]) for i in check("白色纯棉T恤，到手价59元，还防水。", facts)]
[('contradicted', '59元'), ('unsupported', '防水')]

The check is deliberately narrow so that style words pass: colours only as 「X色」 (or a few
standalone names such as 藏青), materials from a fixed vocabulary, sizes only next to 码/号 or in
size runs (S-XL), numbers only with a unit, claims from a fixed list, a country only when the copy
makes it the origin (日本进口, 德国工艺; not 韩版), endorsements (明星同款, 专柜, 联名 …) from a fixed list,
promotions (8折, 满199减20, 立减, 买一送一, 限时抢购, 优惠券, 秒杀价 …) only when the facts carry one: a
discount the shop does not run is a false price claim, not style.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from shopgen.copywriting import seasons
from shopgen.copywriting.attrs import Fact

# --- colours -----------------------------------------------------------------------------------
_HUE = "白黑红蓝绿黄灰紫粉棕咖橙青金银杏驼米褐橘"
_COLOUR = re.compile(
    rf"(?:[浅深淡亮暗墨藏宝天湖酒玫橘奶雾霾薄荷香槟焦糖卡其孔雀军牛仔玫瑰姜]{{0,2}}[{_HUE}]{{1,2}}色)"
    r"|藏青|酒红|卡其|香槟金|玫瑰金|雾霾蓝|牛油果绿|姜黄|咖啡色|黑白|纯白|纯黑"
)
# hues that name the same family, so 藏青 matches 蓝 and 驼色 matches 棕
_FAMILIES = [set("棕咖驼褐"), set("米杏白"), set("青蓝"), set("橙橘"), set("金黄"), set("粉红")]
_NAMED_HUES = {
    "藏青": "青蓝",
    "酒红": "红",
    "卡其": "棕米",
    "香槟金": "金",
    "玫瑰金": "金粉",
    "雾霾蓝": "蓝灰",
    "牛油果绿": "绿",
    "姜黄": "黄",
    "黑白": "黑白",
}

# --- materials: canonical name -> words in the facts that support it ------------------------------
_MATERIALS = {
    "纯棉": ("纯棉", "全棉", "100%棉", "棉100%"),
    "棉": ("棉",),
    "牛仔": ("牛仔",),
    "真丝": ("真丝", "桑蚕丝", "蚕丝"),
    "羊毛": ("羊毛", "美利奴"),
    "羊绒": ("羊绒",),
    "涤纶": ("涤纶", "聚酯"),
    "聚酯纤维": ("涤纶", "聚酯", "纤维"),
    "锦纶": ("锦纶", "尼龙"),
    "尼龙": ("锦纶", "尼龙"),
    "氨纶": ("氨纶",),
    "莫代尔": ("莫代尔",),
    "亚麻": ("亚麻", "麻"),
    "天丝": ("天丝", "莱赛尔"),
    "真皮": ("真皮", "牛皮", "羊皮", "头层"),
    "牛皮": ("牛皮", "头层"),
    "羊皮": ("羊皮",),
    "PU": ("PU", "pu"),
    "羽绒": ("羽绒", "鸭绒", "鹅绒"),
    "鸭绒": ("鸭绒",),
    "鹅绒": ("鹅绒",),
    "雪纺": ("雪纺",),
    "灯芯绒": ("灯芯绒",),
    "醋酸": ("醋酸",),
    "硅胶": ("硅胶",),
    "不锈钢": ("不锈钢",),
}
_MATERIAL_KEYS = ("材质", "面料", "里料", "填充物", "鞋面材质", "外层面料", "内胆面料", "线材", "外壳")
_MATERIAL = re.compile(
    "|".join(sorted((m for m in _MATERIALS if m != "棉"), key=len, reverse=True))
    + r"|棉(?=质|料|布|麻|面料)|(?<=[全纯精长绒])棉"
)

# --- sizes ---------------------------------------------------------------------------------------
_SIZE_TOKEN = r"(?:[2-5]XL|XXXL|XXL|XL|XS|S|M|L)"
_SIZE = re.compile(
    rf"(?<![A-Za-z])({_SIZE_TOKEN})(?:\s*[-~/、至到]\s*({_SIZE_TOKEN}))*(?![A-Za-z])(?=\s*[码号])"
    rf"|(?<![A-Za-z])({_SIZE_TOKEN})\s*[-~/至到]\s*({_SIZE_TOKEN})(?![A-Za-z])"
    r"|(?<![\d.])(\d{2,3})(?=码)"
)

# --- numbers with a unit -------------------------------------------------------------------------
_NUM = r"\d+(?:\.\d+)?"
_PRICE = re.compile(rf"[¥￥]\s*({_NUM})|({_NUM})\s*(?:元|块钱|块)")
_MEASURE = re.compile(rf"({_NUM})\s*(%|cm|厘米|mm|毫米|kg|公斤|斤|ml|毫升|g|克|天|小时|个月|mAh|W)(?![A-Za-z])", re.I)

# --- provenance and endorsement: where it is made, who stands behind it ----------------------------
# A country only counts as a claim of origin next to a word that makes it one (日本进口, 德国工艺,
# 产自新西兰); 韩版 or 法式 are styles. Supported when the facts name the same country.
_COUNTRIES = (
    "日本",
    "韩国",
    "德国",
    "意大利",
    "法国",
    "美国",
    "英国",
    "瑞士",
    "丹麦",
    "瑞典",
    "新西兰",
    "澳洲",
    "澳大利亚",
    "泰国",
    "西班牙",
    "荷兰",
    "比利时",
    "加拿大",
)
_COUNTRY = "|".join(sorted(_COUNTRIES, key=len, reverse=True))
_ORIGIN = re.compile(
    rf"(?:原产|产自|来自|源自|原产地)\s*({_COUNTRY})"
    rf"|({_COUNTRY})(?=原装|进口|制造|工艺|技术|设计|品牌|产|直邮|血统|匠心)"
)
# endorsements a shopper reads as fact: supported only when the facts say the same words (not 大牌:
# in copy it is nearly always a comparison of style, 大牌感, 不输大牌)
_ENDORSEMENTS = ("明星同款", "网红同款", "明星款", "专柜", "联名", "官方正品", "原单", "获奖", "专利")
_ENDORSEMENT = re.compile("|".join(sorted(_ENDORSEMENTS, key=len, reverse=True)))

# --- claims: claim -> words in the facts that support it ------------------------------------------
_CLAIMS = {
    "防水": ("防水", "IPX"),
    "防晒": ("防晒", "UPF", "SPF", "防紫外线"),
    "速干": ("速干", "快干"),
    "保暖": ("保暖", "加厚", "绒", "羊毛", "毛衣", "毛呢", "呢", "针织", "棉服", "冬"),
    "抗菌": ("抗菌", "抑菌"),
    "抑菌": ("抗菌", "抑菌"),
    "有机": ("有机",),
    "进口": ("进口", *_COUNTRIES),
    "纯棉": ("纯棉", "全棉", "100%棉", "棉100%"),
    "防风": ("防风",),
    "抗皱": ("抗皱", "免烫"),
    "免烫": ("免烫",),
    "防紫外线": ("防紫外线", "UPF", "防晒"),
    "无添加": ("无添加", "不添加", "0添加"),
    "零添加": ("无添加", "不添加", "0添加"),
    "除螨": ("除螨",),
    "阻燃": ("阻燃",),
    "降噪": ("降噪",),
    "快充": ("快充",),
    "正品": ("正品",),
}
_CLAIM = re.compile("|".join(sorted(_CLAIMS, key=len, reverse=True)))

# --- promotions: a discount or offer the facts do not carry ---------------------------------------------
_CN_DIGIT = "一二三四五六七八九"
_PROMOTION = re.compile(
    rf"(?:\d(?:\.\d)?|[{_CN_DIGIT}](?:[{_CN_DIGIT}])?)折(?!叠|页|角)(?:优惠|起)?"
    r"|满\d+(?:元)?(?:减|送)\d+(?:元)?|立减\d*(?:元)?|直降\d*(?:元)?|买[一二三1-9]送[一二三1-9]"
    r"|限时(?:抢购|特惠|优惠|折扣|秒杀|特价)|秒杀价?|优惠券|折扣价|特价|赠品|第二件半价"
)
_PROMOTION_FACTS = ("折", "优惠", "促销", "满减", "立减", "直降", "秒杀", "特价", "活动", "赠", "送")

_NEGATION = tuple("不非无未没")


def _norm(text: str) -> str:
    """NFKC character by character where it maps one to one (￥, full-width digits), so spans stay valid."""
    out = []
    for c in text:
        n = unicodedata.normalize("NFKC", c)
        out.append(n if len(n) == 1 else c)
    return "".join(out)


def _fact_text(facts: Iterable[Fact]) -> str:
    return _norm(" ".join(f"{k} {v}" for k, v in facts))


_CLAUSE_STOPS = re.compile(r"[，,。！？!?；;、\n]")


def _styling(text: str, start: int) -> bool:
    """True inside a styling tip (搭配牛仔裤, 配上白色小白鞋): that names another item, not this one."""
    clause = _CLAUSE_STOPS.split(text[:start])[-1]
    return "搭" in clause or "配" in clause


def _issue(kind: str, aspect: str, claim: str, start: int, end: int, detail: str) -> dict:
    return {"type": kind, "claim": claim, "span": [start, end], "detail": detail, "aspect": aspect}


def _hues(word: str) -> set[str]:
    hues = set(_NAMED_HUES.get(word, "")) | {c for c in word if c in _HUE}
    for fam in _FAMILIES:
        if hues & fam:
            hues |= fam
    return hues


def _colours(text: str, facts: Sequence[Fact], ftext: str) -> list[dict]:
    fact_hues: set[str] = set()
    for m in _COLOUR.finditer(ftext):
        fact_hues |= _hues(m.group())
    for k, v in facts:
        if k in ("颜色", "颜色分类", "色号"):
            fact_hues |= _hues(v)
    out = []
    for m in _COLOUR.finditer(text):
        if _hues(m.group()) & fact_hues or _styling(text, m.start()):
            continue
        if fact_hues:
            out.append(_issue("contradicted", "colour", m.group(), m.start(), m.end(), "facts list other colours"))
        else:
            out.append(_issue("unsupported", "colour", m.group(), m.start(), m.end(), "facts name no colour"))
    return out


def _materials(text: str, facts: Sequence[Fact], ftext: str) -> list[dict]:
    has_material = any(k in _MATERIAL_KEYS for k, _ in facts)
    out = []
    for m in _MATERIAL.finditer(text):
        word = m.group()
        if _styling(text, m.start()):
            continue
        if any(alias in ftext for alias in _MATERIALS.get(word, (word,))):
            continue
        if word == "纯棉" and "棉" in ftext:  # 棉 is true; "pure" is the part the facts do not say
            out.append(_issue("unsupported", "material", word, m.start(), m.end(), "facts say 棉, not 100% cotton"))
            continue
        kind, detail = (
            ("contradicted", "facts give another material")
            if has_material
            else ("unsupported", "facts name no such material")
        )
        out.append(_issue(kind, "material", word, m.start(), m.end(), detail))
    return out


def _sizes(text: str, facts: Sequence[Fact]) -> list[dict]:
    sizes = {_norm(v).upper().removesuffix("码") for k, v in facts if k in ("尺码", "尺寸")}
    out = []
    for m in _SIZE.finditer(text):
        for g in (x for x in m.groups() if x):
            if g.upper() in sizes:
                continue
            kind = "contradicted" if sizes else "unsupported"
            out.append(_issue(kind, "size", m.group(), m.start(), m.end(), f"size {g} is not among the facts' sizes"))
            break
    return out


def _numbers_in(ftext: str) -> set[float]:
    return {float(x) for x in re.findall(_NUM, ftext)}


def _numbers(text: str, facts: Sequence[Fact], ftext: str) -> list[dict]:
    known = _numbers_in(ftext)
    prices = {float(x) for k, v in facts if k in ("价格", "售价", "到手价") for x in re.findall(_NUM, _norm(v))}
    out = []
    for m in _PRICE.finditer(text):
        value = float(m.group(1) or m.group(2))
        if value in prices or (not prices and value in known):
            continue
        kind = "contradicted" if prices else "unsupported"
        out.append(
            _issue(
                kind,
                "price",
                m.group(),
                m.start(),
                m.end(),
                "the price in the facts differs" if prices else "facts give no price",
            )
        )
    for m in _MEASURE.finditer(text):
        if float(m.group(1)) not in known:
            out.append(_issue("unsupported", "number", m.group(), m.start(), m.end(), "number not in the facts"))
    return out


def _negated(text: str, start: int) -> bool:
    """不防水, 非进口, 不是大牌, 并非专柜: the copy denies it, so nothing is claimed."""
    return (start > 0 and text[start - 1] in _NEGATION) or text[max(0, start - 2) : start] in ("不是", "并非", "没有")


def _claims(text: str, ftext: str) -> list[dict]:
    out = []
    for m in _CLAIM.finditer(text):
        if _negated(text, m.start()):
            continue
        if not any(alias in ftext for alias in _CLAIMS[m.group()]):
            out.append(_issue("unsupported", "claim", m.group(), m.start(), m.end(), "claim not in the facts"))
    return out


def _promotions(text: str, ftext: str) -> list[dict]:
    if any(word in ftext for word in _PROMOTION_FACTS):
        return []  # the facts carry an offer; its numbers are checked with the other numbers
    return [
        _issue("unsupported", "promotion", m.group(), m.start(), m.end(), "no promotion in the facts")
        for m in _PROMOTION.finditer(text)
        if not any(n in _CLAUSE_STOPS.split(text[: m.start()])[-1][-4:].replace("无门槛", "") for n in _NEGATION)
    ]


def _provenance(text: str, ftext: str) -> list[dict]:
    out = []
    for m in _ORIGIN.finditer(text):
        country = m.group(1) or m.group(2)
        if country not in ftext and not (country in ("澳洲", "澳大利亚") and ("澳洲" in ftext or "澳大利亚" in ftext)):
            start, end = m.span(1) if m.group(1) else m.span(2)
            out.append(_issue("unsupported", "origin", country, start, end, "facts name no such origin"))
    for m in _ENDORSEMENT.finditer(text):
        if _negated(text, m.start()):
            continue
        if m.group() not in ftext:
            out.append(
                _issue("unsupported", "endorsement", m.group(), m.start(), m.end(), "endorsement not in the facts")
            )
    return out


def check(text: str, facts: Sequence[Fact]) -> list[dict]:
    """Issues of ``text`` against ``facts``, in text order, one per span."""
    original, text = text, _norm(text)
    ftext = _fact_text(facts)
    issues = (
        _colours(text, facts, ftext)
        + _materials(text, facts, ftext)
        + _sizes(text, facts)
        + _numbers(text, facts, ftext)
        + _claims(text, ftext)
        + _provenance(text, ftext)
        + _promotions(text, ftext)
        + seasons.check(original, facts)
    )
    issues.sort(key=lambda i: i["span"])
    out: list[dict] = []
    for i in issues:  # 纯棉 is both a material and a claim: report it once
        if not out or i["span"][0] >= out[-1]["span"][1]:
            out.append({**i, "claim": original[i["span"][0] : i["span"][1]]})  # as written, not normalised
    return out


def unsupported_rate(outputs: Sequence[str], facts_list: Sequence[Sequence[Fact]]) -> float:
    """Share of outputs with at least one grounding issue."""
    if len(outputs) != len(facts_list):
        from shopgen.core.errors import InvalidInput

        raise InvalidInput(f"{len(outputs)} outputs but {len(facts_list)} fact lists")
    if not outputs:
        return 0.0
    return sum(1 for text, facts in zip(outputs, facts_list) if check(text, facts)) / len(outputs)
