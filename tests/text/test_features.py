from shopgen.text.features import char_ngrams, featurize, normalise, word_features


def test_normalise_full_width_case_space_and_repeats():
    assert normalise("  ＡＢＣ　好好好好好！！ ") == "abc 好好好!!"


def test_char_ngrams_are_1_to_3_grams_without_spaces():
    assert char_ngrams("好 用吗") == ["好", "用", "吗", "好用", "用吗", "好用吗"]


def test_negation_scope_ends_at_the_clause():
    feats = word_features(["不", "满意", "，", "满意"])
    assert feats.count("n:满意") == 1
    assert feats.count("w:满意") == 2
    assert "b:不|满意" in feats


def test_featurize_mixes_chars_and_words():
    feats = featurize("不好用")
    assert [f for f in feats if ":" in f] == ["w:不好", "w:用", "b:不好|用"]
    assert [f for f in feats if ":" not in f] == ["不", "好", "用", "不好", "好用", "不好用"]
    assert [f for f in featurize("一点也不好用，不推荐") if f.startswith("n:")] == ["n:推荐"]
