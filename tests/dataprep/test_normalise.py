"""Standardisation rules, traditional → simplified, duplicate keys and the language share."""

import pytest

from shopgen.dataprep.normalise import cjk_share, dedup_key, normalise, strip_html, to_simplified


def test_full_width_letters_and_digits_become_half_width_but_chinese_punctuation_stays():
    assert normalise("ｉＰｈｏｎｅ１５ Ｐｒｏ，很好用！还有货吗？（急）") == "iPhone15 Pro，很好用！还有货吗？（急）"
    assert normalise("重量５㎏，尺码ＸＬ。") == "重量5kg，尺码XL。"


def test_ascii_punctuation_between_chinese_becomes_full_width_and_stays_elsewhere():
    assert normalise("东西不错,下次还来!物流快;包装好") == "东西不错，下次还来！物流快；包装好"
    assert normalise("价格3.5元,10:00发货, Hi, all") == "价格3.5元,10:00发货, Hi, all"
    assert normalise("质量好 , 推荐") == "质量好，推荐"


def test_whitespace_collapses_and_line_breaks_inside_a_field_stay():
    assert normalise("  很好\t\t用　　真的 \r\n\r\n\n 第二段  ") == "很好 用 真的\n第二段"


def test_html_tags_entities_and_remnants_go():
    assert strip_html("<p class='x'>好评</p>") == " 好评\n"
    assert normalise("<div>面料&amp;做工</div><br/>都不错&nbsp;&lt;推荐&gt;") == "面料&做工\n都不错 <推荐>"
    assert normalise("包邮nbsp;到家 <!-- 注释 -->") == "包邮 到家"
    # a "<" that is not a tag is text
    assert normalise("价格<100元，a<b") == "价格<100元，a<b"


def test_invisible_characters_and_stray_byte_order_marks_go():
    assert normalise("\ufeff怎么\u200b更改花呗\u00ad手机号") == "怎么更改花呗手机号"


def test_traditional_to_simplified_with_opencc():
    assert to_simplified("這件衣服質量很好，價格也便宜，會回購") == "这件衣服质量很好，价格也便宜，会回购"
    assert to_simplified("") == ""


@pytest.mark.parametrize(
    ("a", "b"),
    [("好评！！", "好评!"), ("Ｔ恤很好", "t恤 很好"), ("物流很快，五星", "物流很快 五星。")],
)
def test_dedup_key_ignores_width_case_spaces_and_punctuation(a, b):
    assert dedup_key(a) == dedup_key(b)
    assert dedup_key("好评") != dedup_key("差评")


def test_cjk_share_counts_chinese_characters_against_other_words():
    assert cjk_share("iPhone XR 很好") == 0.5
    assert cjk_share("good quality!!") == 0.0
    assert cjk_share("质量很好，5星") == 1.0
    assert cjk_share("123 !!!") == 0.0
