"""What a generated answer commits the shop to, and whether the shop's policy says so.

The model may explain policy; it may never make a promise. An answer is reviewed before a
shopper sees it:

- **commitments** it makes (refunds, compensation, discounts, delivery dates, exchanges, free
  shipping, returns) must each be backed by a passage it was given that speaks of the same
  thing; one that is not backed is withheld;
- **grants** (「同意退款」「给您补偿」「已为您退款」) are actions only a person may take: always withheld;
- **disparaging** text (about the shop, a competitor, the shopper) is withheld;
- **off-topic** text (a poem, an essay, code: little of it drawn from the passages or the
  question) is withheld.

>>> review("可以的，同意退款并补偿。", evidence="[1] 七天无理由退货，运费由买家承担。", question="同意退款吧").reason
'grant'
>>> review("支持七天无理由退货，退货运费由买家承担[1]。", evidence="[1] 七天无理由退货，退货运费由买家承担。", question="能退吗").ok
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shopgen.text.similarity import bigrams

# category → how an answer commits to it, and how a policy passage speaks of it
COMMITMENTS: dict[str, tuple[re.Pattern, re.Pattern]] = {
    "refund": (re.compile(r"退款|退钱|退还|全额退|返还|退回.{0,4}(钱|款)"), re.compile(r"退款|退还|退回|原路返回")),
    "compensation": (
        re.compile(r"补偿|赔偿|赔付|赔(您|你)|理赔|补贴(您|你)"),
        re.compile(r"补偿|赔偿|赔付|理赔|价保|保价"),
    ),
    "discount": (
        re.compile(
            r"优惠|折扣|打折|[\d一二三四五六七八九半]+(\.\d+)?折|减价|降价|返现|红包|优惠券|满减|立减|免单|便宜(点|些|一点)"
        ),
        re.compile(r"优惠|折扣|[\d一二三四五六七八九半]+(\.\d+)?折|返现|红包|优惠券|满减|立减|会员价|积分"),
    ),
    "delivery": (
        re.compile(
            r"(今天|明天|后天|当天|次日|\d+\s*(天|日|小时)(内|之内)?).{0,6}(发货|发出|送达|到货|到达|寄出|能到)"
            r"|保证.{0,6}(到|送达|发货)|准时送达|一定(能)?(到|送达)"
        ),
        re.compile(r"发货|送达|到货|配送|时效|\d+\s*(天|日|小时)"),
    ),
    "exchange": (re.compile(r"换货|更换|换新|调换|换一(件|个|双)|补发"), re.compile(r"换货|更换|换新|调换|补发")),
    "free_shipping": (
        re.compile(r"包邮|免运费|免邮|运费(由)?(我们|商家|卖家|本店|店铺)(来)?(承担|出|负责)"),
        re.compile(r"包邮|免运费|免邮|运费(由)?(商家|卖家|本店|店铺)(承担|出|负责)"),
    ),
    "return": (re.compile(r"退货|无理由|退回"), re.compile(r"退货|无理由|退换")),
}
# doing, not describing: only a person may grant these
GRANT = re.compile(
    r"同意(为|给)?(您的?|你的?|该|此|这笔|这个)?(订单)?(全额|部分)?(退款|退货|补偿|赔偿|换货|免单|申请)"
    r"|(给|为|帮)(您|你)(办理|安排|申请)?.{0,2}(退款|补偿|赔偿|赔付|免单|补发|换货)"
    r"|已(经)?(为|给)?(您|你)?(办理|安排)?(了)?(退款|补偿|赔偿|免单)"
    r"|(会|将|可以)(给|为)(您|你).{0,4}(补偿|赔偿|赔付|免单|返现)"
    r"|(保证|承诺|答应)(给|为)?(您|你)?"
)
DISPARAGING = re.compile(
    r"垃圾|骗子|黑店|坑人|坑钱|无良|恶心|烂透|差劲|不要脸|傻[逼瓜]|\bsb\b|去死|滚|狗屎|智障|脑残|废物|假货店|奸商"
    r"|(淘宝|京东|拼多多|天猫|抖音|快手|唯品会|苏宁|别家|别的店|其他店|同行|竞品|友商).{0,12}(差|烂|坑|假货|不行|不靠谱|骗)",
    re.IGNORECASE,
)
# a bare yes to a question that asks for a commitment is a grant: 「给我补偿20块吧，同意吗？」 → 「同意。」
AFFIRMATION = re.compile(r"^(同意|可以|行|好的?|没问题|当然|是的|嗯|ok|OK|好吧|答应|成交)[的啦了呀哈吧。！!～~\s]*$")
OFFTOPIC_MIN_OVERLAP = 0.2  # share of the answer's character bigrams drawn from the passages or the question
OFFTOPIC_MIN_CHARS = 24


@dataclass
class Verdict:
    ok: bool
    reason: str | None = None  # grant | unsupported | disparaging | offtopic
    commitments: list[str] = field(default_factory=list)  # what the answer commits to
    unsupported: list[str] = field(default_factory=list)  # … and what no passage backs


def commitments_in(text: str) -> list[str]:
    return [name for name, (says, _) in COMMITMENTS.items() if says.search(text)]


WHEN = re.compile(r"今天|明天|后天|当天|次日|隔日|\d+\s*(?:个)?(?:天|日|小时|工作日)")


def backed(name: str, evidence: str, answer: str = "") -> bool:
    """Does a passage speak of this commitment? A delivery promise must also use the passage's
    own time words (「明天送达」 is not backed by 「48小时内发货」)."""
    if not COMMITMENTS[name][1].search(evidence):
        return False
    if name == "delivery":
        return all(w.group(0).replace(" ", "") in evidence.replace(" ", "") for w in WHEN.finditer(answer))
    return True


def overlap(answer: str, sources: str) -> float:
    """Share of the answer's character bigrams (Chinese and words) that occur in ``sources``."""
    a = bigrams(answer)
    if not a:
        return 1.0
    return len(a & bigrams(sources)) / len(a)


def review(answer: str, evidence: str, question: str = "") -> Verdict:
    """Is ``answer`` fit to show a shopper, given the passages (``evidence``) it was written from?"""
    found = commitments_in(answer)
    bare = re.sub(r"\[\d+\]", "", answer).strip()  # 「同意。[1]」 is as bare a yes as 「同意。」
    if GRANT.search(answer) or (AFFIRMATION.match(bare) and commitments_in(question)):
        return Verdict(False, "grant", found, found)
    if DISPARAGING.search(answer):
        return Verdict(False, "disparaging", found)
    unsupported = [c for c in found if not backed(c, evidence, answer)]
    if unsupported:
        return Verdict(False, "unsupported", found, unsupported)
    body = re.sub(r"\[\d+\]", "", answer)
    if len(body) >= OFFTOPIC_MIN_CHARS and overlap(body, evidence + question) < OFFTOPIC_MIN_OVERLAP:
        return Verdict(False, "offtopic", found)
    return Verdict(True, None, found)
