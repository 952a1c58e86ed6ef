"""The label audit finds labels flipped on purpose in a small review set, and little else."""

import random

import numpy as np
import pytest

from shopgen.core.errors import InvalidInput
from shopgen.dataprep.labelaudit import audit, find_flags, thresholds

PRODUCTS = [
    "这件衣服",
    "这双鞋",
    "耳机",
    "洗发水",
    "面膜",
    "这款零食",
    "台灯",
    "背包",
    "保温杯",
    "手机壳",
    "床单",
    "牙刷",
]
GOOD = [
    "质量很好", "物流很快", "包装精美", "性价比很高", "穿着很舒服", "和描述一致", "客服态度好", "会回购的",
    "非常满意", "做工很细致", "颜色很正", "味道不错", "用着很顺手", "效果明显", "值得推荐",
]  # fmt: skip
BAD = [
    "质量太差", "物流太慢了", "包装破损", "不值这个价", "尺码偏小", "和图片不符", "客服不理人", "不会再买了",
    "非常失望", "做工粗糙", "有一股异味", "用了两天就坏了", "退货很麻烦", "效果一般般", "不推荐购买",
]  # fmt: skip


def reviews(n: int, seed: int = 3) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts, labels = [], []
    while len(texts) < n:
        label = rng.choice(["1", "0"])
        clauses = rng.sample(GOOD if label == "1" else BAD, rng.randint(2, 3))
        text = rng.choice(PRODUCTS) + "，".join(clauses) + rng.choice(["。", "！", "，下次再看看", ""])
        if text not in texts:
            texts.append(text)
            labels.append(label)
    return texts, labels


def test_planted_label_flips_are_flagged_with_the_right_suggestion():
    texts, labels = reviews(400)
    planted = list(range(5, 400, 25))  # 16 flips
    noisy = list(labels)
    for i in planted:
        noisy[i] = "0" if labels[i] == "1" else "1"
    summary, flags = audit(texts, noisy, folds=5, seed=7)
    flagged = {f.index for f in flags}
    # measured: 12 of 16 flips found, no clean row accused; the 4 missed have p(true label) ≈ 0.8-0.84,
    # just under that label's mean self-confidence (0.86-0.88)
    assert len(flagged & set(planted)) >= 12
    assert len(flagged - set(planted)) <= 2
    for f in flags:
        if f.index in planted:
            assert (f.given, f.suggested) == (noisy[f.index], labels[f.index]) and f.p_suggested > f.p_given
    assert flags == sorted(flags, key=lambda f: -f.margin)
    assert summary["rows"] == 400 and summary["flagged"] == len(flags)
    assert summary["out_of_fold_accuracy"] < 1.0 and set(summary["thresholds"]) == {"0", "1"}


def test_thresholds_are_mean_self_confidence_and_flags_need_a_confident_other_label():
    proba = np.array([[0.9, 0.1], [0.7, 0.3], [0.2, 0.8], [0.4, 0.6], [0.45, 0.55]])
    y = np.array([0, 0, 1, 1, 0])
    t = thresholds(y, proba)
    assert t == pytest.approx([(0.9 + 0.7 + 0.45) / 3, (0.8 + 0.6) / 2])
    # row 4: p[0]=0.45 < t0 but p[1]=0.55 < t1=0.7: not confidently another label
    assert find_flags(["a", "b"], ["a", "a", "b", "b", "a"], proba) == []
    proba[4] = [0.1, 0.9]
    (flag,) = find_flags(["a", "b"], ["a", "a", "b", "b", "a"], proba)
    assert (flag.index, flag.given, flag.suggested) == (4, "a", "b")


def test_too_few_rows_per_label_or_one_label_is_a_clear_error():
    with pytest.raises(InvalidInput, match=r"label 'b' has 2 rows; the label audit needs at least 5 per label"):
        audit(["好"] * 6 + ["差"] * 2, ["a"] * 6 + ["b"] * 2)
    with pytest.raises(InvalidInput, match="at least two labels"):
        audit(["好", "差"], ["a", "a"], folds=2)
    with pytest.raises(InvalidInput, match="--folds must be at least 2"):
        audit(["好", "差"], ["a", "b"], folds=1)
