"""Does a generated answer contradict the passages it cites? Beyond numbers: who pays, which
days, and whether something is allowed, each read under the condition the shopper asked about
(a no-reason return, a quality problem, an opened or activated item …).

The passages are split into clauses; each clause gets the condition it speaks of. The answer's
claims are read the same way, with the question's condition where a claim names none. A claim
that the passages state otherwise, for that condition, is a contradiction; the repair is the
passage's own clause.

>>> ev = "因质量问题退货的，来回运费由商家承担；七天无理由退货的寄回运费由买家承担。"
>>> check("退货运费由商家承担。", ev, "衣服穿着不合适可以退货吗？退货运费谁出？").kind
'payer'
>>> check("寄回运费由你承担[1]。", ev, "衣服不合适退货运费谁出？").kind is None
True
>>> ship = "现货商品付款后48小时内发货；双11等大促期间发货时效延长至72小时。"
>>> check("双十一下单后48小时内发货。", ship, "双十一下单多久能发").repair
'双11等大促期间发货时效延长至72小时'
>>> check("平时48小时内发货，大促期间72小时内发货。", ship, "双十一下单多久能发").kind is None
True

When the model says the passages lack an answer that they do hold on one of these facets,
:func:`answer_from` gives the passages' own clauses instead:

>>> answer_from(ev, "无理由退货要我自己出运费吗")
'七天无理由退货的寄回运费由买家承担'
>>> rules = "以下商品不适用七天无理由退货：已拆封的食品、茶叶；已激活的平板电脑。"
>>> answer_from(rules, "平板激活了能退吗")
'以下商品不适用七天无理由退货：已激活的平板电脑'
>>> answer_from(rules, "坚果没打开可以无理由退吗") is None  # not opened: the exclusion does not apply
True

A rule that grants only when the exclusion did not happen does not apply once the shopper says it did:

>>> faq = "签收后7天内，衣服未洗涤、未剪吊牌的，可以申请七天无理由退货。"
>>> check("可以，签收后7天内可以申请七天无理由退货。", faq, "裤子洗过一次还能无理由退吗").repair
'签收后7天内，衣服未洗涤、未剪吊牌的，可以申请七天无理由退货。您说的「洗过」不符合这个条件，不能按这条办理'
>>> check("可以退。", faq, "没洗过没剪吊牌的衣服能退吗").kind is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shopgen.text import goods
from shopgen.text.similarity import bigrams, dice

TITLE = re.compile(r"^《[^》]+》\s+")
CLAUSE = re.compile(r"[^。；;！!？?\n]+[：:？?]?")
QUALITY = re.compile(
    r"质量问题|质量|破损|发错|错发|漏发|故障|瑕疵|坏果|坏了|坏的|坏掉|损坏|烂了|烂的|腐烂|有烂|不符|开线|少发|过敏|不适"
)
NOT_QUALITY = re.compile(r"(?:没有|没|不是|并非|非|无)(?:什么)?(?:质量问题|质量|故障|破损|瑕疵)")
NO_DISCOMFORT = re.compile(r"(?:没有|没|无)不适")  # 「无不适再用于面部」: advice, no condition
NOREASON = re.compile(r"无理由|不喜欢|不想要|不合适|不合身|不满意|后悔|拍错|买错|尺码不对|不要了")
BUYER = r"买家|顾客|消费者|客户|您自己|你自己|您|你|自己"
SELLER = r"商家|卖家|我们|店铺|本店|店家|商城"
PAYER = re.compile(
    rf"(运费|邮费|快递费|费用)[^。；，,]{{0,12}}?(?:由)?({BUYER}|{SELLER})(?:来)?(?:承担|出|负责|支付|付|垫付)"
)
NEG = re.compile(r"不支持|不可以|不可|不能|不予|无法|不接受|不退|不换|不受理|不适用|不在.{0,8}范围|不参与|不再")
POS = re.compile(r"可以|支持|能|可|接受|受理")
ACTION = re.compile(r"退货|退款|换货|换码|换新|退换|七天无理由|无理由退|退|换|保修|维修|包邮|理赔|赔付")
# conditions that make an item ineligible in shop policies, grouped by what shoppers say
EXCLUSIONS = {
    "opened": re.compile(r"拆封|拆开|拆了|拆塑封|撕塑封|开封|打开|撕开|用过|使用过|用了|试用"),
    "activated": re.compile(r"激活"),
    "worn": re.compile(
        r"洗涤|洗过|洗了|剪吊牌|剪了吊牌|吊牌剪|剪掉吊牌|吊牌拆|拆吊牌|拆了吊牌|摘吊牌|吊牌摘|穿过|穿着痕迹"
    ),
    "fresh": re.compile(r"生鲜|鲜果|水果|橙子|脐橙"),
    "water": re.compile(r"进水|进液|泡水"),
    "dropped": re.compile(r"摔|挤压|拆机|改装"),
    "late": re.compile(r"超过\s*\d+\s*(天|小时)|过了\s*\d+\s*(天|小时)"),
}
# what makes an item ineligible for a no-reason return; a quality problem is handled whatever they say
NOREASON_ONLY = frozenset({"opened", "activated", "worn", "fresh"})
DAYS = re.compile(r"(\d+)\s*(?:个)?(天|日|工作日|小时)")
# sales events change shipping and service times (「双11等大促期间发货时效延长至72小时」)
PROMO = re.compile(r"双十一|双11|双十二|双12|618|大促|年货节|活动期间")


@dataclass
class Finding:
    kind: str | None = None  # goods | payer | eligibility | condition | days
    claim: str = ""
    repair: str = ""  # the passage's clause(s) that say otherwise


def clauses(text: str) -> list[str]:
    """The clauses of ``text``, questions left out: a passage opens with its FAQ's question
    (「面霜拆开用了一次觉得不喜欢，可以退吗？」), which is no rule, or its policy's title, which is
    dropped (「《七天无理由退货规则》 自签收次日起7天内…」)."""
    found = (TITLE.sub("", c.strip()) for c in CLAUSE.findall(re.sub(r"\[\d+\]", "", text)))
    return [c for c in found if c and not c.endswith(("？", "?", "吗"))]


def condition(text: str) -> str | None:
    """quality | noreason | None. 「没质量问题就是不想要了」 is a no-reason return, not a quality one."""
    text = NO_DISCOMFORT.sub("", text)
    plain = NOT_QUALITY.sub("", text)
    if QUALITY.search(plain):
        return "quality"
    if NOREASON.search(plain) or plain != text:
        return "noreason"
    return None


def _acts(clause: str) -> set[str]:
    """What a clause rules on, coarsely: return, exchange, repair, shipping or claim."""
    kinds = {"包邮": "shipping", "保修": "repair", "维修": "repair", "理赔": "claim", "赔付": "claim"}
    return {kinds.get(a) or ("exchange" if "换" in a and "退" not in a else "return") for a in ACTION.findall(clause)}


def _timed(answer: str) -> list[tuple[str, str | None]]:
    """The parts of ``answer`` between commas that give a time, each with its condition (the
    clause's where the part names none): 「质量问题15天内可以退，无理由退货7天内」 is two rules."""
    out = []
    for c in clauses(answer):
        for part in re.split(r"[，,]", c):
            if DAYS.search(part):
                out.append((part, condition(part) or condition(c)))
    return out


def _party(word: str) -> str:
    return "seller" if re.fullmatch(SELLER, word) else "buyer"


# which way the parcel goes: back to the shop, or (an exchange's new item) out to the shopper
OUTBOUND = re.compile(r"换出|寄给我|寄给你|寄给您|发给我|发给你|发给您|新寄|寄出|发出|补发")
INBOUND = re.compile(r"寄回|退回|寄还|退货|发回")


def _leg(part: str) -> str | None:
    """out | back | None (both ways, 「来回运费」, or not said)."""
    if re.search(r"来回|往返|双向", part):
        return None
    if OUTBOUND.search(part):
        return "out"
    return "back" if INBOUND.search(part) else None


def _payers(text: str, default: str | None) -> list[tuple[str, str | None, str, str | None]]:
    """(party, condition, clause, leg) for every 'X pays the postage' in ``text``; the leg is read
    from the comma part that says it (「寄回运费由你承担，换出的运费由商家承担」 is two)."""
    out = []
    for c in clauses(text):
        for part in re.split(r"[，,]", c):
            for m in PAYER.finditer(part):
                out.append((_party(m.group(2)), condition(c) or default, c, _leg(part)))
    return out


def _exclusions(text: str) -> set[str]:
    return {k for k, rx in EXCLUSIONS.items() if rx.search(text)}


def _stance(clause: str) -> str | None:
    if not ACTION.search(clause):
        return None
    if NEG.search(clause):
        return "no"
    return "yes" if POS.search(clause) else None


def _with_action(clause: str, question: str) -> str:
    """A bare 「可以」 answers the question's own action (「洗面奶用过了可以退吗」 → 可以 退)."""
    if ACTION.search(clause) or not (asked := ACTION.search(question)):
        return clause
    return f"{clause}{asked.group(0)}"


def stances(text: str) -> list[tuple[str, str | None]]:
    """Each clause with its stance; the items listed after 「以下商品不适用…：」 inherit its "no"."""
    out, head = [], None
    for c in clauses(text):
        stance = _stance(c)
        if head is not None and not ACTION.search(c):
            out.append((f"{head}{c}", "no"))  # an item of the list: read with its head
            continue
        head = c if stance == "no" and c.endswith(("：", ":")) else None
        if head is None and stance == "no" and ("：" in c or ":" in c):
            head = c.split("：")[0].split(":")[0] + "："
        out.append((c, stance))
    return out


def check(answer: str, evidence: str, question: str = "") -> Finding:
    """The first contradiction between ``answer`` and ``evidence`` under the question's condition."""
    if (other := off_target(answer, evidence, question)).kind:
        return other
    asked = condition(question)
    # who pays for sending something back (「偏远地区运费多少」 asks the delivery fee: not this)
    said = _payers(evidence, None) if not question or RETURNING.search(question) else []
    for party, cond, claim, leg in _payers(answer, asked):
        same_way = [(p, c) for p, k, c, way in said if leg and way == leg and (k == cond or cond is None)]
        if same_way:  # the exchange's new item goes out at the shop's cost, the old one back at yours
            if party not in {p for p, _ in same_way}:
                return Finding("payer", claim, _quote([c for _, c in same_way], question) or "")
            continue
        stated = [(p, c) for p, k, c, _ in said if k == cond] if cond else []
        if not stated and cond is None:
            stated = [(p, c) for p, k, c, _ in said]
        parties = {p for p, _ in stated}
        if parties and party not in parties:
            return Finding("payer", claim, "；".join(dict.fromkeys(c for p, c in stated)))
    # allowed or not, for the exclusion the shopper named (opened, activated, fresh …)
    named = _named(question)
    if named:
        negatives = [c for c, st in stances(evidence) if st == "no" and _exclusions(c) & named]
        if negatives:
            for c in clauses(answer):
                if _stance(_with_action(c, question)) == "yes" and not (_exclusions(c) - named):
                    return Finding("eligibility", c, _quote(negatives, question) or "")
        elif (unmet := _unmet(evidence, question, named)) and not any(
            _stance(_with_action(c, question)) == "no" for c in clauses(answer)
        ):
            # the passages grant it only when the exclusion did not happen, and the shopper says it
            # did: a "yes", the rule's own words read back to them (「未洗涤…的，可以…」) or another
            # item's rule (「未拆封的食品可以」 to washed trousers) leaves them thinking it applies
            for c in clauses(answer):
                if _stance(_with_action(c, question)) == "yes":
                    return Finding("condition", c, unmet)
    elif asked in (None, "noreason") and (positives := [c for c, st in stances(evidence) if st == "yes"]):
        for c in clauses(answer):
            if _stance(c) == "no" and not _exclusions(c) and condition(c) in (None, asked):
                # a "no" on what the rules grant (「偏远地区不参与满99元包邮」 is no "no" to a return)
                if granted := [p for p in positives if _acts(p) & _acts(c)]:
                    return Finding("eligibility", c, _quote(granted, question) or "")
    # a time limit the shopper says has passed (「橙子收到三天了」 against 48 hours)
    if (late := _too_late(answer, evidence, question)).kind:
        return late
    # yes or no on something that is no return (「优惠券可以叠加使用」 where the rule says 「不可叠加」)
    if (flip := _polarity(answer, evidence, question)).kind:
        return flip
    # how long during a sales event, when the shopper asked about one
    if PROMO.search(question):
        promo = [c for c in clauses(evidence) if PROMO.search(c) and DAYS.search(c)]
        windows = {m.group(1) + m.group(2) for c in promo for m in DAYS.finditer(c)}
        stated = [(c, m.group(1) + m.group(2)) for c in clauses(answer) for m in DAYS.finditer(c)]
        if windows and stated and not any(w in windows for _, w in stated):
            return Finding("days", stated[0][0], "；".join(promo[:2]))
    # how many days, under the same condition
    if asked:
        windows = {
            m.group(1) + m.group(2) for c in clauses(evidence) if condition(c) == asked for m in DAYS.finditer(c)
        }
        timed = _timed(answer)
        for c, cond in timed:
            if cond in (asked, None):
                for m in DAYS.finditer(c):
                    if windows and m.group(1) + m.group(2) not in windows and "天" in m.group(2):
                        # rules with a time and an action (not 「试用24小时，无不适再用于面部」); none: hand over
                        ev = [x for x in clauses(evidence) if condition(x) == asked and DAYS.search(x)]
                        return Finding("days", c, "；".join([x for x in ev if ACTION.search(x)][:2]))
        # only the other condition's time limit (「坏了几天内能退」 answered with the 7-day no-reason rule)
        if timed and all(cond not in (asked, None) for _, cond in timed):
            own = [x for x in clauses(evidence) if condition(x) == asked and DAYS.search(x) and ACTION.search(x)]
            return Finding("days", timed[0][0], _quote(own, question) or "")  # none: hand over
    return Finding()


# how long the shopper has had it: 「收到三天了」「买了10天」「签收一周了」
ELAPSED = re.compile(
    r"(?:收到|签收|买了|买回来|到货|拿到|到手)(?:已经|都|有|快)?"
    r"(\d+|[一二两三四五六七八九十]{1,3})\s*(?:个)?(天|日|小时|周|星期|礼拜|月|年)"
)
HOURS = {"天": 24, "日": 24, "小时": 1, "周": 168, "星期": 168, "礼拜": 168, "月": 720, "年": 8760}
SHOP_SIDE = re.compile(r"仓库|验收|到账|审核|发货|发出|开具|付款后|未付款")
WINDOW = re.compile(r"(\d+)\s*(?:个)?(天|日|小时|月|年)内")  # 「签收后48小时内」「1年内」


def _number(text: str) -> int:
    """「10」「三」「十五」「二十」 as a number."""
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
    if "十" not in text:
        return digits.get(text, 0)
    tens, _, ones = text.partition("十")
    return (digits.get(tens, 1) if tens else 1) * 10 + digits.get(ones, 0)


def _too_late(answer: str, evidence: str, question: str) -> Finding:
    """A yes to a shopper who says they have had the item longer than every time limit the
    passages set for it, under their condition: the limit is the repair.

    >>> ev = "签收后48小时内如发现坏果，请拍照联系客服，按比例退款。超过48小时反馈的，不再受理坏果赔付。"
    >>> _too_late("可以拍照联系客服，核实后退款。", ev, "橙子收到三天了才发现有烂的，还能赔吗").repair
    '超过48小时反馈的，不再受理坏果赔付；签收后48小时内如发现坏果，请拍照联系客服，按比例退款。您说的「收到三天」已超过这个时限'
    >>> _too_late("可以拍照联系客服，核实后退款。", ev, "橙子收到一天了有烂的，还能赔吗").kind is None
    True
    """
    m = ELAPSED.search(question)
    if not m or any(_stance(c) == "no" for c in clauses(answer)):
        return Finding()
    had = _number(m.group(1)) * HOURS[m.group(2)]
    asked = condition(question)
    yes = [c for c in clauses(answer) if _stance(_with_action(c, question)) == "yes"]
    for claim in yes:
        acts = _acts(_with_action(claim, question))
        # the shopper's time limits, not the shop's (「仓库收到退货后48小时内完成验收」)
        rules = [
            (c, span)
            for c in clauses(evidence)
            if not SHOP_SIDE.search(c) and condition(c) in (asked, None)
            for span in _windows(c)
            if _acts(span) & acts
        ]
        rules = [r for r in rules if condition(r[0]) == asked] or rules
        limits = {
            w.group(1) + w.group(2): int(w.group(1)) * HOURS[w.group(2)] for _, x in rules for w in WINDOW.finditer(x)
        }
        if limits and had > max(limits.values()):
            # and the rule that refuses what comes later (「超过48小时反馈的，不再受理坏果赔付」)
            later = re.compile(rf"超过\s*(?:{'|'.join(limits)})")
            rule = _quote([c for c in clauses(evidence) if later.search(c) and NEG.search(c)], question, 1)
            said = _quote([c for c, _ in rules], question, 1)
            repair = "；".join(x for x in (rule, said) if x)
            return Finding("days", claim, f"{repair}。您说的「{m.group(0)}」已超过这个时限")
    return Finding()


def _windows(clause: str) -> list[str]:
    """The clause's stretches that each begin with a time limit and run to the next one:
    「签收15天内…可以换新或退货，之后1年内免费维修」 is a 15-day return and a 1-year repair."""
    spans: list[str] = []
    for part in re.split(r"[，,]", clause):
        if WINDOW.search(part) or not spans:
            spans.append(part)
        else:
            spans[-1] += f"，{part}"
    return [x for x in spans if WINDOW.search(x)]


# a yes or a no on what follows: 「可以叠加使用」, 「不能再领取新人券」 (not 「能否」, 「只能」, 「功能」)
MODAL = re.compile(r"(暂不支持|不支持|不可以|不可|不能|无法|不予|(?<![只功性智可])(?:可以|能|支持))(?![否量])")
SAME_PREDICATE = 0.5  # bigram Dice at which two predicates say the same thing


def _predicates(text: str, question: str = "") -> list[tuple[str, str, str, str]]:
    """(stance, predicate, subject, clause) for each comma part of ``text`` that says it can or
    cannot do something other than a return or exchange (those have their own checks). A bare
    「可以」 takes the question's predicate (「还能领新人券吗」 → 领新人券)."""
    out = []
    for c in clauses(text):
        for part in re.split(r"[，,]", c):
            m = MODAL.search(part)
            if not m:
                continue
            said = re.sub(r"[的了呢吗啊哦。！!]+$", "", part[m.end() :]).strip()
            if not said and question and (asked := MODAL.search(question)):
                said = re.split(r"[，,。？?]", question[asked.end() :])[0]
                said = re.sub(r"[的了呢吗啊哦]+$", "", said).strip()
            said = re.sub(r"^(?:再|申请|被)", "", said)
            if len(said) >= 2 and not ACTION.search(said):
                stance = "yes" if m.group(1) in ("可以", "能", "支持") else "no"
                out.append((stance, said, part[: m.start()].strip(), c))
    return out


def _polarity(answer: str, evidence: str, question: str) -> Finding:
    """An answer that says yes where the passages say no (or no where they say yes) to the same
    thing: the rule's own clause is the repair. A passage's part about something the question does
    not name (「港澳台及海外地区暂不支持配送」 to 「能寄到新疆吗」) does not count.

    >>> ev = "每笔订单限用1张优惠券，不可叠加，不可兑换现金。"
    >>> _polarity("优惠券可以叠加使用。", ev, "优惠券能一起用吗").repair
    '每笔订单限用1张优惠券，不可叠加，不可兑换现金'
    >>> _polarity("不可以叠加。", ev, "优惠券能叠加吗").kind is None
    True
    """
    q = bigrams(question)
    rules = [r for r in _predicates(evidence) if not r[2] or bigrams(r[2]) & q or len(r[2]) <= 2]
    for stance, said, _, claim in _predicates(answer, question):
        same = [(st, c) for st, pred, _, c in rules if dice(bigrams(pred), bigrams(said)) >= SAME_PREDICATE]
        against = [c for st, c in same if st != stance]
        if against and all(st != stance for st, _ in same):
            return Finding("eligibility", claim, _quote(against, question, 1) or "")
    return Finding()


# 「没拆」「还没打开」「未激活」: the shopper says the exclusion does not apply
_NEGATED = re.compile(
    r"(?:没有|还没|尚未|没|未|不曾)\s*(?:拆封|拆开|拆塑封|撕塑封|拆|开封|打开|撕开|用过|使用过|用|激活|洗过|洗|穿过|穿|剪)"
)
# who pays for sending something back (not the delivery fee: 「满多少免运费」 is another question)
ASKS_PAYER = re.compile(r"运费|邮费|快递费")
RETURNING = re.compile(r"退|换|寄回|退回|寄还")
QUOTE_CLAUSES = 2
SAME_RULE = 0.7  # bigram Dice at which two clauses are one rule stated twice


def answer_from(evidence: str, question: str) -> str | None:
    """The passages' own clauses (at most :data:`QUOTE_CLAUSES`, the closest to the question
    first) that answer ``question`` on who pays the postage of a return or whether an excluded
    item (opened, activated, worn, fresh …) may be returned; None when they do not, or when the
    reading is not clear-cut. For a model that said 「资料中没有提到」 wrongly."""
    asked = condition(question)
    if ASKS_PAYER.search(question) and RETURNING.search(question):
        said = [(p, k, c) for p, k, c, _ in _payers(evidence, None) if k]
        if asked:
            return _quote([c for _, k, c in said if k == asked], question)
        # no condition named: both answers, one clause each, when the passages give both
        by = {k: _quote([c for _, kk, c in said if kk == k], question, 1) for k in ("noreason", "quality")}
        return "；".join(by.values()) if all(by.values()) else None
    named = _named(question)
    if not named or not ACTION.search(question):
        return None
    negatives = [c for c, st in stances(evidence) if st == "no" and _exclusions(c) & named]
    return _quote(negatives, question) or _unmet(evidence, question, named)


def off_target(answer: str, evidence: str, question: str) -> Finding:
    """An answer whose rules all speak of other goods than the question's (skin care answered with
    the food rule): kind ``goods``, repaired with the passages' rules for the goods asked about, led
    by the general rule when the shopper says the exclusion did not happen (「还没开封」); an empty
    repair when the passages have none.

    >>> ev = "未拆封的食品，签收后7天内可以申请七天无理由退货。化妆品和护肤品拆封后不支持七天无理由退货。"
    >>> off_target("未拆封的食品可以申请七天无理由退货。", ev, "面霜拆了还能退吗").repair
    '化妆品和护肤品拆封后不支持七天无理由退货'
    >>> off_target("化妆品拆封后不支持退货。", ev, "面霜拆了还能退吗").kind is None
    True
    """
    asked = goods.classes(question)
    if not asked:
        return Finding()
    rules = stances(evidence)
    said = [(c, _goods_of(c, rules)) for c, st in stances(answer) if st]
    if not any(k for _, k in said) or any(k & asked for _, k in said):
        return Finding()
    found = [c for c, st in rules if st and goods.classes(c) & asked]
    repair = _quote(found, question) or ""
    denied = _exclusions(question) - _exclusions(_NEGATED.sub("", question))
    excluding = [c for c, st in rules if c in found and st == "no" and _exclusions(c) & denied]
    if excluding and not any(_negated(c) & denied for c in found):
        # 「护肤品还没开封」: these goods are excluded once opened and have no rule of their own for
        # unopened ones (food has: 「未拆封…的食品…可以」), so the general rule is the answer
        acts = set.intersection(*(set(ACTION.findall(c)) for c in excluding))  # what they rule on (七天无理由)
        grants = re.compile(rf"(?:可以|可|能|支持)(?:申请|办理)?(?:七天)?(?:{'|'.join(sorted(acts, key=len)[::-1])})")
        general = [c for c, st in rules if st == "yes" and not goods.classes(c) and not _exclusions(c)]
        if acts and (lead := _quote([c for c in general if grants.search(c)], question, 1)):
            repair = f"{lead}；{_quote(excluding, question, 1)}"
        else:  # no general rule among the passages: say that the exclusion is not theirs
            not_so = "、".join(dict.fromkeys(m.group(0) for m in _NEGATED.finditer(question)))
            repair = f"{_quote(excluding, question, 1)}。您说的「{not_so}」不在此列"
    return Finding("goods", next(c for c, k in said if k), repair)


def _goods_of(clause: str, rules: list[tuple[str, str | None]]) -> set[str]:
    """The goods a clause of the answer rules on: those of the passage's rule it restates, whatever
    goods it names (the clothes rule read out with 饼干 for 衣服 is still the clothes rule)."""
    mine = bigrams(clause)
    close = [c for c, _ in rules if goods.classes(c) and dice(mine, bigrams(c)) >= SAME_RULE]
    return goods.classes(close[0]) if close else goods.classes(clause)


BARE_YES = re.compile(r"(?:是的|可以的?|能的?|支持的?|没问题)[，,。！!]")


def drop_bare_yes(answer: str) -> str:
    """「可以。……暂不支持指定其他快递。」: a bare yes ahead of a clause that says no is the model's habit,
    not what the passages answer; the rest of the answer stands without it.

    >>> drop_bare_yes("可以。默认发中通快递，暂不支持指定其他快递。")
    '默认发中通快递，暂不支持指定其他快递。'
    >>> drop_bare_yes("可以。签收后7天内可以申请七天无理由退货。")
    '可以。签收后7天内可以申请七天无理由退货。'
    """
    m = BARE_YES.match(answer)
    rest = answer[m.end() :].lstrip() if m else ""
    return rest if rest and any(NEG.search(c) for c in clauses(rest)) else answer


SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?\n]*")


