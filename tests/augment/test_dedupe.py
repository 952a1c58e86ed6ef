from shopgen.augment.dedupe import Deduper, norm_key
from shopgen.augment.pipeline import run
from shopgen.augment.rows import Row


def test_exact_and_normalised_duplicates():
    d = Deduper(["包邮吗？"])
    assert d.check("包邮吗？") == "duplicate"
    assert d.check("包邮吗") == "near_duplicate"
    assert d.check("ＢＡＯ 包邮吗 !!") is None
    assert d.check("bao包邮吗") == "near_duplicate"  # remembered, full width and case folded
    assert norm_key("Ｍ码 有吗？😂") == "m码有吗"


def test_a_run_keeps_no_variant_twice_nor_an_original():
    rows = [Row(1, "这个便宜吗", "promotion"), Row(2, "这个实惠吗", "promotion"), Row(3, "实惠吗", "promotion")]
    records, report = run(rows, method="eda", n_per_row=6, seed=3)
    texts = [r["text"] for r in records]
    assert texts[:3] == ["这个便宜吗", "这个实惠吗", "实惠吗"]
    assert len({norm_key(t) for t in texts}) == len(texts)
    eda = report["eda"]
    assert eda["generated"] == eda["kept"] + sum(eda["dropped"].values())
    assert eda["dropped"]["duplicate"] + eda["dropped"]["near_duplicate"] > 0  # 便宜→实惠 gives row 2 back


def test_a_run_does_not_depend_on_row_order():
    rows = [Row(1, "物流太慢了什么时候到", "complaint"), Row(2, "这件XL码有货吗", "product")]
    a, _ = run(rows, method="eda", seed=5, with_originals=False)
    b, _ = run(rows[::-1], method="eda", seed=5, with_originals=False)
    assert sorted(r["text"] for r in a) == sorted(r["text"] for r in b)
    assert all(r["source"].startswith("eda:") for r in a)
