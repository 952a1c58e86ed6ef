"""No answer contradicts its sources: who pays, which days, allowed or not, and the policy set."""

import json
from pathlib import Path

import pytest

from shopgen.assistant import consistency, policyeval
from shopgen.assistant.consistency import check

KB = {
    json.loads(line)["question"]: json.loads(line)["answer"]
    for line in (Path(__file__).parents[2] / "src/shopgen/demo/data/kb.jsonl").read_text(encoding="utf-8").splitlines()
}
RETURNS = KB["《七天无理由退货规则》"] + KB["退货运费谁出？"]
QUALITY = KB["《质量问题退换货规则》"]
CREAM = KB["面霜拆开用了一次觉得不喜欢，可以退吗？"]
TABLET = KB["平板激活了还能七天无理由退吗？"]
CLOTHES = KB["买的衣服不合适可以退吗？"]
SHIPPING = KB["《发货时效与包邮规则》"]


@pytest.mark.parametrize(
    "answer, evidence, question, kind",
    [
        # what the 1.5B model said, citing faq:1 and faq:2 (the example)
        ("衣服穿着不合适可以退货，退货运费由商家承担。", RETURNS, "衣服穿着不合适可以退货吗？退货运费谁出？", "payer"),
        ("质量问题退货的运费需要您自己承担。", QUALITY, "衣服开线了退货运费谁出", "payer"),
        ("面霜拆封了也可以退货的。", CREAM, "面霜拆开了还能退吗", "eligibility"),
        ("激活后仍然支持七天无理由退货。", TABLET, "平板激活了还能退吗", "eligibility"),
        ("洗过的衣服也可以退货。", RETURNS, "衣服洗过了还能退吗", "eligibility"),
        ("衣服不合适是不能退的。", CLOTHES, "衣服不合适能退吗", "eligibility"),
        ("质量问题可以在7天内申请退货。", QUALITY, "有质量问题多久内可以退", "days"),
        # what the 1.5B model said to policy question 109
        ("双十一下单后48小时内发货。", SHIPPING, "双十一下单多久能发", "days"),
        # and to policy questions 39 and 50
        ("吊牌剪了可以退货。", RETURNS, "吊牌剪了还可以退货吗", "eligibility"),
        ("可以。", RETURNS, "洗面奶用过了可以退吗", "eligibility"),
    ],
)
def test_contradictions_are_found(answer, evidence, question, kind):
    found = check(answer, evidence, question)
    assert found.kind == kind
    for part in found.repair.split("；"):  # the repair is the passage's own words
        assert part.split("：")[-1] in evidence


@pytest.mark.parametrize(
    "answer, evidence, question",
    [
        ("七天无理由退货的寄回运费由买家承担[1]。", RETURNS, "衣服不合适退货运费谁出"),
        ("因质量问题退货的，来回运费由商家承担[1]。", RETURNS, "衣服开线了退货运费谁出"),
        ("拆封后不支持七天无理由退货[1]。", CREAM, "面霜拆开了还能退吗"),
        ("签收后7天内未洗涤、未剪吊牌的衣服可以申请七天无理由退货。", CLOTHES, "衣服不合适能退吗"),
        ("质量问题签收后15天内可以申请退货，来回运费由商家承担。", QUALITY, "有质量问题多久内可以退"),
        ("这款T恤是纯棉的，透气舒适。", "纯棉圆领T恤，透气舒适。", "是纯棉的吗"),
        ("大促期间发货时效延长至72小时。", SHIPPING, "双十一下单多久能发"),
        ("不可以，用过的护肤品不支持七天无理由退货。", RETURNS, "洗面奶用过了可以退吗"),
        ("现货商品付款后48小时内发货。", SHIPPING, "平时多久发货"),
    ],
)
def test_faithful_answers_pass(answer, evidence, question):
    assert check(answer, evidence, question).kind is None


def test_a_contradiction_is_repaired_from_the_passage():
    from shopgen.assistant.answer import Assistant, Draft

    a = Assistant(db=None, index=None, llm=None, classify=lambda t: "return")
    hits = [{"id": "faq:2", "kind": "faq", "title": "退货运费谁出？", "text": KB["退货运费谁出？"]}]
    draft = Draft([], hits, "[1] " + KB["退货运费谁出？"][:100], question="衣服穿着不合适可以退货吗？退货运费谁出？")
    r = a.finish(draft, "衣服穿着不合适可以退货，退货运费由商家承担。")
    assert r.route == "policy" and r.withheld == "contradiction:payer"
    assert "由买家承担" in r.text and "由商家承担" not in r.text.split("；")[-1]


