"""Exact and MinHash-LSH near duplicates, and what happens to label conflicts."""

import pytest

from shopgen.core.errors import InvalidInput
from shopgen.dataprep.dedup import find_groups, jaccard, resolve, row_key, shingles

LONG = "这款羽绒服保暖效果非常好，充绒量足，做工精细，拉链顺滑，冬天穿出门一点都不冷，强烈推荐给大家"


def groups_of(texts, **kw):
    return [[m.index for m in g.members] for g in find_groups([row_key([t]) for t in texts], **kw)]


def test_exact_duplicates_differ_only_in_width_spaces_and_punctuation():
    assert groups_of(["好评！", "差评", "好评", "好 评。。"]) == [[0, 2, 3], [1]]


def test_a_one_character_edit_is_a_near_duplicate_of_the_first_row():
    edited = LONG.replace("非常好", "特别好")
    other = "手机壳尺寸不对，装不上去，边缘还有毛刺，申请退货了，客服回复很慢，体验很差"
    groups = find_groups([row_key([t]) for t in [LONG, other, edited]])
    assert [[m.index for m in g.members] for g in groups] == [[0, 2], [1]]
    near = groups[0].members[1]
    assert near.kind == "near_duplicate"
    assert near.similarity == round(jaccard(shingles(row_key([LONG]), 2), shingles(row_key([edited]), 2)), 4)
    assert 0.8 <= near.similarity < 1.0


def test_threshold_and_exact_only_mode():
    edited = LONG.replace("非常好", "特别好")
    assert groups_of([LONG, edited], threshold=0.99) == [[0], [1]]
    assert groups_of([LONG, edited, LONG], threshold=0) == [[0, 2], [1]]
    with pytest.raises(InvalidInput):
        find_groups(["a"], ngram=0)


def test_fields_of_a_row_are_kept_apart_in_its_key():
    assert row_key(["花呗", "还款"]) != row_key(["花呗还", "款"])
    assert groups_of(["花呗怎么还款"]) == [[0]]


def _group(labels):
    texts = ["好评"] * len(labels)
    (g,) = find_groups([row_key([t]) for t in texts])
    return g


def test_same_label_duplicates_keep_the_first_row():
    assert resolve(_group(["1", "1", "1"]), ["1", "1", "1"]) == {0: "keep", 1: "duplicate", 2: "duplicate"}


def test_conflicting_labels_drop_every_row_by_default():
    labels = ["1", "0", "1"]
    assert resolve(_group(labels), labels) == {0: "label_conflict", 1: "label_conflict", 2: "label_conflict"}


def test_majority_keeps_the_first_row_of_a_strict_majority_and_ties_drop_all():
    labels = ["0", "1", "1"]
    assert resolve(_group(labels), labels, "majority") == {0: "label_conflict", 1: "keep", 2: "duplicate"}
    tie = ["0", "1"]
    assert resolve(_group(tie), tie, "majority") == {0: "label_conflict", 1: "label_conflict"}


def test_keep_policy_keeps_one_row_per_label():
    labels = ["0", "1", "0"]
    assert resolve(_group(labels), labels, "keep") == {0: "keep", 1: "keep", 2: "duplicate"}
    with pytest.raises(InvalidInput, match="drop, majority, keep"):
        resolve(_group(labels), labels, "vote")