def tidy(answer: str, evidence: str) -> str:
    """A sentence said twice is said once, and an item of a passage's list read out without its
    heading (「已拆封或使用过的化妆品、护肤品」 alone: excluded from what?) gets the heading back.

    >>> ev = "以下商品不适用七天无理由退货：生鲜食品；已拆封的食品、茶叶。"
    >>> tidy("已拆封的食品、茶叶[1]；已拆封的食品、茶叶[1]。", ev)
    '以下商品不适用七天无理由退货：已拆封的食品、茶叶[1]。'

    A passage's FAQ question read out ahead of the answer is left out:

    >>> tidy("零食没拆封可以退吗？未拆封的食品可以退。", "零食没拆封可以退吗？ 未拆封的食品可以退。")
    '未拆封的食品可以退。'
    """
    items = {c.split("：", 1)[1]: c.split("：", 1)[0] for c, st in stances(evidence) if st == "no" and "：" in c}
    out, seen, last_head = [], set(), None
    for part in SENTENCE.findall(answer):
        core = re.sub(r"\[\d+\]", "", part).strip().rstrip("。；;！!？?\n")
        if not core or core in seen or (not out and part.rstrip().endswith(("？", "?")) and core in evidence):
            continue
        seen.add(core)
        head = items.get(core) if _stance(core) is None else None
        if head and head != last_head:
            part = f"{head}：{part.lstrip()}"
        elif "：" in core and items.get(core.split("：", 1)[1]) == core.split("：", 1)[0]:
            head = core.split("：", 1)[0]  # the list's first item, read out with its heading
        last_head = head
        out.append(part)
    text = "".join(out).rstrip()
    return text[:-1] + "。" if text.endswith(("；", ";")) else text or answer