POLICY = Path(__file__).parent / "data" / "policy_questions.jsonl"


def test_the_policy_set_and_its_judge():
    items = policyeval.load(POLICY)
    assert len(items) >= 150 and len({i["q"] for i in items}) == len(items)
    item = {"must": ["买家承担"], "must_not": ["商家承担"]}
    assert policyeval.judge("无理由退货运费由买家承担", "llm", item) == "correct"
    assert policyeval.judge("质量问题商家承担，无理由退货买家承担", "llm", item) == "correct"
    assert policyeval.judge("运费由商家承担", "llm", item) == "contradicted"
    assert policyeval.judge("抱歉，没有找到", "abstain", item) == "abstained"
    assert policyeval.judge("请看商品页", "llm", item) == "unclear"
    # the fixed hand-over sentence holds 「可以」; it is still no yes to 「能退吗」
    from shopgen.assistant.answer import ABSTAIN

    yes = {"must": ["可以", "能退"], "must_not": ["不能退"]}
    assert "可以" in ABSTAIN and policyeval.judge(ABSTAIN, "abstain", yes) == "abstained"


@pytest.mark.slow
@pytest.mark.llm
@pytest.mark.timeout(1800)  # 173 questions, about half answered by the model (~5 s each on 2 cores)
def test_policy_answers_with_the_real_model(real_runtime, tmp_path):
    """Pinned: at most 1% of policy answers contradict the policy, and at least 85% are right
    (75.7% measured on 2026-12-07 before the worked turns, 90.8% with them; BENCHMARKS.md)."""
    from shopgen.assistant.answer import assistant_over
    from shopgen.assistant.index import KnowledgeIndex, load_docs
    from shopgen.demo.loader import load_demo
    from shopgen.store.db import Database

    db = Database(f"sqlite:///{tmp_path / 'shop.db'}")
    db.migrate()
    load_demo(db)
    index = KnowledgeIndex(load_docs(db), real_runtime.embedder(), tmp_path / "ix")
    report = policyeval.run(
        assistant_over(db, index, real_runtime.llm(), real_runtime.intent()), policyeval.load(POLICY)
    )
    assert report["contradicted_rate"] <= 0.01, report["not_correct"]
    assert report["correct_rate"] >= 0.85, {k: report[k] for k in ("correct", "abstained", "unclear", "routes")}


def test_a_missed_answer_is_quoted_only_when_the_passages_plainly_give_it():
    ev = (
        "因质量问题或发错货退货的，来回运费由商家承担；七天无理由退货的寄回运费由买家承担。"
        "满99元包邮，偏远地区除外。以下商品不适用七天无理由退货：已拆封的食品、茶叶；已激活的平板电脑。"
    )
    assert consistency.answer_from(ev, "耳机坏了退货，运费是我出吗") == "因质量问题或发错货退货的，来回运费由商家承担"
    assert consistency.answer_from(ev, "穿着不合身退回运费你们出吗") == "七天无理由退货的寄回运费由买家承担"
    both = consistency.answer_from(ev, "换码的运费谁出")  # no condition named: both, one clause each
    assert both == "七天无理由退货的寄回运费由买家承担；因质量问题或发错货退货的，来回运费由商家承担"
    assert consistency.answer_from(ev, "不满99要运费吗") is None  # the delivery fee, not a return's postage
    assert consistency.answer_from(ev, "茶叶开封了还能退吗") == "以下商品不适用七天无理由退货：已拆封的食品、茶叶"
    assert consistency.answer_from(ev, "茶叶没开封能退吗") is None  # not opened: nothing excludes it
    assert consistency.answer_from(ev, "茶叶好喝吗") is None
    twice = "七天无理由退货的寄回运费由买家承担，下单时购买了运费险的可获得理赔。无理由退货的寄回运费由买家承担，下单时购买了运费险的按保险规则理赔。"
    assert (
        consistency.answer_from(twice, "无理由退货要我出运费吗")
        == "七天无理由退货的寄回运费由买家承担，下单时购买了运费险的可获得理赔"
    )


