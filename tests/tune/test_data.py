"""Training examples for `shopgen tune`: cleaning, deduplication, the minimum, the split, bad lines."""

import pytest

from shopgen.core.errors import InvalidInput
from shopgen.tune import data
from tests.copywriting.conftest import write_pairs

COPY = "这款{i}号上衣版型宽松，纯棉面料柔软透气，圆领设计简洁百搭，搭配牛仔裤或半身裙都好看，日常通勤和周末出游都很合适，洗后不易变形。领口采用双针走线加固，袖口平整利落，面料经过预缩处理，贴身穿也不闷热，是春夏衣橱里的基础款。"


def _pairs(n, start=0):
    return [(f"类型#上衣*颜色#白色*款式#款{i}", COPY.format(i=i)) for i in range(start, start + n)]


def test_prepare_cleans_dedupes_caps_and_splits_reproducibly():
    pairs = _pairs(60) + _pairs(3)  # three exact duplicates
    pairs.append(("类型#上衣", "太短了"))  # outside the description's 80-200 characters
    pairs.append(("类型#上衣*颜色#白色", COPY.format(i="ＡＢ") + "联系我13812345678"))  # full width, a phone number
    got = data.prepare(pairs, seed=1, max_examples=40)
    assert got.dropped == {"duplicate": 3, "length": 1, "over max_examples": 61 - 8 - 40}
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


def test_a_broken_line_stops_training_before_it_starts(tmp_path):
    path = write_pairs(tmp_path / "t.jsonl", _pairs(3))
    with path.open("a", encoding="utf-8") as f:
        f.write('{"content": "类型#上衣", "summary": \n')
    with pytest.raises(InvalidInput, match="t.jsonl line 4"):
        data.from_pairs(path)
    bad = write_pairs(tmp_path / "b.jsonl", [("类型#上衣", COPY), ("no-separator-here", COPY)])
    with pytest.raises(InvalidInput, match="b.jsonl line 2"):
        data.from_pairs(bad)
