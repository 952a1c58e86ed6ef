import json
from pathlib import Path

from shopgen.assistant.followup import is_elliptical, retrieval_query

HISTORY = [
    {"role": "user", "content": "衣服不合适可以退吗？"},
    {"role": "assistant", "content": "可以，签收后7天内……"},
]


def test_an_elliptical_turn_is_searched_with_the_previous_question():
    assert retrieval_query("那运费谁出", HISTORY) == "衣服不合适可以退吗？ 那运费谁出"
    assert retrieval_query("专票呢？", HISTORY) == "衣服不合适可以退吗？ 专票呢？"
    # the shop's words are not the shopper's question
    assert retrieval_query("那运费谁出", HISTORY[1:]) == "那运费谁出"


def test_turns_that_stand_alone_are_searched_as_they_are():
    assert retrieval_query("跑步鞋偏大还是偏小？", HISTORY) == "跑步鞋偏大还是偏小？"
    assert not is_elliptical("快递单上会显示我的完整手机号吗？")
    assert is_elliptical("那没拆的呢") and is_elliptical("还有别的颜色吗？") and is_elliptical("银卡呢")
    assert not is_elliptical("？？") and retrieval_query("", HISTORY) == ""
    # the same words again are not a previous question
    assert retrieval_query("在吗", [{"role": "user", "content": "在吗"}]) == "在吗"


def test_the_follow_up_set_is_well_formed():
    kb = Path(__file__).parents[2] / "src/shopgen/demo/data/kb.jsonl"
    titles = {json.loads(line)["question"] for line in kb.read_text(encoding="utf-8").splitlines()}
    text = (Path(__file__).parent / "data/followups.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines()]
    assert len(rows) == 30 and all(set(r["gold"]) <= titles for r in rows)