def test_a_rule_whose_condition_the_shopper_says_is_not_met_is_not_a_yes():
    # what the 1.5B model said with the worked turns to two held-out questions: 「可以。签收后7天内，衣服
    # 未洗涤、未剪吊牌……」 to trousers washed once and to a shirt whose tag was taken off
    for question, said in (("裤子洗过一次还能无理由退吗", "洗过"), ("衣服吊牌拆掉了还能退吗", "吊牌拆")):
        found = check("可以。签收后7天内，衣服未洗涤、未剪吊牌的，可以申请七天无理由退货。", CLOTHES, question)
        assert found.kind == "condition", question
        rule, verdict = found.repair.split("。")
        assert rule in CLOTHES and "未洗涤" in rule  # the rule in the passage's words
        assert verdict == f"您说的「{said}」不符合这个条件，不能按这条办理"
    # what it said to policy question 38: the rule read back, which leaves them thinking it applies
    read_back = "签收后7天内，衣服未洗涤、未剪吊牌、不影响二次销售的，可以在订单页申请七天无理由退货。"
    assert check(read_back, CLOTHES, "衣服洗过了还能退吗").kind == "condition"
    # what it said to policy question 41: another item's rule, which does not answer them either
    found = check(
        "未拆封、在保质期内的食品，签收后7天内可以申请七天无理由退货。", CLOTHES, "洗了一次发现缩水，能无理由退吗"
    )
    assert found.kind == "condition" and "「洗了」不符合这个条件" in found.repair
    # the model missed it altogether: the same from the passages
    assert "不能按这条办理" in consistency.answer_from(CLOTHES, "裤子洗过一次还能无理由退吗")
    # not washed, or an answer that already says no: nothing to repair
    assert check("可以申请七天无理由退货。", CLOTHES, "没洗过没剪吊牌的衣服能退吗").kind is None
    assert check("洗过的衣服不支持七天无理由退货。", CLOTHES, "裤子洗过一次还能无理由退吗").kind is None
    # the passages' own exclusion list is preferred when they have one
    assert check("可以退。", RETURNS, "衣服洗过了还能退吗").kind == "eligibility"


def test_the_condition_read_from_the_question():
    assert consistency.condition("没质量问题就是不想要了，退回运费算谁的") == "noreason"
    assert consistency.condition("不是质量问题，能退吗") == "noreason"
    assert consistency.condition("收到就有质量问题") == "quality"
    assert consistency.condition("东西到手就是坏的，退回去邮费要我自己付吗") == "quality"  # held-out 6
    # so a missed answer quotes the quality rule's payer alone, not both rules
    assert consistency.answer_from(RETURNS, "东西到手就是坏的，退回去邮费要我自己付吗").startswith("因质量问题")
    # the question read the negated quality problem as a quality one: 「来回运费由商家承担」 passed
    assert check("来回运费由商家承担。", RETURNS, "没质量问题就是不想要了，退回运费算谁的").kind == "payer"


def test_no_reason_exclusions_do_not_apply_to_a_quality_problem():
    # 「用了一周」 is not "opened" when the tablet broke: the cosmetics rule is no repair for it
    broke = "平板用了一周出故障了能换新的吗"
    assert check("可以换新。", CREAM + TABLET + QUALITY, broke).kind is None
    assert consistency.answer_from(CREAM, broke) is None
    # a shopper who says the item was not opened is not told it was
    assert (
        check("未拆封、在保质期内的食品可以申请七天无理由退货。", KB["零食没拆封可以退吗？"], "茶叶没开封能退吗").kind
        is None
    )


def test_a_bare_yes_before_a_no_is_dropped():
    from shopgen.assistant.answer import Assistant, Draft

    a = Assistant(db=None, index=None, llm=None, classify=lambda t: "shipping")
    text = KB["你们发什么快递？能指定顺丰吗？"]
    hits = [{"id": "faq:11", "kind": "faq", "title": "你们发什么快递？能指定顺丰吗？", "text": text}]
    draft = Draft([], hits, "[1] " + text, question="可以指定发韵达吗")
    # what the 1.5B model said to held-out question 43
    r = a.finish(draft, "可以。默认发中通快递；数码产品、生鲜水果和实付满299元的订单发顺丰速运。暂不支持指定其他快递。")
    assert r.route == "llm" and r.text.startswith("默认发中通快递") and r.text.endswith("暂不支持指定其他快递。")
    assert consistency.drop_bare_yes("可以，满99元包邮。") == "可以，满99元包邮。"  # nothing says no
    assert consistency.drop_bare_yes("不可以。") == "不可以。"


