"""Advertising-law check for product copy: 极限词, medical claims, and the shop's own banned words.

Each flag is ``{"type": "absolute"|"medical"|"banned", "word", "start", "end", "suggestion"}``
with ``text[start:end] == word``; :func:`rewrite` swaps every flagged word for its suggestion, or
drops the clause around it when there is no compliant way to say it (抗癌, a banned word).

>>> [f["word"] for f in check("全网最低价，销量第一！第一次穿就爱上了")]
['全网最低', '销量第一']
>>> rewrite("这是最好的面霜，祛斑效果绝对明显。", category="美妆")
'这是很好的面霜，提亮肤色效果非常明显。'

'最' is flagged as a superlative (最美, 最受欢迎) but not in ordinary words (最近, 最后, 最初);
'第一' is flagged except as an ordinal (第一次, 第一眼, 第一步); '100%' is allowed as a fibre or
ingredient share (100%棉, 羊毛100%).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from shopgen.core.errors import InvalidInput

DATA = Path(__file__).with_name("data")
# the law's medical-claim ban is for cosmetics and ordinary food; None (unknown) checks it too
MEDICAL_CATEGORIES = {"美妆", "化妆品", "护肤", "彩妆", "个护", "食品", "保健", "保健食品", "母婴", "cosmetics", "food"}
# disease-treatment claims (治疗失眠) are banned for every product but medicines and medical devices
DRUG_CATEGORIES = {"医疗", "药品", "医疗器械", "medicine"}
_TREAT_VERBS = ("治疗", "治愈", "根治", "医治", "缓解", "改善", "告别", "预防", "远离", "治")

_ORDINARY_ZUI = set("近后初终末")
_ZUI_SUGGEST = {"最佳": "理想", "最优": "优质", "最低价": "优惠价", "最新": "全新", "最强": "强劲", "之最": "佼佼者"}
_ORDINAL_AFTER = (
    "次",
    "步",
    "天",
    "眼",
    "时间",
    "口",
    "印象",
    "个",
    "件",
    "层",
    "课",
    "章",
    "季",
    "期",
    "代",
    "批",
    "位",
    "年",
    "轮",
    "遍",
)
_FIBRE = re.compile(
    r"\s*(纯|全|新疆|有机|长绒|精梳)?(棉|羊毛|羊绒|桑蚕丝|真丝|蚕丝|涤纶|聚酯|锦纶|尼龙|亚麻|麻|莫代尔|天丝|牛皮|头层|鸭绒|鹅绒|果汁|原汁|鲜榨|可可)"
)
_CLAUSE_END = "，,；;：:、\n"
_SENTENCE_END = "。！？!?…"


def load_words(path: str | Path) -> dict[str, str]:
    """``word<TAB>suggestion`` per line (the suggestion may be missing); ``#`` lines are comments.

    Raises InvalidInput when the file does not exist.
    """
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"word list {p} does not exist")
    words: dict[str, str] = {}
    for line in p.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        word, _, suggestion = line.partition("\t")
        if word.strip():
            words[word.strip()] = suggestion.strip()
    return words


@cache
def _shipped(name: str) -> dict[str, str]:
    return load_words(DATA / name)


def _banned(banned: str | Path | Iterable[str] | None) -> dict[str, str]:
    if banned is None:
        return _shipped("banned_words.txt")
    if isinstance(banned, (str, Path)):
        return {w: "" for w in load_words(banned)}
    return {w.strip(): "" for w in banned if w and w.strip()}


def _find_words(text: str, words: dict[str, str], kind: str) -> list[dict]:
    flags = []
    for word in sorted(words, key=len, reverse=True):
        for m in re.finditer(re.escape(word), text):
            flags.append(_flag(kind, text, m.start(), m.end(), words[word]))
    return flags


def _flag(kind: str, text: str, start: int, end: int, suggestion: str) -> dict:
    return {"type": kind, "word": text[start:end], "start": start, "end": end, "suggestion": suggestion}


@cache
def _disease_words() -> tuple[dict[str, str], re.Pattern[str]]:
    """(claim words, the pattern of a treating verb followed by a named condition)."""
    words, conditions = {}, []
    for word, suggestion in _shipped("disease_words.txt").items():
        if word.startswith("病:"):
            conditions.append(word[2:])
        else:
            words[word] = suggestion
    verbs = "|".join(map(re.escape, _TREAT_VERBS))
    names = "|".join(map(re.escape, sorted(conditions, key=len, reverse=True)))
    return words, re.compile(f"(?:{verbs})(?:{names})")


def _disease_claims(text: str) -> list[dict]:
    """治疗失眠, 缓解颈椎病 (verb + condition, the clause goes) and the plain claim words (治愈, 抗癌)."""
    words, claims = _disease_words()
    return [_flag("medical", text, m.start(), m.end(), "") for m in claims.finditer(text)] + _find_words(
        text, words, "medical"
    )


def _superlatives(text: str) -> list[dict]:
    """'最' + the next character, and '之最'; ordinary words (最近, 最后 …) pass."""
    flags = []
    for m in re.finditer("最", text):
        i = m.start()
        if i > 0 and text[i - 1] == "之":
            flags.append(_flag("absolute", text, i - 1, i + 1, _ZUI_SUGGEST["之最"]))
            continue
        nxt = text[i + 1 : i + 2]
        if not nxt or not re.match(r"[\w]", nxt) or nxt in _ORDINARY_ZUI:
            continue
        end = next((i + n for n in (3, 2) if text[i : i + n] in _ZUI_SUGGEST), i + 1)
        flags.append(_flag("absolute", text, i, end, _ZUI_SUGGEST.get(text[i:end], "很")))
    return flags


def _firsts(text: str) -> list[dict]:
    return [
        _flag("absolute", text, m.start(), m.end(), "领先")
        for m in re.finditer("第一", text)
        if not text.startswith(_ORDINAL_AFTER, m.end())
    ]


def _drop_fibre_shares(text: str, flags: list[dict]) -> list[dict]:
    def is_share(f: dict) -> bool:
        if f["word"] not in ("100%", "百分百"):
            return False
        return bool(_FIBRE.match(text, f["end"])) or bool(re.search(r"(棉|毛|绒|丝|纶|麻)\s*$", text[: f["start"]]))

    return [f for f in flags if not is_share(f)]


def _no_overlaps(flags: list[dict]) -> list[dict]:
    """Earliest first; of overlapping flags the longer one wins."""
    out: list[dict] = []
    for f in sorted(flags, key=lambda f: (f["start"], -(f["end"] - f["start"]))):
        if not out or f["start"] >= out[-1]["end"]:
            out.append(f)
    return out


def check(text: str, *, category: str | None = None, banned: str | Path | Iterable[str] | None = None) -> list[dict]:
    """Flags for every non-compliant word in ``text``, in text order.

    Disease-treatment claims (治疗失眠, 抗癌) are flagged for every category but medicines;
    ``category`` limits the other medical words to cosmetics and food (None checks them); ``banned``
    is a word-list path, an iterable of words, or None for the shipped list.
    """
    flags = _find_words(text, _shipped("absolute_words.txt"), "absolute")
    flags = _drop_fibre_shares(text, flags) + _superlatives(text) + _firsts(text)
    if category not in DRUG_CATEGORIES:
        flags += _disease_claims(text)
    if category is None or category in MEDICAL_CATEGORIES:
        flags += _find_words(text, _shipped("medical_words.txt"), "medical")
    flags += _find_words(text, _banned(banned), "banned")
    # a banned or medical word inside an absolute one (or the reverse) is reported once
    return _no_overlaps(flags)


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The span to delete so that the clause holding ``text[start:end]`` goes, punctuation kept tidy."""
    stops = _CLAUSE_END + _SENTENCE_END
    left = max(text.rfind(c, 0, start) for c in stops)
    rights = [j for j in (text.find(c, end) for c in stops) if j >= 0]
    right = min(rights) if rights else len(text)
    if right < len(text) and text[right] in _CLAUSE_END:
        return left + 1, right + 1  # "A，X，B" → "A，B"
    if left >= 0 and text[left] in _CLAUSE_END:
        return left, right  # "A，X。" → "A。"
    return left + 1, min(right + 1, len(text))  # the whole sentence


def apply(text: str, flags: list[dict]) -> str:
    """Replace each flagged span by its suggestion (or drop its clause); spans must come from ``text``."""
    for f in sorted(flags, key=lambda f: f["start"], reverse=True):
        if f["suggestion"]:
            text = text[: f["start"]] + f["suggestion"] + text[f["end"] :]
        else:
            lo, hi = _clause_bounds(text, f["start"], f["end"])
            text = text[:lo] + text[hi:]
    return text.strip()


def rewrite(text: str, *, category: str | None = None, banned: str | Path | Iterable[str] | None = None) -> str:
    """``text`` with every flagged word replaced by a compliant alternative (see :func:`check`)."""
    for _ in range(3):  # a dropped clause can bring two flagged words together; settle in a few rounds
        flags = check(text, category=category, banned=banned)
        if not flags:
            break
        text = apply(text, flags)
    return text
