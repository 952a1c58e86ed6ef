"""Classes of goods named in shop Chinese."""

import pytest

from shopgen.text.goods import classes


@pytest.mark.parametrize(
    "text, expect",
    [
        ("面霜封口撕开了可以退吗", {"cosmetics"}),
        ("防晒乳用过一次了还能无理由退吗", {"cosmetics"}),
        ("饼干没打开可以无理由退吗", {"food"}),
        ("已拆封的食品、茶叶和咖啡不支持无理由退货", {"food"}),
        ("生鲜食品（如鲜果）不支持七天无理由退货", {"fresh"}),  # longest word first: not food
        ("平板电脑、智能手表等数码产品激活后不支持", {"digital"}),
        ("苹果手机壳能退吗", {"digital"}),  # not fruit
        ("裤子洗过一次还能无理由退吗", {"clothing"}),
        ("台灯坏了能退吗", {"appliance"}),
        ("数码类商品和家居类电器保修1年", {"digital", "appliance"}),
        ("签收后7天内可以申请七天无理由退货", set()),
    ],
)
def test_classes_of_goods(text, expect):
    assert classes(text) == expect