def test_the_payer_of_a_return_is_not_checked_on_a_delivery_fee_question():
    # policy question 120 got the two return-postage rules as a "repair"
    quality = KB["收到的东西有质量问题怎么办？"]
    assert check("偏远地区运费由买家承担。", quality, "偏远地区运费多少").kind is None
    assert check("退货运费由买家承担。", quality, "质量问题退货运费谁出").kind == "payer"
    # and on ce6bae6 it was "repaired" as a "no" to the return rules: its "no" is about free shipping
    shipping_and_returns = SHIPPING + KB["退货运费谁出？"]
    answer = "偏远地区不参与满99元包邮，单笔实付满199元包邮。"
    assert check(answer, shipping_and_returns, "偏远地区运费多少").kind is None


FOOD = KB["零食没拆封可以退吗？"]
FRUIT = KB["《生鲜食品售后规则》"]
ALL_RETURNS = "".join(
    KB[k] for k in ("《七天无理由退货规则》", "面霜拆开用了一次觉得不喜欢，可以退吗？", "零食没拆封可以退吗？")
)


@pytest.mark.parametrize(
    "answer, evidence, question, says, other",
    [
        # what the 1.5B model said to held-out questions 12, 13 and 15: another product's rule
        ("可以。未拆封、在保质期内的食品，签收后7天内可以申请七天无理由退货。", ALL_RETURNS, "护肤品还没开封，不想要了可以退吗",
         ["可申请七天无理由退货", "护肤品"], "食品"),
        ("可以，衣服未洗涤、未剪吊牌的，可以申请七天无理由退货。", FOOD + CLOTHES, "饼干没打开可以无理由退吗",
         ["未拆封、在保质期内的食品"], "衣服"),
        ("已拆封的食品不支持无理由退货。", FRUIT, "水果可以七天无理由退货吗", ["生鲜食品"], "已拆封"),
        # held-out 13 on a later run: the clothes rule read out with 饼干 for 衣服 is still the clothes rule
        ("可以。签收后7天内，饼干未洗涤、未剪吊牌、不影响二次销售的，可以在订单页申请七天无理由退货。", FOOD + CLOTHES,
         "饼干没打开可以无理由退吗", ["未拆封、在保质期内的食品"], "洗涤"),
    ],
)  # fmt: skip
def test_an_answer_about_other_goods_is_replaced_by_the_rule_for_the_goods_asked(
    answer, evidence, question, says, other
):
    found = check(answer, evidence, question)
    assert found.kind == "goods"
    assert all(s in found.repair for s in says) and other not in found.repair


@pytest.mark.parametrize(
    "answer, evidence, question",
    [
        ("不可以，已拆封的食品、茶叶和咖啡不支持无理由退货。", FOOD, "咖啡拆开了不想要能退吗"),  # coffee is food
        ("拆封后不支持七天无理由退货。", CREAM, "面霜拆开了还能退吗"),  # names no goods: not judged
        ("生鲜食品不支持七天无理由退货。", FRUIT, "脐橙能无理由退吗"),
        ("以下商品不适用七天无理由退货：生鲜食品；已拆封的化妆品。", RETURNS, "水果能退吗"),  # a list that names it
    ],
)
def test_an_answer_about_the_goods_asked_is_not_off_target(answer, evidence, question):
    assert check(answer, evidence, question).kind is None


def test_other_goods_with_no_rule_for_the_goods_asked_abstain():
    from shopgen.assistant.answer import Assistant, Draft

    a = Assistant(db=None, index=None, llm=None, classify=lambda t: "return")
    hits = [{"id": "faq:1", "kind": "faq", "title": "买的衣服不合适可以退吗？", "text": CLOTHES}]
    draft = Draft([], hits, "[1] " + CLOTHES, question="饼干没打开可以无理由退吗")
    r = a.finish(draft, "可以，衣服未洗涤、未剪吊牌的，可以申请七天无理由退货。")
    assert r.route == "abstain" and r.handoff and r.withheld == "contradiction:goods"


