import random

import pytest

from shopgen.augment import eda
from shopgen.augment.facts import facts, spans
from shopgen.augment.lexicon import Lexicon, default

FACT_TEXTS = [
    "这件纯棉T恤175cm 68kg穿XL码合适吗",
    "请问订单DD20261201什么时候发货，¥129的那件",
    "藏青色的涤纶外套99元包邮吗，我想买两件",
    "一米六五穿M还是L码，羊毛的会不会起球",
    "SKU-10023的保温杯是304不锈钢的吗，500ml够不够",
]


def test_segment_gives_the_text_back_and_keeps_each_fact_whole():
    for text in FACT_TEXTS:
        words = eda.segment(text)
        assert "".join(w.text for w in words) == text
        frozen = [w.text for w in words if w.kind == "fixed"]
        assert all(s.text in frozen for s in spans(text) if s.kind != "latin")


def test_jieba_pieces_of_a_lexicon_phrase_are_joined():
    words = [w.text for w in eda.segment("想问下包邮吗")]
    assert "想问下" in words and "包邮" in words


@pytest.mark.parametrize("op", eda.OPS)
def test_no_operation_edits_a_fact(op):
    lex = default()
    for text in FACT_TEXTS:
        words = eda.segment(text, lex)
        for s in range(40):
            out = eda.apply(op, words, random.Random(s), alpha=0.3, lexicon=lex)
            assert facts(out) == facts(text), (op, text, out)


def test_negations_and_question_particles_survive():
    for s in range(30):
        for _, v in eda.variants("质量不好的话能不能退货吗", 4, seed=s, alpha=0.3):
            assert "不" in v and "吗" in v


def test_synonym_replacement_uses_the_lexicon():
    lex = Lexicon.from_lines(["便宜 实惠"])
    words = eda.segment("这个便宜", lex)
    assert eda.apply("sr", words, random.Random(0), alpha=0.1, lexicon=lex) == "这个实惠"
    inserted = eda.apply("ri", words, random.Random(0), alpha=0.1, lexicon=lex)
    assert sorted(inserted) == sorted("这个便宜实惠")


def test_deletion_never_empties_a_sentence():
    words = eda.segment("好看")
    assert eda.apply("rd", words, random.Random(0), alpha=0.5, lexicon=default()) == "好看"
    for s in range(20):
        out = eda.apply("rd", eda.segment("物流太慢了"), random.Random(s), alpha=0.5, lexicon=default())
        assert out and out != "物流太慢了"


def test_variants_are_seeded_distinct_and_new():
    text = "请问这个面霜敏感肌能用吗，什么时候发货"
    a = eda.variants(text, 4, seed=0)
    assert a == eda.variants(text, 4, seed=0)
    assert a != eda.variants(text, 4, seed=1)
    texts = [v for _, v in a]
    assert len(a) == 4 and len(set(texts)) == 4 and text not in texts
    assert {op for op, _ in a} <= set(eda.OPS)


def test_the_shipped_lexicon_is_big_and_fact_free():
    lex = default()
    assert lex.n_groups >= 250 and len(lex) >= 600
    assert not [w for w in lex.words() if facts(w)]
