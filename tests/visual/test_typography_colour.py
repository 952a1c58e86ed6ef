"""Chinese line breaking (禁则), fitting text into a box, and WCAG contrast."""

from __future__ import annotations

import pytest

from shopgen.core.errors import InvalidInput
from shopgen.visual import colour as col
from shopgen.visual import typography as typo

TEXT = "采用100%新疆长绒棉，手感柔软、透气吸汗！「好穿」（不起球）…夏天穿也不闷？当然。"


def test_tokens_keep_latin_words_and_numbers_whole():
    assert typo.break_tokens("SPF50+防晒，220g/㎡") == ["SPF50+", "防", "晒", "，", "220g/", "㎡"]


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(cjk):
    fnt = typo.font(32)
    for width in range(120, 700, 13):
        lines = typo.wrap(TEXT, fnt, width)
        assert "".join(lines) == TEXT.replace(" ", "")
        assert typo.check_kinsoku(lines), (width, lines)


def test_a_word_is_kept_whole_when_the_line_stays_well_filled(cjk):
    fnt = typo.font(64, bold=True)
    width = typo.text_width("夏日纯棉印花T", fnt) + 2  # room up to the T of T恤
    assert typo.wrap("夏日纯棉印花T恤，清爽透气", fnt, width) == ["夏日纯棉印花", "T恤，清爽透气"]
    # after a pause mark the rest of the phrase moves down whole
    width = typo.text_width("夏日纯棉印花T恤，清爽", fnt) + 2
    assert typo.wrap("夏日纯棉印花T恤，清爽透气", fnt, width) == ["夏日纯棉印花T恤，", "清爽透气"]
    # a word that starts near the line's beginning is split rather than leave the line mostly empty
    narrow = typo.text_width("长绒", fnt) + 2
    assert typo.wrap("新疆长绒棉", fnt, narrow)[0] == "新疆"
    assert typo.wrap("长绒棉新疆", fnt, narrow)[0] == "长绒"


def test_check_kinsoku_flags_a_bad_break():
    assert not typo.check_kinsoku(["夏天穿也不闷", "？当然"])
    assert not typo.check_kinsoku(["手感柔软「", "好穿」"])


def test_fit_shrinks_then_names_the_field(cjk):
    size, lines = typo.fit("纯棉圆领短袖T恤", 600, 200, field="title", max_size=60, min_size=20, max_lines=2)
    assert size == 60 and lines == ["纯棉圆领短袖T恤"]
    size, lines = typo.fit(
        "纯棉圆领短袖T恤 男女同款 基础百搭打底衫", 300, 200, field="title", max_size=60, min_size=20, max_lines=2
    )
    assert size < 60 and len(lines) == 2
    with pytest.raises(InvalidInput, match="^标题（title）：文字太长") as err:
        typo.fit("很长的标题" * 20, 300, 200, field="title", max_size=60, min_size=20, max_lines=2)
    assert err.value.detail["field"] == "title"


def test_missing_font_names_the_package(monkeypatch):
    from shopgen.core import fonts
    from shopgen.core.errors import BackendError

    monkeypatch.setattr(fonts, "installed", lambda: ())
    typo.font.cache_clear()
    try:
        with pytest.raises(BackendError, match="fonts-noto-cjk"):
            typo.font(20)
    finally:
        typo.font.cache_clear()


def test_wcag_contrast_reference_values():
    assert col.contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert col.contrast((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)  # #777 just fails AA
    assert col.contrast((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)


def test_darken_until_reaches_the_ratio():
    c = col.darken_until((250, 180, 180), (255, 255, 255), 4.5)
    assert col.contrast(c, (255, 255, 255)) >= 4.5


def test_palette_finds_the_dominant_colour(product):
    import numpy as np

    pal = col.palette(np.asarray(product))
    assert pal[0] == pytest.approx((190, 40, 50), abs=6)
