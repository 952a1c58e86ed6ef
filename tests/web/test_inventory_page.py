"""库存 page helpers: forecast notes and form errors in Chinese, naming the field."""

from shopgen.core.errors import InvalidInput
from shopgen.web.inventory import explain, note_zh


def test_notes_in_chinese():
    assert (
        note_zh("the last week (2026-11-09) is incomplete and was left out")
        == "最后一期（2026-11-09）数据不完整，未用于预测"
    )
    assert (
        note_zh("filled 3 week(s) with no sales rows with zero in 2 series")
        == "2 个 SKU 共 3 期没有销量记录，已按 0 补齐"
    )
    assert note_zh("something new") == "something new"


def test_form_errors_name_the_field():
    assert (
        explain(InvalidInput("entry: a live event needs the products on stage (skus)")) == "SKU：直播需要填写上架的商品"
    )
    assert (
        explain(InvalidInput("start: Input should be a valid date or datetime, input is too short"))
        == "开始日期：格式应为 YYYY-MM-DD"
    )
    assert explain(InvalidInput("discount: Input should be less than 1")) == "折扣：应小于 1（0.2 表示八折）"
    assert explain(InvalidInput("quantity: 应为不小于 0 的整数，收到 x")) == "数量：应为不小于 0 的整数，收到 x"
