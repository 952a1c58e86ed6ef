import pytest

from shopgen.copywriting.attrs import parse_attrs
from shopgen.copywriting.exemplars import ExemplarStore, nearest_copy_baseline
from shopgen.core.errors import InvalidInput

from .conftest import write_pairs

PAIRS = [
    ("类型#上衣*颜色#白色*材质#牛仔布", "白色牛仔上衣文案"),
    ("类型#上衣*颜色#白色*材质#棉", "白色棉上衣文案"),
    ("类型#裙*颜色#红色", "红裙文案"),
    ("类型#上衣*颜色#黑色", "黑上衣文案"),
]


def test_most_overlapping_first_and_ties_broken_by_bm25():
    store = ExemplarStore(PAIRS)
    hits = store.similar(parse_attrs("类型#上衣*颜色#白色*材质#牛仔"), 3)
    # Jaccard: 2/4 for the two white tops, 1/4 for the black top; BM25 on values prefers 牛仔布 ~ 牛仔
    assert [h.summary for h in hits] == ["白色牛仔上衣文案", "白色棉上衣文案", "黑上衣文案"]


def test_the_evaluated_item_is_never_its_own_exemplar():
    store = ExemplarStore(PAIRS)
    content = PAIRS[0][0]
    assert "白色牛仔上衣文案" not in [h.summary for h in store.similar(parse_attrs(content), 4)]
    assert "白色牛仔上衣文案" not in [h.summary for h in store.similar(parse_attrs(content), 4, exclude=content)]
    assert nearest_copy_baseline(parse_attrs(content), store, exclude=content) == "白色棉上衣文案"
    only = ExemplarStore(PAIRS[:1])
    with pytest.raises(InvalidInput, match="no item"):
        nearest_copy_baseline(parse_attrs(content), only, exclude=content)


def test_load_reports_bad_lines(tmp_path):
    path = write_pairs(tmp_path / "ex.jsonl", PAIRS)
    assert len(ExemplarStore.load(path)) == 4
    (tmp_path / "bad.jsonl").write_text(
        '{"content": "类型#裙", "summary": "好"}\n{"content": "类型#裙"}\n', encoding="utf-8"
    )
    with pytest.raises(InvalidInput, match="bad.jsonl line 2: needs text fields"):
        ExemplarStore.load(tmp_path / "bad.jsonl")
    with pytest.raises(InvalidInput, match="does not exist"):
        ExemplarStore.load(tmp_path / "missing.jsonl")
