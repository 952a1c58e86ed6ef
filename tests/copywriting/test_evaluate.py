import pytest

from shopgen.copywriting.evaluate import evaluate, load_split, split_dev
from shopgen.copywriting.exemplars import read_pairs
from shopgen.core.errors import InvalidInput
from shopgen.models.llm.fake import FakeGenerator

from .conftest import write_pairs

PAIRS = [
    (f"类型#上衣*颜色#白色*风格#款{i}", f"白色上衣文案第{i}篇，简约百搭，穿着舒适，适合日常通勤。") for i in range(10)
]


def test_split_is_deterministic_disjoint_and_covers_the_file(tmp_path):
    path = write_pairs(tmp_path / "dev.jsonl", PAIRS)
    ex, test = split_dev(path, seed=3)
    assert (ex, test) == split_dev(path, seed=3)
    assert len(ex) == len(test) == 5 and not set(ex) & set(test) and sorted(ex + test) == sorted(PAIRS)
    assert split_dev(path, seed=4) != (ex, test)


def test_nearest_mode_never_copies_the_item_itself(tmp_path):
    path = write_pairs(tmp_path / "dev.jsonl", PAIRS + [PAIRS[0]])  # a duplicate must still be excluded
    r = evaluate(path, path, None, limit=4, seed=0, mode="nearest", progress=None)
    assert (r["n"], r["mode"], r["model"]) == (4, "nearest", "nearest-exemplar")
    assert r["bleu4"] < 100 and 0 <= r["rougeL"] < 100
    assert set(r) == {
        "n",
        "bleu4",
        "rouge1",
        "rouge2",
        "rougeL",
        "distinct2",
        "unsupported_rate",
        "seconds_per_item",
        "model",
        "mode",
        "exemplar_pool",
    }


def test_fewshot_and_zeroshot_with_a_scripted_model(tmp_path):
    data = write_pairs(tmp_path / "test.jsonl", PAIRS[:3])
    ex = write_pairs(tmp_path / "ex.jsonl", PAIRS[3:])
    seen = []
    r = evaluate(data, ex, FakeGenerator([PAIRS[0][1]]), mode="fewshot", progress=lambda i, n: seen.append(i))
    assert r["n"] == 3 and r["unsupported_rate"] == 0.0 and seen == [1, 2, 3]
    assert r["distinct2"] == pytest.approx(
        len({PAIRS[0][1][i : i + 2] for i in range(len(PAIRS[0][1]) - 1)}) / (3 * (len(PAIRS[0][1]) - 1))
    )
    z = evaluate(data, None, FakeGenerator(["红色简约上衣"]), kind="title", mode="zeroshot", progress=None)
    assert z["unsupported_rate"] == 1.0  # red contradicts the white of every item; a title is not repaired


def test_bad_arguments(tmp_path):
    path = write_pairs(tmp_path / "dev.jsonl", PAIRS)
    with pytest.raises(InvalidInput, match="valid modes"):
        evaluate(path, path, None, mode="magic")
    with pytest.raises(InvalidInput, match="needs a language model"):
        evaluate(path, path, None, mode="fewshot")
    with pytest.raises(InvalidInput, match="needs an exemplar file"):
        evaluate(path, None, None, mode="nearest")


def test_split_half_scores_the_same_held_out_items_whatever_the_exemplars(tmp_path):
    data = write_pairs(tmp_path / "dev.jsonl", PAIRS)
    train = write_pairs(tmp_path / "train.jsonl", [("类型#裙*颜色#红色", "红色连衣裙文案，温柔大方。")])
    held_out = split_dev(data, 0)[1]
    for ex, pool in ((data, split_dev(data, 0)[0]), (train, read_pairs(train)), (None, [])):
        assert load_split(data, ex, 0, "half") == (pool, held_out)
    assert sorted(load_split(data, train, 0, "auto")[1]) == sorted(PAIRS)  # auto: all of data
    r = evaluate(data, train, None, mode="nearest", split="half", progress=None)
    z = evaluate(data, None, FakeGenerator(["白色上衣"]), mode="zeroshot", kind="title", split="half", progress=None)
    assert (r["n"], r["exemplar_pool"], z["n"], z["exemplar_pool"]) == (5, 1, 5, 0)
    with pytest.raises(InvalidInput, match="valid splits"):
        evaluate(data, data, None, mode="nearest", split="some")
    with pytest.raises(InvalidInput, match="other than the data"):
        evaluate(data, data, None, mode="nearest", split="all")
