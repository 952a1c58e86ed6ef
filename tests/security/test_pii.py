"""Personal data in Chinese shop text: what must be masked, and what must be left alone.

The examples are written the way shoppers and live-room viewers actually type: full-width
punctuation, numbers split by spaces or dashes, addresses with and without a province.
"""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from shopgen.core.settings import Settings
from shopgen.models.llm import create_llm
from shopgen.models.llm.openai import OpenAIGenerator
from shopgen.models.masking import MaskingGenerator
from shopgen.security import logfilter, pii

MASKED = [
    # mobile numbers
    ("我的手机号是13812345678，麻烦尽快发货", "我的手机号是[手机号]，麻烦尽快发货"),
    ("电话138-1234-5678", "电话[手机号]"),
    ("联系 139 1234 5678 谢谢", "联系 [手机号] 谢谢"),
    ("+86 15912345678", "[手机号]"),
    ("+8618612345678有事打我", "[手机号]有事打我"),
    ("0086-17712345678", "[手机号]"),
    ("号码：19912345678。", "号码：[手机号]。"),
    ("快递员打16612345678找不到人", "快递员打[手机号]找不到人"),
    # landlines
    ("公司座机010-62345678", "公司座机[电话]"),
    ("打0571 87654321转前台", "打[电话]转前台"),
    ("（021）64321234", "[电话]"),
    ("总机 0755-26543210-8021", "总机 [电话]"),
    # ID numbers (checksum valid)
    ("身份证11010519491231002X，清关用", "身份证[身份证号]，清关用"),
    ("实名：44030419900307123x", "实名：[身份证号]"),
    ("证件号330106198511204328", "证件号[身份证号]"),
    # bank cards (Luhn valid)
    ("退款到卡号6222021234567890128", "退款到卡号[银行卡号]"),
    ("工行卡 6217 0000 0012 3456 786", "工行卡 [银行卡号]"),
    ("4367421234567896", "[银行卡号]"),
    # emails
    ("发票发到zhang.san@163.com吧", "发票发到[邮箱]吧"),
    ("邮箱 li_si+shop@qq.com，谢谢", "邮箱 [邮箱]，谢谢"),
    ("Wang.Wu@example.com.cn", "[邮箱]"),
    # order numbers (the demo shop's SG + 12 digits)
    ("订单SG202405200017怎么还没发", "订单[订单号]怎么还没发"),
    ("我的单号是 SG202411110001 和 SG202411110002", "我的单号是 [订单号] 和 [订单号]"),
    # addresses
    ("寄到浙江省杭州市西湖区文三路90号3栋201室", "寄到[地址]"),
    ("地址：广东省深圳市南山区科技园科苑路15号", "地址：[地址]"),
    ("我住在北京市朝阳区望京街道阜通东大街6号院3号楼1单元502", "我住在[地址]"),
    ("上海市浦东新区张江镇祖冲之路887弄", "[地址]"),
    ("麻烦改成杭州市余杭区五常街道文一西路969号", "麻烦改成[地址]"),
    ("收货地址：江苏省南京市鼓楼区中山北路200号", "收货地址：[地址]"),
    ("寄到朝阳区建国路88号SOHO现代城", "寄到[地址]SOHO现代城"),
    ("广州市天河区天河路385号太古汇", "[地址]太古汇"),
    ("四川省成都市武侯区人民南路四段12号", "[地址]"),
    ("送到幸福里小区8栋2单元1101", "送到[地址]"),
    ("新疆维吾尔自治区乌鲁木齐市天山区解放北路100号", "[地址]"),
    # several kinds in one message
    (
        "收件人张女士，电话13912345678，地址湖北省武汉市洪山区珞喻路1037号，订单SG202406180042",
        "收件人张女士，电话[手机号]，地址[地址]，订单[订单号]",
    ),
    ("直播间抽奖中了！手机13612345678 邮箱lucky@163.com", "直播间抽奖中了！手机[手机号] 邮箱[邮箱]"),
]

UNTOUCHED = [
    # prices, discounts, money
    "这款T恤¥129.00，券后99元",
    "满299减30，第2件半价",
    "原价1999，直播间到手价1299",
    "买了3个，每个9.9元，一共29.7",
    # sizes and body measurements
    "身高175cm体重70kg穿XL合适吗",
    "尺码M，胸围100cm，衣长68cm",
    "腰围2尺1，穿26码",
    "鞋码42，脚长260mm",
    # SKUs, model numbers, codes
    "SKU FZ-1001-WH-M 还有货吗",
    "型号BT-2024-PRO",
    "商品编号 1001-2002-3003",
    "优惠码 SALE2024",
    # dates and times
    "2024-11-11 20:00 开抢",
    "11月11日晚上8点直播",
    "20241111当天发货吗",
    # capacities, quantities, specs
    "5000mAh充电宝，500ml保温杯",
    "1TB固态硬盘，16GB内存",
    "一箱24瓶，每瓶330ml",
    "25W快充，续航12小时",
    # places that are not someone's address
    "杭州发货，48小时内发出",
    "北京市朝阳区的仓库",
    "支持全国包邮（新疆西藏除外）",
    "比市场价便宜300块",
    "在室内用还是户外用？",
    # numbers that look long but are not personal
    "已售123456件",
    "订单SG2024这个格式不对",
    "手机号138123是不完整的",
    "身份证11010519491231002Y（校验位不对）",
]


@pytest.mark.parametrize("text, expected", MASKED)
def test_masks_personal_data(text, expected):
    assert pii.mask(text) == expected


