import pytest

from shopgen.augment.facts import facts, same_facts, spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("175cm 68kg穿XL码吗？", ["175cm", "68kg", "XL码"]),
        ("纯棉的多少钱，¥129还是99元", ["纯棉", "¥129", "99元"]),
        ("订单DD20261201还没发货", ["DD20261201"]),
        ("一米六五穿M还是L", ["一米六五", "M", "L"]),
        ("藏青色和浅蓝色的涤纶外套有货吗", ["藏青色", "浅蓝色", "涤纶"]),
        ("买两件打8折，3天能到吗", ["两件", "8折", "3天"]),
        ("100%棉，容量500ml", ["100%", "棉", "500ml"]),
    ],
)
def test_spans_find_the_facts(text, expected):
    assert [s.text for s in spans(text)] == expected


def test_words_that_only_look_like_sizes_or_quantities_are_no_facts():
    # a Latin word is kept whole by EDA but is no fact; 一 + measure word is an everyday word
    assert facts("iPhone好用吗，我想问一个问题") == []
    assert [s.kind for s in spans("Mac好用")] == ["latin"]


def test_same_facts_wants_every_fact_and_no_new_one():
    assert same_facts("这件XL码的纯棉T恤多少钱", "纯棉T恤XL码的多少钱")
    assert not same_facts("这件XL码的纯棉T恤多少钱", "这件纯棉T恤多少钱")  # size lost
    assert not same_facts("这件纯棉T恤多少钱", "这件纯棉T恤99元吗")  # price invented
    assert same_facts("１７５ｃｍ穿什么码", "175cm的话穿什么码")  # full width compares equal
