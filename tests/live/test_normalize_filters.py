import pytest

from shopgen.core.errors import InvalidInput
from shopgen.live.filters import DuplicateFilter, Filters, FilterSettings, FloodLimiter, spam_reason
from shopgen.live.normalize import Comment, normalize


@pytest.mark.parametrize(
    "raw, text",
    [
        ("哈哈哈哈哈", "哈哈"),
        ("666666", "666"),
        ("！！！", "!"),
        ("ＸＬ有吗？？", "xl有吗?"),
        ("扣１", "扣1"),
        ("  Bravo！！！ ", "bravo!"),
        ("\u200b好  的", "好 的"),
        ("1111", "111"),
        ("666", "666"),
    ],
)
def test_normalize(raw, text):
    assert normalize(raw).text == text


def test_emoji_cut_into_tokens_with_flag():
    n = normalize("👍👍主播好❤️[doge]")
    assert n.text == "主播好" and n.emoji == ("👍", "👍", "❤", "[doge]") and n.has_emoji
    only = normalize("😂😂")
    assert only.text == "" and only.key == "[emoji]"
    assert not normalize("主播好").has_emoji


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "comment text is empty"),
        ("   ", "comment text is empty"),
        ("好" * 201, "comment text is too long (201 characters, at most 200)"),
        ("ab\x00cd", "comment text contains a binary or control character (U+0000)"),
        ("坏\ufffd", "comment text contains a binary or control character (U+FFFD)"),
    ],
)
def test_bad_comments_rejected(text, message):
    with pytest.raises(InvalidInput) as e:
        Comment("r", "u", text, 1.0)
    assert e.value.message == message


def test_comment_id_derived_and_stable():
    a, b = Comment("r", "u", "包邮吗", 5), Comment("r", "u", "包邮吗", 5)
    assert a.id == b.id and a.id != Comment("r", "u", "包邮吗", 6).id
    assert Comment("r", "u", "x", 1, id="m1").id == "m1"
    with pytest.raises(InvalidInput, match="ts is not a number"):
        Comment("r", "u", "x", "soon")
    for bad in ("nan", "inf", float("-inf")):  # the bus's Lua script does arithmetic on it
        with pytest.raises(InvalidInput, match="ts is not a"):
            Comment("r", "u", "x", bad)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("加微信abc123领福利", "spam:contact"),
        ("vx: shop8888", "spam:contact"),
        ("http://x.cn/abc", "spam:link"),
        ("www.taobao.com 便宜", "spam:link"),
        ("兼职日赚500", "spam:promo"),
        ("看我头像", "spam:promo"),
        ("点关注不迷路点关注不迷路点关注不迷路", "spam:repeat"),
        ("能用微信支付吗", None),
        ("哈哈哈哈哈哈哈哈哈哈哈哈", None),
        ("加购了", None),
        ("24601", None),
    ],
)
def test_spam(text, reason):
    assert spam_reason(text.lower()) == reason


def test_duplicate_within_window_only():
    d = DuplicateFilter(window_s=10)
    assert d.check("r", "u", "扣1", 0) is None
    assert d.check("r", "u", "扣1", 5) == "duplicate"
    assert d.check("r", "u2", "扣1", 5) is None  # another user
    assert d.check("r", "u", "扣1", 30) is None  # outside the window


def test_flood_token_bucket():
    f = FloodLimiter(rate=1.0, burst=3)
    assert [f.check("r", "u", 0.0) for _ in range(4)] == [None, None, None, "flood"]
    assert f.check("r", "other", 0.0) is None
    assert f.check("r", "u", 1.0) is None  # one token refilled


def test_filters_order():
    f = Filters(FilterSettings(flood_burst=2))
    assert f.check("r", "u", "加v123456", "加v123456", 0) == "spam:contact"
    assert f.check("r", "u", "包邮吗", "包邮吗", 0) is None
    assert f.check("r", "u", "包邮吗", "包邮吗", 1) == "duplicate"
