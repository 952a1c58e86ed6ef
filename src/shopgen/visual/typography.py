"""Chinese typography for designs: the CJK face from fontconfig, line breaking with the Chinese
kinsoku rules (禁则: no line starts with closing punctuation such as ，。！？、 and none ends with
an opening bracket), Latin words and numbers kept whole, and shrink-then-wrap fitting that ends in
an error naming the field when the text cannot fit.

>>> break_tokens("满199减20，限时抢购！")
['满', '199', '减', '20', '，', '限', '时', '抢', '购', '！']
"""

from __future__ import annotations

import re
from functools import lru_cache

from shopgen.core.errors import BackendError, InvalidInput
from shopgen.core.fonts import INSTALL_HINT, cjk_font

# closing punctuation that may not begin a line / opening that may not end one (GB/T 15834, JIS X 4051)
NO_START = set("，。！？、；：）》」』】〕〉〗”’…—·%‰,.!?;:)]}>～~•")
NO_END = set("（《「『【〔〈〖“‘([{<￥¥$#")
PAUSES = set("，、；：。！？,;:!?")  # a line may end after these: a phrase ends there
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+%/_'’\-]*|\s+|.", re.S)


# the copy fields a designer fills in, as the studio names them; messages say both
FIELD_LABELS = {
    "title": "标题",
    "selling_points": "卖点",
    "price": "价格",
    "original_price": "原价",
    "promotion": "促销角标",
    "badge": "促销角标",
    "cta": "行动按钮",
    "brand": "品牌",
    "format": "尺寸",
}


def field_label(field: str) -> str:
    """``标题（title）``: the Chinese name with the field's own, for people and programs alike."""
    base = field.split(".")[0]
    label = FIELD_LABELS.get(base) or (
        f"卖点 {int(base[5:]) + 1}" if base.startswith("point") and base[5:].isdigit() else ""
    )
    return f"{label}（{field}）" if label else field


def break_tokens(text: str) -> list[str]:
    """Units that are never split: a CJK character, a punctuation mark, a Latin word or number."""
    return [t for t in _TOKEN.findall(text) if t]


def word_starts(tokens: list[str]) -> list[bool]:
    """For each break token, whether a word (jieba's, with the shop's terms: 「T恤」「纯棉」) starts
    there. Chinese may break between any two characters, but a designer keeps a word whole when the
    line stays well filled."""
    from shopgen.text.tokenize import pieces

    bounds, at = set(), 0
    for word in pieces("".join(tokens)):
        bounds.add(at)
        at += len(word)
    out, at = [], 0
    for tok in tokens:
        out.append(at in bounds)
        at += len(tok)
    return out


@lru_cache(maxsize=256)
def font(size: int, bold: bool = False, serif: bool = False):
    """An ImageFont of the installed CJK face. Raises BackendError naming the font package."""
    from PIL import ImageFont

    face = cjk_font(serif=serif, bold=bold)
    try:
        return ImageFont.truetype(str(face.path), size=size, index=face.index)
    except OSError as exc:
        raise BackendError(f"cannot open the CJK font {face.path}: {exc}; {INSTALL_HINT}") from exc


def family(bold: bool = False, serif: bool = False) -> str:
    return cjk_font(serif=serif, bold=bold).family


def text_width(text: str, fnt) -> float:
    return float(fnt.getlength(text))


def wrap(text: str, fnt, max_width: float) -> list[str]:
    """Greedy line filling in ``max_width`` pixels, then kinsoku fixes: a closing mark that would
    start a line pulls the character before it down with it (追い出し); an opening mark at a line's
    end moves down. A single token wider than the line stays alone on its line (the fitter then
    shrinks the size)."""
    lines: list[list[str]] = []
    for para in text.split("\n"):
        tokens = break_tokens(para.strip())
        starts = word_starts(tokens)
        cur: list[str] = []
        first = 0  # index in ``tokens`` of cur[0]
        for i, tok in enumerate(tokens):
            trial = "".join(cur + [tok]).strip()
            if cur and text_width(trial, fnt) > max_width:
                # when the line stays well filled, prefer the last phrase break: a space (titles:
                # 男女同款 基础款) or after a pause mark (清爽透气 moves down whole after 「T恤，」);
                # else the start of the word being split (T / 恤 → T恤 moves down)
                full = 0.6 * max_width
                phrase = [j for j, t in enumerate(cur) if j and (t.isspace() or cur[j - 1] in PAUSES)]
                phrase = [j for j in phrase if text_width("".join(cur[:j]), fnt) >= full]
                word = next((j for j in range(len(cur), 0, -1) if starts[first + j]), 0) if not starts[i] else 0
                if phrase:
                    j = phrase[-1]
                    skip = j + 1 if cur[j].isspace() else j
                    lines.append(cur[:j])
                    cur, first = cur[skip:], first + skip
                elif word and text_width("".join(cur[:word]), fnt) >= full:
                    lines.append(cur[:word])
                    cur, first = cur[word:], first + word
                else:
                    lines.append(cur)
                    cur, first = [], i
                if not tok.isspace():
                    cur.append(tok)
                elif not cur:
                    first = i + 1
            else:
                cur.append(tok)
        if cur:
            lines.append(cur)
    _kinsoku(lines)
    return ["".join(line).strip() for line in lines if "".join(line).strip()]


def _kinsoku(lines: list[list[str]]) -> None:
    for i in range(1, len(lines)):
        prev, cur = lines[i - 1], lines[i]
        # closing punctuation at the start of a line: move the last token of the line above down
        while cur and cur[0] in NO_START and len(prev) > 1:
            cur.insert(0, prev.pop())
        # still there (the line above had one token): let the mark hang on the line above
        while cur and cur[0] in NO_START:
            prev.append(cur.pop(0))
        while len(prev) > 1 and prev[-1] in NO_END:
            cur.insert(0, prev.pop())
    if lines and not lines[-1]:
        lines.pop()


def check_kinsoku(lines: list[str]) -> bool:
    """True when no line after the first starts with closing punctuation and no line before the
    last ends with an opening one."""
    return all(ln[:1] not in NO_START for ln in lines[1:]) and all(ln[-1:] not in NO_END for ln in lines[:-1])


def fit(
    text: str,
    width: float,
    height: float,
    *,
    field: str,
    max_size: int,
    min_size: int,
    max_lines: int,
    bold: bool = False,
    line_height: float = 1.3,
) -> tuple[int, list[str]]:
    """The largest size in [min_size, max_size] at which ``text`` wraps into the box in at most
    ``max_lines`` lines. Raises InvalidInput naming ``field`` when even ``min_size`` does not fit."""
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if not text:
        raise InvalidInput(f"{field_label(field)}：文字为空", {"field": field})
    size = max_size
    while size >= min_size:
        fnt = font(size, bold)
        lines = wrap(text, fnt, width)
        fits_w = all(text_width(ln, fnt) <= width + 0.5 for ln in lines)
        if fits_w and len(lines) <= max_lines and len(lines) * size * line_height <= height + 0.5:
            return size, lines
        size = size - max(1, size // 12)
    raise InvalidInput(
        f"{field_label(field)}：文字太长，放不下（{len(text)} 个字；缩到 {min_size} px 也要超过 {max_lines} 行、"
        f"每行 {int(width)} px），请缩短",
        {"field": field, "chars": len(text), "min_size": min_size, "max_lines": max_lines},
    )
