"""Evidence compaction: short passages that keep what the question is about."""

from shopgen.assistant.evidence import clauses, compact

PRODUCT = (
    "男士纯棉圆领T恤；品牌：棉语；售价：79.00元；材质：100%新疆长绒棉；厚度：常规；版型：宽松；"
    "洗涤：30度以下机洗，不可漂白；颜色：白色、黑色、藏青；尺码：S、M、L、XL、XXL"
)


def test_short_text_is_kept_whole():
    assert compact("七天无理由退货，运费由买家承担。", "能退货吗", 120) == "七天无理由退货，运费由买家承担。"


def test_price_question_keeps_title_and_price_within_budget():
    out = compact(PRODUCT, "这件T恤多少钱", 60)
    assert out.startswith("男士纯棉圆领T恤") and "79.00元" in out
    assert len(out) <= 90 and "洗涤" not in out


def test_size_question_keeps_sizes_and_material_question_keeps_material():
    assert "XXL" in compact(PRODUCT, "有XXL码吗", 60)
    assert "长绒棉" in compact(PRODUCT, "材质是纯棉的吗", 60)


def test_clauses_keep_every_character():
    assert "".join(clauses(PRODUCT)) == PRODUCT