def test_an_answer_with_only_the_other_conditions_time_limit_is_repaired():
    # tuning question: 「坏了的话几天内能退」 was answered with the 7-day no-reason rule
    found = check("签收后7天内可以申请七天无理由退货。", RETURNS + QUALITY, "坏了的话几天内能退")
    assert found.kind == "days" and "15天内" in found.repair and "7天" not in found.repair
    # both rules in one clause, each with its own time: nothing contradicts
    assert check("质量问题15天内可以退，无理由退货7天内。", RETURNS + QUALITY, "坏了的话几天内能退").kind is None
    assert check("签收后7天内，质量问题可以退。", QUALITY, "坏了的话几天内能退").kind == "days"
    # and the passages the question found hold no quality rule (the final run): nothing to quote, hand over
    clothes = "签收后7天内，衣服未洗涤、未剪吊牌、不影响二次销售的，可以在订单页申请七天无理由退货。"
    found = check(clothes, CLOTHES, "坏了的话几天内能退")
    assert found.kind == "days" and found.repair == ""
    # tuning 72 in a later run: bad fruit answered with the food rule's 7 days; the repair is the
    # fresh-food rule's 48 hours, what to do as well as what is refused after
    food = "已拆封、在保质期内的食品，签收后7天内可以申请七天无理由退货；已拆封的食品、茶叶和咖啡不支持无理由退货，生鲜水果也不支持。"
    found = check(food, FRUIT + FOOD, "水果坏了几个能赔吗")
    assert found.kind == "days" and "按坏果重量占订单重量的比例退款" in found.repair


def test_a_repair_quotes_the_rule_for_the_goods_asked_and_never_a_faqs_question():
    # held-out 10, 12 and 14: the passage's opening FAQ question was quoted as a rule, and the
    # cosmetics rule led the repair of a coffee question
    passages = "\n".join(f"{q} {KB[q]}" for q in ("面霜拆开用了一次觉得不喜欢，可以退吗？", "零食没拆封可以退吗？"))
    found = check("拆开了也可以退。", passages, "咖啡拆开了不想要能退吗")
    assert found.kind == "eligibility"
    assert found.repair.startswith("已拆封的食品、茶叶和咖啡不支持") and "化妆品" not in found.repair
    found = check("可以。未拆封的食品可以申请七天无理由退货。", passages, "防晒乳用过一次了还能无理由退吗")
    assert found.kind == "goods" and "吗" not in found.repair and "化妆品和护肤品拆封" in found.repair
    assert consistency.clauses("零食没拆封可以退吗？ 未拆封的食品可以退。") == ["未拆封的食品可以退"]
    assert consistency.clauses("《规则》 按《保修政策》处理。") == ["按《保修政策》处理"]
    # held-out 12 on the final run: the passages held no general rule, only the opened-skin-care one
    found = check("可以。未拆封的食品可以申请七天无理由退货。", passages, "护肤品还没开封，不想要了可以退吗")
    assert found.kind == "goods"
    assert found.repair.startswith("化妆品和护肤品拆封") and found.repair.endswith("您说的「还没开封」不在此列")
    found = check("可以。未拆封的食品可以申请七天无理由退货。", passages, "化妆品没拆塑封可以七天无理由吗")
    assert found.repair.endswith("您说的「没拆塑封」不在此列")


def test_a_repeated_list_item_is_said_once_with_its_heading():
    # what the 1.5B model said to tuning question 46 (「护肤品撕开塑封了能七天无理由吗」)
    item = "已拆封或使用过的化妆品、护肤品（以撕开塑封或破坏封口为准）"
    said = consistency.tidy(f"{item}[1]；{item}[1]", RETURNS)
    assert said == f"以下商品不适用七天无理由退货：{item}[1]。"
    assert check(said, RETURNS, "护肤品撕开塑封了能七天无理由吗").kind is None
    # an answer with its own words is left as it is
    assert consistency.tidy("可以退。运费由买家承担。", RETURNS) == "可以退。运费由买家承担。"
    # the list read out from its first item, heading and all (tuning question 142): not headed twice
    listed = "以下商品不适用七天无理由退货：生鲜食品（如鲜果）；已拆封的食品、茶叶、咖啡；"
    assert consistency.tidy(listed, RETURNS) == listed[:-1] + "。"


COUPONS = KB["《优惠券与价格保护规则》"]
ACCOUNT = KB["《账户注销规则》"]
SIZES = KB["尺码不合适可以换吗？"]