def _named(question: str) -> set[str]:
    """The exclusions the shopper says apply (「拆开了」), not those said not to (「没拆」); under a
    quality problem the no-reason ones do not matter (「平板用了一周出故障了」 is not "opened")."""
    named = _exclusions(_NEGATED.sub("", question))
    return named - NOREASON_ONLY if condition(question) == "quality" else named


def _negated(clause: str) -> set[str]:
    """The exclusions a clause says did not happen (「未洗涤、未剪吊牌」 → worn)."""
    return _exclusions(clause) - _exclusions(_NEGATED.sub("", clause))


def _unmet(evidence: str, question: str, named: set[str]) -> str | None:
    """A rule that grants something only when the exclusion did not happen (「衣服未洗涤、未剪吊牌…
    的，可以申请七天无理由退货」) while the shopper says it did: that rule, and that it does not apply."""
    conditional = [c for c, st in stances(evidence) if st == "yes" and _negated(c) & named]
    rule = _quote(conditional, question, 1)
    if rule is None:
        return None
    said = "、".join(dict.fromkeys(m.group(0) for k in sorted(named) for m in EXCLUSIONS[k].finditer(question)))
    return f"{rule}。您说的「{said}」不符合这个条件，不能按这条办理"


def _quote(found: list[str], question: str, n: int = QUOTE_CLAUSES) -> str | None:
    """The ``n`` clauses closest to the question, a clause that says what a chosen one says
    (two passages stating one rule) left out, those about the goods asked about first."""
    q, asked = bigrams(question), goods.classes(question)
    # the rules for the goods asked about (咖啡: not the cosmetics rule), else those naming none
    found = [c for c in found if goods.classes(c) & asked] or [c for c in found if not goods.classes(c)] or found
    # and for the shopper's condition: a no-reason return is not answered with the fault rule
    if cond := condition(question):
        found = [c for c in found if condition(c) in (cond, None)] or found
    chosen: list[str] = []
    for c in sorted(dict.fromkeys(found), key=lambda c: -len(q & bigrams(c))):  # stable: ties keep order
        if len(chosen) < n and all(dice(bigrams(c), bigrams(x)) < SAME_RULE for x in chosen):
            chosen.append(c)
    return "；".join(chosen) or None
