from shopgen.text.tokenize import normalise, tokens


def test_shop_terms_stay_whole_and_punctuation_goes():
    assert tokens("花呗怎么还款？包邮吗") == ["花呗", "怎么", "还款", "包邮", "吗"]
    assert "七天无理由退货" in tokens("支持七天无理由退货吗")


def test_full_width_forms_are_normalised():
    assert normalise("ＸＬ码　有吗？") == "xl码 有吗?"
    assert tokens("ＸＬ码的羽绒服") == ["xl", "码", "的", "羽绒服"]


def test_search_mode_adds_sub_words():
    assert {"保温", "保温杯"} <= set(tokens("不锈钢保温杯", search=True))


def test_bigram_dice():
    from shopgen.text.similarity import bigram_dice

    assert bigram_dice("退货运费谁出？", "退货运费谁出") == 1.0
    assert round(bigram_dice("衣服寄回来运费谁出", "退货运费谁出？"), 2) == 0.46
    assert bigram_dice("叫你们经理来跟我说", "你们会把我的信息给别人吗？") < 0.3
    assert bigram_dice("", "x") == 0.0
