"""Chinese field names and reasons for request validation errors."""

from shopgen.http import fieldnames


def test_nested_locations_are_named_in_chinese():
    assert fieldnames.label(["body", "messages", 1, "content"]) == "消息第 2 条 内容"
    assert fieldnames.label(["query", "since"]) == "起始时间"
    assert fieldnames.label(["body", "mystery"]) == "mystery"  # unknown names stay readable
    assert fieldnames.label(["body"]) == "请求内容"


def test_reasons_carry_their_limits():
    assert fieldnames.reason({"type": "string_too_long", "ctx": {"max_length": 200}}) == "最多 200 个字符"
    assert fieldnames.reason({"type": "string_too_short", "ctx": {"min_length": 2}}) == "至少 2 个字符"
    assert fieldnames.reason({"type": "less_than_equal", "ctx": {"le": 2048}}) == "不能大于 2048"
    assert fieldnames.reason({"type": "literal_error", "ctx": {"expected": "'csv' or 'jsonl'"}}) == (
        "只能是 'csv' 或 'jsonl'"
    )
    assert fieldnames.reason({"type": "something_new", "msg": "Input is odd"}) == "格式不对"


def test_at_most_three_problems_then_a_count():
    errors = [{"loc": ["body", "text"], "type": "missing"}] * 5
    assert fieldnames.message(errors) == "文案内容：必须填写；文案内容：必须填写；文案内容：必须填写；另有 2 处问题"
