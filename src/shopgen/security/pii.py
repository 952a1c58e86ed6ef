"""Find and mask personal data in Chinese shop text: mobile and landline numbers, ID numbers
(checksum verified), bank cards (Luhn verified), emails, postal addresses and order numbers.

>>> mask("收件人手机 138-1234-5678，寄到浙江省杭州市西湖区文三路90号3栋201室")
'收件人手机 [手机号]，寄到[地址]'
>>> mask("这件T恤¥129.00，175cm/70kg穿XL，SKU FZ-1001-WH-M")
'这件T恤¥129.00，175cm/70kg穿XL，SKU FZ-1001-WH-M'

Masking replaces each finding with its label in brackets (``[手机号]``), so text stays readable
for people and for a language model, and nothing of the value is left. Prices, sizes, SKUs,
dates and capacities are not personal data and are left alone (the test set checks this).

Addresses are found as a run of at least two consecutive address parts (province, city,
district, town, road, house number, estate, building, unit, room) that contains at least one
street-level part; "杭州发货" or "北京市朝阳区" alone are not an address anyone can visit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

LABELS = {
    "order": "订单号",
    "email": "邮箱",
    "id_card": "身份证号",
    "bank_card": "银行卡号",
    "mobile": "手机号",
    "landline": "电话",
    "address": "地址",
}
DEFAULT_ORDER_PATTERN = r"SG\d{12}"

_MOBILE = re.compile(r"(?<![\dA-Za-z])(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)")
_LANDLINE = re.compile(r"(?<![\dA-Za-z])(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}[\s-]?)[2-9]\d{6,7}(?:-\d{1,4})?(?!\d)")
_ID = re.compile(
    r"(?<![\dA-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])"
)
_CARD = re.compile(r"(?<![\dA-Za-z])(?:\d{16,19}|\d{4}(?:[\s-]\d{4}){3}(?:[\s-]\d{1,3})?)(?![\dA-Za-z])")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# ---- addresses ---------------------------------------------------------------------------
# Place-name characters: Chinese characters, minus words that usually come just before an
# address in a message ("寄到…", "地址是…", "我住在…"), so a match starts where the address does.
_NAME = "[^\\W\\d_A-Za-z在到寄送是址住我你他她的请发改往至为收货地和了吧呢吗啊把给要去帮麻烦换填写]"
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|"
    "四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_PARTS: list[tuple[str, re.Pattern, bool]] = [
    # (kind, pattern, street-level?) — tried in this order at each position
    ("province", re.compile(rf"(?:{_PROVINCES})(?:省|市|(?:壮族|回族|维吾尔)?自治区|特别行政区)"), False),
    ("city", re.compile(rf"{_NAME}{{1,6}}?(?:自治州|地区|市|盟)"), False),
    ("district", re.compile(rf"{_NAME}{{1,6}}?(?:新区|区|县|旗)"), False),
    ("town", re.compile(rf"{_NAME}{{1,8}}?(?:街道|镇|乡)"), True),
    (
        "road",
        re.compile(rf"(?:{_NAME}|\d){{1,10}}?(?:大道|大街|路|街|巷|弄|胡同)(?:[\d一二三四五六七八九十]{{1,3}}段)?"),
        True,
    ),
    ("building", re.compile(r"(?:\d{1,3}|[A-Za-z])(?:号楼|栋|幢|座)"), True),
    ("number", re.compile(r"\d{1,5}(?:-\d{1,4})?(?:号院|号|弄)"), True),
    ("estate", re.compile(rf"{_NAME}{{2,10}}?(?:小区|花园|公寓|大厦|家园|新村|社区|广场|苑|府|城)"), True),
    ("unit", re.compile(r"\d{1,2}单元"), True),
    ("room", re.compile(r"\d{1,5}(?:室|房|号房)"), True),
    ("room", re.compile(r"\d{1,3}-\d{1,4}(?:-\d{1,4})?(?![\dA-Za-z])"), True),
]
# a bare number is a room only right after a building or unit ("3栋1单元502")
_BARE_ROOM = re.compile(r"\d{2,5}(?![\dA-Za-z])")
_GAP = re.compile(r"[\s,，]{0,2}")
# two-character words that often sit right before an address and would otherwise be read as
# the start of a place name ("改成杭州市…" is not a city called 成杭州)
_LEAD = ("改成", "换成", "写成", "填成", "变成", "改为", "寄往", "发往", "送往", "送至", "寄至")


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def _id_ok(s: str) -> bool:
    total = sum(int(c) * w for c, w in zip(s[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == s[17].upper()


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _step(text: str, pos: int, gap: bool, after_building: bool) -> tuple[int, bool, bool] | None:
    """The address part at ``pos`` (after a gap of spaces or commas when ``gap``):
    (its end, street-level?, is it a building or unit?), or None."""
    at = _GAP.match(text, pos).end() if gap else pos
    for kind, pattern, is_street in _PARTS:
        m = pattern.match(text, at)
        if m and m.end() > at:
            return m.end(), is_street, kind in ("building", "unit")
    m = _BARE_ROOM.match(text, at) if after_building else None
    return (m.end(), False, False) if m else None


class _Chains:
    """Runs of consecutive address parts, each followed once.

    What follows a part depends only on where it ends and whether it was a building or unit
    (a bare number is a room only after one), so the rest of a run from there is remembered:
    a long run of place-name characters (「区区区…」) is walked once, not once per start,
    which keeps address finding linear in the text (it used to be quadratic)."""

    def __init__(self, text: str):
        self.text = text
        self.rest: dict[tuple[int, bool], tuple[int, bool, int]] = {}

    def at(self, pos: int) -> tuple[int, bool, int]:
        """Follow consecutive address parts from ``pos``: (end, has a street-level part, parts)."""
        first = _step(self.text, pos, False, False)
        if first is None:
            return pos, False, 0
        end, street, building = first
        rest_end, rest_street, rest_parts = self._rest(end, building)
        return rest_end, street or rest_street, 1 + rest_parts

    def _rest(self, end: int, building: bool) -> tuple[int, bool, int]:
        # walk forward until a remembered state or the end of the run, then fill in backwards
        walked: list[tuple[tuple[int, bool], bool]] = []
        key = (end, building)
        while key not in self.rest:
            nxt = _step(self.text, key[0], True, key[1])
            if nxt is None:
                self.rest[key] = (key[0], False, 0)
                break
            walked.append((key, nxt[1]))
            key = (nxt[0], nxt[2])
        result = self.rest[key]
        for state, street in reversed(walked):
            result = (result[0], street or result[1], result[2] + 1)
            self.rest[state] = result
        return result


def _addresses(text: str) -> Iterable[Finding]:
    chains = _Chains(text)
    pos = 0
    while pos < len(text):
        if text.startswith(_LEAD, pos):
            pos += 2
            continue
        end, street, parts = chains.at(pos)
        if parts >= 2 and street:
            yield Finding("address", pos, end, text[pos:end])
            pos = end
        else:
            pos += 1


@lru_cache(maxsize=8)
def _order_re(pattern: str) -> re.Pattern:
    return re.compile(rf"(?<![\dA-Za-z])(?:{pattern})(?![\dA-Za-z])")


def find(text: str, *, order_pattern: str = DEFAULT_ORDER_PATTERN, kinds: Iterable[str] | None = None) -> list[Finding]:
    """Every finding in ``text``, in order, non-overlapping (earlier kinds in LABELS win)."""
    wanted = set(kinds) if kinds is not None else set(LABELS)
    found: list[Finding] = []
    # one byte per character: checking a finding costs its length, and each kind's findings do
    # not overlap, so all the checks together cost a few passes over the text
    taken = bytearray(len(text))

    def add(kind: str, start: int, end: int) -> None:
        if kind in wanted and taken.find(1, start, end) == -1:
            taken[start:end] = b"\x01" * (end - start)
            found.append(Finding(kind, start, end, text[start:end]))

    for m in _order_re(order_pattern).finditer(text):
        add("order", m.start(), m.end())
    for m in _EMAIL.finditer(text):
        add("email", m.start(), m.end())
    for m in _ID.finditer(text):
        if _id_ok(m.group()):
            add("id_card", m.start(), m.end())
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 16 <= len(digits) <= 19 and _luhn_ok(digits) and not _MOBILE.fullmatch(m.group()):
            add("bank_card", m.start(), m.end())
    for m in _MOBILE.finditer(text):
        add("mobile", m.start(), m.end())
    for m in _LANDLINE.finditer(text):
        add("landline", m.start(), m.end())
    if "address" in wanted:
        for f in _addresses(text):
            # a phone number inside a run of address parts stays a phone number
            add("address", f.start, f.end)
    return sorted(found, key=lambda f: f.start)


def mask(text: str, *, order_pattern: str = DEFAULT_ORDER_PATTERN, kinds: Iterable[str] | None = None) -> str:
    """``text`` with every finding replaced by ``[label]``."""
    if not text:
        return text
    out, last = [], 0
    for f in find(text, order_pattern=order_pattern, kinds=kinds):
        out.append(text[last : f.start])
        out.append(f"[{f.label}]")
        last = f.end
    out.append(text[last:])
    return "".join(out)


def mask_obj(value, *, order_pattern: str = DEFAULT_ORDER_PATTERN):
    """Mask every string inside a JSON-like value (dicts, lists, strings); keys are kept."""
    if isinstance(value, str):
        return mask(value, order_pattern=order_pattern)
    if isinstance(value, dict):
        return {k: mask_obj(v, order_pattern=order_pattern) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_obj(v, order_pattern=order_pattern) for v in value]
    return value
