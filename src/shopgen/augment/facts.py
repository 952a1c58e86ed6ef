"""Product facts inside a text, which augmentation must never edit: sizes (S/M/XL, 175cm, 36码),
prices (¥129, 99元), numbers with their units (68kg, 3天, 两件), SKUs and order numbers, materials
(纯棉, 涤纶 …) and colours (藏青色 …).

EDA treats each span as one untouchable word; a paraphrase is kept only when it carries the same
facts (:func:`same_facts`).

>>> [s.text for s in spans("175cm 68kg穿XL码吗？纯棉的，¥129")]
['175cm', '68kg', 'XL码', '纯棉', '¥129']
>>> same_facts("订单DD20261201还没发货", "DD20261201这单怎么还不发")
True
>>> same_facts("S码有吗", "M码有吗")
False
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MATERIALS = (
    "纯棉 全棉 精梳棉 长绒棉 新疆棉 有机棉 棉麻 涤纶 聚酯纤维 锦纶 尼龙 氨纶 莱卡 腈纶 粘胶 人造棉 莫代尔 天丝 "
    "棉 羊毛 羊绒 山羊绒 绵羊毛 马海毛 兔毛 真丝 桑蚕丝 蚕丝 丝绸 亚麻 苎麻 雪纺 牛仔布 灯芯绒 摇粒绒 珊瑚绒 法兰绒 "
    "羽绒 鸭绒 鹅绒 白鸭绒 白鹅绒 灰鸭绒 真皮 头层牛皮 牛皮 羊皮 猪皮 人造革 皮革 PU皮 帆布 网布 "
    "不锈钢 铝合金 合金 塑料 硅胶 陶瓷 玻璃 钢化玻璃 实木 竹纤维 竹炭 乳胶 记忆棉 海绵 纯铜 纯银 "
    "925银 黄金 钛合金 碳纤维 橡胶 EVA TPU PVC ABS"
).split()

COLOURS = "卡其 藏青 酒红 墨绿 雾霾蓝 焦糖 香槟 玫瑰金 深空灰 午夜蓝 奶茶色 燕麦色".split()
_COLOUR = r"(?:[浅深亮暗]?(?:酒红|藏青|墨绿|天蓝|宝蓝|湖蓝|雾霾蓝|玫红|姜黄|米白|奶白|象牙白|卡其|咖啡|焦糖|香槟|[红橙黄绿青蓝紫黑白灰粉棕褐金银米咖杏驼])色)"

_CN_NUM = "零一二两三四五六七八九十百千万半"
UNITS = (
    "cm mm m kg g ml l mah gb tb mb hz w v ah km 寸 英寸 厘米 毫米 米 公里 斤 公斤 千克 克 毫升 升 码 号 "
    "元 块钱 块 毛 角 折 天 小时 分钟 秒 周 个月 月 年 岁 件 个 条 双 瓶 盒 包 袋 套 只 支 片 张 台 粒 颗 罐 箱 份 度 % 倍 层"
).split()
_UNIT = "(?:" + "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True)) + ")"
_ALNUM = "[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]"
_SIZE = r"(?:[2-6]?X{1,3}[SL]|XS|S|M|L|均码|加大码|大码|小码)"

# each alternative is one kind of fact; longer, more specific forms first
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("price", r"[¥￥$]\s*\d+(?:[.,]\d+)?(?:\s*元)?"),
    ("size", rf"(?<!{_ALNUM}){_SIZE}(?:码|号)?(?!{_ALNUM})"),
    ("code", rf"(?<!{_ALNUM}){_ALNUM}*\d{_ALNUM}*(?:[-_/.]{_ALNUM}+)*(?:\s*{_UNIT})?(?!{_ALNUM})"),
    ("number", rf"[{_CN_NUM}]+(?:米[{_CN_NUM}]+|{_UNIT})"),
    ("material", "|".join(sorted(MATERIALS, key=len, reverse=True))),
    ("colour", _COLOUR + "|" + "|".join(COLOURS)),
    ("latin", r"[A-Za-zＡ-Ｚａ-ｚ]+"),
)
_RE = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _PATTERNS), re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # price | size | code | number | material | colour | latin
    text: str

    @property
    def is_fact(self) -> bool:
        """Latin words (brand names, "ok") and 一 + a measure word (一个, 一件) are kept whole by
        EDA but are no fact a paraphrase must repeat."""
        return self.kind != "latin" and not (self.kind == "number" and self.text[0] == "一" and "米" not in self.text)


def spans(text: str) -> list[Span]:
    """Non-overlapping protected spans of ``text``, left to right."""
    out = []
    for m in _RE.finditer(text):
        kind = m.lastgroup or "code"
        out.append(Span(m.start(), m.end(), kind, m.group()))
    return out


def key(text: str) -> str:
    """NFKC, lower case, no whitespace: how facts are compared."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def facts(text: str) -> list[str]:
    """The facts of ``text`` as comparison keys (see :func:`key`), in order."""
    return [key(s.text) for s in spans(text) if s.is_fact]


def same_facts(original: str, candidate: str) -> bool:
    """Every fact of ``original`` appears in ``candidate`` and ``candidate`` states none of its own."""
    a, b = key(original), key(candidate)
    return all(f in b for f in facts(original)) and all(f in a for f in facts(candidate))
