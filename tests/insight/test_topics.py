import pytest

from shopgen.core.errors import InvalidInput
from shopgen.insight import topics

THEMES = {
    "物流": [
        "快递太慢了，等了一个星期物流才到",
        "物流慢得要死，快递一直不更新",
        "发货太慢，快递走了十天",
        "物流信息不更新，快递员也联系不上",
        "快递慢，物流太差了",
    ],
    "尺码": [
        "尺码偏小，裤子腰围太紧",
        "尺码不准，裤子太小穿不上",
        "腰围尺码偏小一码，裤子勒得难受",
        "裤子尺码太小，腰围紧",
        "尺码严重偏小，裤子退了",
    ],
    "掉色": [
        "洗了一次就掉色，染了别的衣服",
        "掉色严重，水都是蓝的",
        "褪色掉色太厉害，洗一次就发白",
        "严重掉色，手上都染色了",
        "掉色，洗完颜色全变了",
    ],
}


def test_three_clear_themes_are_found_with_their_keywords():
    texts = [t for ts in THEMES.values() for t in ts]
    themes = topics.cluster(texts, 3)
    assert [t["size"] for t in themes] == [5, 5, 5]
    assert sum(t["share"] for t in themes) == pytest.approx(1.0, abs=1e-3)
    tops = [set(t["keywords"][:3]) for t in themes]
    for marker in ("快递", "尺码", "掉色"):
        assert sum(marker in top for top in tops) == 1, (marker, tops)
    for t in themes:
        assert len(t["examples"]) == 3 and all(e in texts for e in t["examples"])


def test_same_input_same_themes():
    texts = [t for ts in THEMES.values() for t in ts]
    assert topics.cluster(texts, 3) == topics.cluster(texts, 3)


def test_stop_words_are_not_keywords():
    assert topics.tokens("这个东西真的太差了，快递也很慢") == ["快递"]


def test_negatives_use_labels_ratings_or_the_model(tmp_path, models):
    p = tmp_path / "r.jsonl"
    p.write_text(
        "\n".join(
            [
                '{"text": "物流太慢", "label": 0, "cat": "衣服"}',
                '{"text": "很好", "label": 1, "cat": "衣服"}',
                '{"text": "一般般吧", "rating": 2, "cat": "衣服"}',
                '{"text": "质量太差了，退货", "cat": "衣服"}',
                '{"text": "非常满意，好评", "cat": "衣服"}',
                '{"text": "太差", "label": 0, "cat": "书籍"}',
            ]
        ),
        encoding="utf-8",
    )
    assert topics.negatives(str(p), "衣服", models.sentiment()) == ["物流太慢", "一般般吧", "质量太差了，退货"]


def test_too_few_negatives():
    with pytest.raises(InvalidInput, match="at least 2 negative"):
        topics.cluster(["太差"], 3)


def test_examples_are_distinct_reviews_and_keywords_are_the_themes_own():
    texts = [
        "物流暴力，收到时外箱都压扁了，尺寸比描述的小一些，推荐",
        "物流暴力，收到时外箱都压扁了，尺寸比描述的小一些。",
        "物流暴力，收到时外箱都压扁了，尺寸比描述的小一些。",
        "快递太慢，物流一周才到",
        "发热严重，拿着烫手",
    ]
    docs = [topics.tokens(t) for t in texts]
    examples = topics.pick_examples(texts, docs, ["物流"], 3)
    assert examples == [texts[0], texts[3], texts[4]]  # one of the three copies, on-topic ones first
    ranked = ["发热", "物流", "压扁", "烫手"]  # c-TF-IDF order: 发热 and 烫手 come from one stray review
    assert topics.relevant_keywords(ranked, docs, 8) == ["物流", "压扁"]
