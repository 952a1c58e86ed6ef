import pytest

from shopgen.copywriting import compliance
from shopgen.core.errors import InvalidInput


def test_absolute_claims_are_flagged_with_spans():
    text = "全网最低价，销量第一！这是最好的选择，绝对顶级。"
    flags = compliance.check(text)
    assert [(f["word"], f["type"]) for f in flags] == [
        ("全网最低", "absolute"),
        ("销量第一", "absolute"),
        ("最", "absolute"),
        ("绝对", "absolute"),
        ("顶级", "absolute"),
    ]
    assert all(text[f["start"] : f["end"]] == f["word"] for f in flags)


def test_ordinary_words_pass():
    assert compliance.check("最近天气转凉，第一次穿就爱上了，最后一件，第一眼心动。") == []
    assert compliance.check("采用100%棉，面料羊毛100%。") == []  # fibre shares are facts, not claims
    assert [f["word"] for f in compliance.check("100%满意")] == ["100%"]


def test_medical_claims_only_for_cosmetics_and_food():
    text = "这款面霜能祛斑，还能治疗痘痘。"
    assert [f["word"] for f in compliance.check(text, category="美妆")] == ["祛斑", "治疗"]
    assert [f["type"] for f in compliance.check(text)] == ["medical", "medical"]  # unknown category: checked
    assert compliance.check("紫外线杀菌", category="数码") == []


def test_disease_claims_are_flagged_for_every_category_but_medicines():
    text = "纯棉睡衣，柔软亲肤，还能治疗失眠，缓解颈椎病。"
    for category in ("服装", "家居", None):
        flags = compliance.check(text, category=category)
        assert [(f["type"], f["word"]) for f in flags] == [("medical", "治疗失眠"), ("medical", "缓解颈椎病")]
    assert compliance.rewrite(text, category="服装") == "纯棉睡衣，柔软亲肤。"
    assert [f["word"] for f in compliance.check("能抗癌的袜子", category="服装")] == ["抗癌"]
    assert compliance.check(text, category="药品") == []
    assert compliance.check("改善睡眠环境的遮光窗帘", category="家居") == []  # no named condition


def test_rewrite_replaces_or_drops():
    assert (
        compliance.rewrite("这是最好的面霜，祛斑效果绝对明显。", category="美妆")
        == "这是很好的面霜，提亮肤色效果非常明显。"
    )
    assert compliance.rewrite("口感清甜，能抗癌，老少皆宜。", category="食品") == "口感清甜，老少皆宜。"
    assert compliance.rewrite("最佳选择，行业之最") == "理想选择，行业佼佼者"
    assert compliance.check(compliance.rewrite("全网最低价！销量第一！100%有效！")) == []


def test_user_banned_words(tmp_path):
    path = tmp_path / "banned.txt"
    path.write_text("# our list\n秒杀\n\n爆款\n", encoding="utf-8")
    flags = compliance.check("爆款T恤，限时秒杀。", banned=path)
    assert [(f["word"], f["type"], f["suggestion"]) for f in flags] == [("爆款", "banned", ""), ("秒杀", "banned", "")]
    assert compliance.rewrite("舒适透气，爆款T恤。", banned=["爆款"]) == "舒适透气。"
    with pytest.raises(InvalidInput, match="does not exist"):
        compliance.check("x", banned=tmp_path / "nope.txt")