@pytest.mark.parametrize(
    "answer, evidence, question, quoted",
    [
        # what the 1.5B model said to the second held-out set (55 and 16)
        ("优惠券可以叠加使用[1]。", COUPONS, "优惠券能折现吗", "不可叠加"),
        (
            "可以，但需要在注销后30天内领取新人券[3]。",
            ACCOUNT,
            "注销后用同一个手机号重新注册还能领新人券吗",
            "不能再领取新人券",
        ),
        ("积分可以恢复。", ACCOUNT, "注销了积分还能恢复吗", "无法恢复"),
    ],
)
def test_a_yes_where_the_rule_says_no_to_something_other_than_a_return(answer, evidence, question, quoted):
    found = check(answer, evidence, question)
    assert found.kind == "eligibility" and quoted in found.repair and found.repair in evidence


@pytest.mark.parametrize(
    "answer, evidence, question",
    [
        ("不可以叠加使用。", COUPONS, "优惠券能叠加吗"),
        ("不能，注销后不能再领取新人券。", ACCOUNT, "注销后还能领新人券吗"),
        # the rule's "no" is about other places than the question's
        ("可以配送到新疆，满199元包邮。", SHIPPING, "能寄到新疆吗"),
        ("新用户注册后可以领取满59元减10元的新人券。", COUPONS, "新人券怎么领"),
    ],
)
def test_a_yes_or_no_the_rules_agree_with_passes(answer, evidence, question):
    assert check(answer, evidence, question).kind is None


def test_who_pays_each_way_of_an_exchange():
    # held-out-2 38: the new item of an exchange goes out at the shop's cost, the old one back at the shopper's
    found = check("换码时新寄给我的那件运费由你承担。", SIZES, "换码时新寄给我的那件运费谁出")
    assert found.kind == "payer" and "换出的运费由商家承担" in found.repair
    assert check("换出的运费由商家承担。", SIZES, "换码时新寄给我的那件运费谁出").kind is None
    assert check("寄回运费由你承担。", SIZES, "换码寄回去运费谁出").kind is None
    assert check("寄回运费由商家承担。", SIZES, "换码寄回去运费谁出").kind == "payer"


def test_advice_and_rotten_fruit_are_read_right():
    # 「无不适再用于面部」 is advice, not a quality condition, so no days rule is quoted from it
    assert consistency.condition("首次使用前建议试用24小时，无不适再用于面部") is None
    assert consistency.condition("橙子收到三天了才发现有烂的，还能赔吗") == "quality"
    # a no-reason question is not repaired with the fault rule
    faults = "自签收次日起15天内出现非人为性能故障的，可以申请换新或退货。"
    found = check("赠品丢了也不能退。", RETURNS + faults, "想七天无理由退，赠品丢了还能退吗")
    assert "故障" not in found.repair


WARRANTY = KB["《数码及电器保修政策》"]


@pytest.mark.parametrize(
    "answer, evidence, question, limit",
    [
        # held-out-2 27: bad fruit reported on day 3, against the 48-hour rule
        (
            "可以拍照（含外箱和面单）联系客服，核实后补发或退款[2]。",
            FRUIT,
            "橙子收到三天了才发现有烂的，还能赔吗",
            "48小时",
        ),
        ("可以，签收后7天内可以申请七天无理由退货。", CLOTHES, "衣服买了10天了还能七天无理由退吗", "7天内"),
        ("可以。", RETURNS, "签收两周了还能无理由退吗", "7天内"),
        ("可以退货。", WARRANTY, "耳机收到20天出故障了能退吗", "15天内"),
        ("可以申请退货或换货。", QUALITY + RETURNS, "衣服收到一个月了开线了能退吗", "15天内"),
        ("可以免费维修。", WARRANTY, "耳机买了两年了坏了能修吗", "1年"),
    ],
)
def test_a_yes_after_the_time_limit_the_shopper_says_has_passed(answer, evidence, question, limit):
    found = check(answer, evidence, question)
    assert found.kind == "days" and limit in found.repair and found.repair.endswith("已超过这个时限")


@pytest.mark.parametrize(
    "answer, evidence, question",
    [
        ("可以，签收后7天内可以申请七天无理由退货。", CLOTHES, "衣服买了5天了还能七天无理由退吗"),
        ("可以免费维修。", WARRANTY, "耳机买了20天坏了能修吗"),  # past the 15-day return, within the 1-year repair
        ("可以申请退货或换货。", QUALITY + RETURNS, "衣服收到十天了开线了能退吗"),
        ("超过48小时反馈的，不再受理坏果赔付。", FRUIT, "橙子收到三天了才发现有烂的，还能赔吗"),
    ],
)
def test_a_yes_within_the_time_limit_passes(answer, evidence, question):
    assert check(answer, evidence, question).kind is None
