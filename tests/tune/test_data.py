"""Training examples for `shopgen tune`: cleaning, deduplication, the minimum, the split, bad lines."""

import pytest

from shopgen.core.errors import InvalidInput
from shopgen.tune import data
from tests.copywriting.conftest import dev_rows, write_pairs


def _pairs(n):
    """``n`` real AdvertiseGen pairs whose copy fits a description (80-200 characters)."""
    rows = [r for r in dev_rows() if 80 <= len(r["summary"]) <= 200]
    return [(r["content"], r["summary"]) for r in rows[:n]]


def test_prepare_cleans_dedupes_caps_and_splits_reproducibly():
    pairs = _pairs(60)
    pairs += pairs[:3]  # three exact duplicates
    pairs.append((pairs[3][0], pairs[3][1][:-6] + "，值得入手！"))  # a near duplicate: the ending reworded
    pairs.append(("类型#上衣", "太短了"))  # outside the description's 80-200 characters
    pairs.append(
        ("类型#上衣*颜色#白色", "ＡＢ款" + pairs[5][1][::-1] + "联系我13812345678")
    )  # full width, a phone number
    got = data.prepare(pairs, seed=1, max_examples=40)
    assert got.dropped == {"duplicate": 3, "near_duplicate": 1, "length": 1, "over max_examples": 61 - 8 - 40}
    assert (len(got.train), len(got.held_out)) == (40, 8)
    assert not {e.target for e in got.train} & {e.target for e in got.held_out}
    texts = [e.target for e in got.train + got.held_out]
    assert not any("13812345678" in t or "ＡＢ" in t for t in texts)
    again = data.prepare(pairs, seed=1, max_examples=40)
    assert [e.target for e in again.train] == [e.target for e in got.train]
    assert got.train[0].messages("description")[1]["content"].startswith("商品信息：")


def test_too_little_data_is_refused_with_the_minimum():
    with pytest.raises(
        InvalidInput, match=r"39 usable examples \(of 40\); tuning needs at least 40 \(dropped: duplicate 1\)"
    ):
        data.prepare(_pairs(39) + _pairs(1))
    with pytest.raises(InvalidInput, match=r"0 usable examples \(of 2\)"):
        data.prepare([("类型#上衣", "太短了"), ("类型#上衣", "太短了")])


def test_a_broken_line_stops_training_before_it_starts(tmp_path):
    path = write_pairs(tmp_path / "t.jsonl", _pairs(3))
    with path.open("a", encoding="utf-8") as f:
        f.write('{"content": "类型#上衣", "summary": \n')
    with pytest.raises(InvalidInput, match="t.jsonl line 4"):
        data.from_pairs(path)
    copy = _pairs(1)[0][1]
    bad = write_pairs(tmp_path / "b.jsonl", [("类型#上衣", copy), ("no-separator-here", copy)])
    with pytest.raises(InvalidInput, match="b.jsonl line 2"):
        data.from_pairs(bad)
