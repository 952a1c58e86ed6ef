"""Seasons: which seasons a product is for (its 季节 / 适用季节 attributes) and the season words
copy must not use for it (冬日 for a spring/summer T-shirt).

>>> allowed([("适用季节", "春夏")])
('春', '夏')
>>> [i["claim"] for i in check("冬日里也能穿的T恤，春夏更清爽", [("适用季节", "春夏")])]
['冬日']
>>> fix("冬日里也能穿，秋冬叠穿", [("适用季节", "春夏")])
'夏日里也能穿，春夏叠穿'

A product without a season attribute, or one for 四季 / 全年, allows every season.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

SEASONS = ("春", "夏", "秋", "冬")
_ALL_YEAR = ("四季", "全年", "全季", "常年", "通用")
# season words: a season with a word that makes it one (冬日, 寒冬, 秋冬); a pair names both seasons
_AFTER = "日天季装款夜风末"
_BEFORE = {"春": "早初暮", "夏": "初盛炎仲消", "秋": "初深晚金仲", "冬": "初深寒隆严过暖"}
_PAIRS = ("春夏", "春秋", "秋冬", "夏秋", "冬春")


def _is_season_key(name: str) -> bool:
    return "季节" in name or name in ("季", "季度", "上市季", "适用季")


def allowed(facts: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """The seasons the product's season attributes name, in calendar order; all four when none is given."""
    values = [str(v) for k, v in facts if _is_season_key(str(k))]
    if not values or any(a in v for v in values for a in _ALL_YEAR):
        return SEASONS
    named = tuple(s for s in SEASONS if any(s in v for v in values))
    return named or SEASONS


def forbidden(facts: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    ok = allowed(facts)
    return tuple(s for s in SEASONS if s not in ok)


@cache
def _pattern() -> re.Pattern[str]:
    singles = [f"[{_BEFORE[s]}]{s}|{s}[{_AFTER}]" for s in SEASONS]
    return re.compile("|".join(list(_PAIRS) + singles))


def check(text: str, facts: Sequence[tuple[str, str]]) -> list[dict]:
    """A ``contradicted`` grounding issue (aspect ``season``) for each season word the product is not for."""
    bad = forbidden(facts)
    if not bad:
        return []
    ok = "".join(allowed(facts))
    out = []
    for m in _pattern().finditer(text):
        if any(s in m.group() for s in bad):
            out.append(
                {
                    "type": "contradicted",
                    "claim": m.group(),
                    "span": [m.start(), m.end()],
                    "detail": f"本商品适用季节为{ok}，不要写{'、'.join(bad)}季",
                    "aspect": "season",
                }
            )
    return out


def _replacement(word: str, ok: tuple[str, ...]) -> str:
    if word in _PAIRS:
        return "".join(ok[:2]) if len(ok) >= 2 else f"{ok[0]}季"
    if word[-1] in _AFTER and word[0] in SEASONS:
        return ok[-1] + word[-1]  # 冬日 → 夏日
    return "日常"  # 寒冬, 过冬: no season of the product reads right here


def fix(text: str, facts: Sequence[tuple[str, str]]) -> str:
    """``text`` with each season word the product is not for replaced by one of its own seasons
    (冬日 → 夏日, 秋冬 → 春夏), as the copywriter rewrites 极限词: deterministically."""
    ok = allowed(facts)
    for issue in reversed(check(text, facts)):
        start, end = issue["span"]
        text = text[:start] + _replacement(text[start:end], ok) + text[end:]
    return text


def prompt_rule(facts: Sequence[tuple[str, str]]) -> str:
    """The prompt's season instruction ('' when every season is allowed)."""
    bad = forbidden(facts)
    if not bad:
        return ""
    words = "、".join(w for s in bad for w in (f"{s}日", f"{s}天", f"{s}季"))
    return f"本商品适用季节：{''.join(allowed(facts))}。不要提到其他季节（如{words}）。"