@pytest.mark.parametrize("text", UNTOUCHED)
def test_leaves_prices_sizes_skus_dates_alone(text):
    assert pii.find(text) == []
    assert pii.mask(text) == text


def test_the_example_set_is_large_enough():
    assert len(MASKED) + len(UNTOUCHED) >= 40 and len(UNTOUCHED) >= 20


def test_findings_say_what_and_where():
    text = "电话13812345678，订单SG202405200017"
    found = pii.find(text)
    assert [(f.kind, f.text) for f in found] == [("mobile", "13812345678"), ("order", "SG202405200017")]
    assert text[found[0].start : found[0].end] == "13812345678"
    assert pii.mask(text, kinds=["order"]) == "电话13812345678，订单[订单号]"


def test_order_pattern_is_configurable():
    text = "单号 JD20240520123 和 SG202405200017"
    assert pii.mask(text, order_pattern=r"JD\d{11}") == "单号 [订单号] 和 SG202405200017"


def test_mask_obj_masks_nested_strings_only():
    value = {"phone": "13812345678", "items": ["寄到杭州市西湖区文三路90号", 3], "price": 99.0}
    assert pii.mask_obj(value) == {"phone": "[手机号]", "items": ["寄到[地址]", 3], "price": 99.0}


def test_log_records_are_masked(caplog):
    logfilter.install()
    log = logging.getLogger("shopgen.test")
    with caplog.at_level(logging.INFO, logger="shopgen.test"):
        log.info("shopper %s asked about %s", "13812345678", "SG202405200017")
        logging.getLogger("uvicorn.access").warning("GET /api/x?phone=13912345678")
    assert [r.getMessage() for r in caplog.records] == [
        "shopper [手机号] asked about [订单号]",
        "GET /api/x?phone=[手机号]",
    ]


def test_log_filter_for_one_handler():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "call %s", ("13812345678",), None)
    assert logfilter.PiiLogFilter().filter(record) is True
    assert record.getMessage() == "call [手机号]"


def _openai_settings(tmp_path, **kw) -> Settings:
    return Settings(
        data_dir=tmp_path, llm_backend="openai", openai_base_url="http://llm.test/v1", openai_retries=0, **kw
    )


def test_text_sent_to_a_remote_llm_is_masked(tmp_path):
    sent = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.content.decode())
        return httpx.Response(200, json={"choices": [{"message": {"content": "好的"}, "finish_reason": "stop"}]})

    settings = _openai_settings(tmp_path)
    client = httpx.Client(base_url="http://llm.test/v1", transport=httpx.MockTransport(handler))
    gen = MaskingGenerator(OpenAIGenerator(settings, client=client), settings.pii_order_pattern)
    result = gen.chat([{"role": "user", "content": "订单SG202405200017寄到杭州市西湖区文三路90号，电话13812345678"}])
    assert result.text == "好的"
    assert "13812345678" not in sent[0] and "SG202405200017" not in sent[0] and "文三路" not in sent[0]
    assert "[手机号]" in sent[0] and "[订单号]" in sent[0]


def test_create_llm_wraps_remote_backends_only_when_configured(tmp_path):
    assert isinstance(create_llm(_openai_settings(tmp_path)), MaskingGenerator)
    assert isinstance(create_llm(_openai_settings(tmp_path, pii_mask_remote=False)), OpenAIGenerator)
    local = Settings(data_dir=tmp_path, llm_backend="llamacpp")
    assert not isinstance(create_llm(local), MaskingGenerator)  # in-process: nothing leaves


def test_text_sent_to_remote_embeddings_is_masked(tmp_path):
    """The same rule for every outbound model call: the embeddings endpoint sees no personal data."""
    from shopgen.models.embed import create_embedder
    from shopgen.models.embed.openai import OpenAIEmbedder
    from shopgen.models.masking import MaskingEmbedder

    sent = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        sent.extend(body["input"])
        return httpx.Response(
            200, json={"data": [{"index": i, "embedding": [1.0, 0.0]} for i in range(len(body["input"]))]}
        )

    settings = _openai_settings(tmp_path, embed_backend="openai")
    assert isinstance(create_embedder(settings), MaskingEmbedder)
    assert isinstance(create_embedder(settings.model_copy(update={"pii_mask_remote": False})), OpenAIEmbedder)
    client = httpx.Client(base_url="http://llm.test/v1", transport=httpx.MockTransport(handler))
    emb = MaskingEmbedder(OpenAIEmbedder(settings, client=client), settings.pii_order_pattern)
    text = "我叫张三，身份证11010519491231002X，电话13812345678，寄到杭州市西湖区文三路90号"
    assert emb.embed_queries([text]).shape == (1, 2) and emb.embed_passages([text]).shape == (1, 2)
    assert len(sent) == 2
    for leaked in ("11010519491231002X", "13812345678", "文三路"):
        assert all(leaked not in t for t in sent)


def test_masking_keeps_the_shape_of_log_arguments():
    """uvicorn's access formatter unpacks record.args: masking must not collapse them."""
    from uvicorn.logging import AccessFormatter

    logfilter.install()
    record = logging.getLogger("uvicorn.access").makeRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/api/x?tel=13812345678", "1.1", 200),
        None,
    )
    line = AccessFormatter("%(message)s", use_colors=False).format(record)
    assert line == '127.0.0.1:5000 - "GET /api/x?tel=[手机号] HTTP/1.1" 200'
