"""One shopper turn in, one grounded reply out.

Order of precedence: refuse injection → human on request → order lookup (only the asking
customer's orders, see ``assistant.orders``) → size advice from
the size chart → a confident FAQ match answered directly (no LLM) → the LLM answering from
retrieved passages with citations, checked so that every number it states is in the
passages → otherwise say so and offer a human.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from shopgen.assistant import commitments, consistency, followup, guard, intent, orders, productqa, tools
from shopgen.assistant.evidence import compact
from shopgen.assistant.index import KnowledgeIndex
from shopgen.store import catalog
from shopgen.text import goods
from shopgen.text.similarity import bigram_dice

ABSTAIN = "抱歉，这个问题我在店铺资料里没有找到确切答案，可以为您转接人工客服。"
REFUSE = "抱歉，我只能回答与本店商品、订单和售后相关的问题。"
NO_PROMISE = "抱歉，我无法做出店铺政策之外的承诺。如需处理，请描述订单情况，我可以为您转接人工客服核实。"
WITHHELD = "抱歉，这件事要以店铺政策为准，我不能直接答应您。已为您转接人工客服核实。"
PRIVATE = "抱歉，为保护顾客隐私，我不能查询或透露其他人的订单和个人信息。查询自己的订单请提供订单号，我会请您核实身份。"
HANDOFF = "好的，正在为您转接人工客服，请稍候。"
SYSTEM = (
    "你是网店客服。只能根据【资料】回答顾客，用中文，简洁（不超过三句）。"
    "回答中引用资料编号，如[1]。资料中没有的信息，必须回答“资料中没有提到”，"
    "不要猜测价格、库存、尺码或政策，不要做任何承诺。"
)
# Worked turns shown to the model after SYSTEM, from a made-up shop that sells nothing shopgen's demo
# does (glasses, bicycles): a "no" read from a passage, two facts from one passage, and a question
# the passages do not answer. Without them the 1.5B default said 「资料中没有提到」 to questions its
# first passage answered (「优惠券能换现金吗」 beside 「不能兑换现金」); see BENCHMARKS.md "worked
# turns". They sit in the fixed prefix, so llama.cpp reads them once and reuses that state.
EXAMPLES = (
    {
        "role": "user",
        "content": "【资料】\n[1] 眼镜可以试戴吗？ 框架眼镜签收后3天内可以免费试戴退回；已按处方定制的镜片不支持退换。\n"
        "[2] 《配送说明》 眼镜订单使用圆通快递，付款后3天内发出，不支持配送到海外。\n\n【顾客】镜片配好了还能退吗",
    },
    {"role": "assistant", "content": "已按处方定制的镜片不支持退换[1]。"},
    {
        "role": "user",
        "content": "【资料】\n[1] 《配送说明》 眼镜订单使用圆通快递，付款后3天内发出，不支持配送到海外。\n"
        "[2] 眼镜可以试戴吗？ 框架眼镜签收后3天内可以免费试戴退回；已按处方定制的镜片不支持退换。\n\n"
        "【顾客】能寄到日本吗？几天发货",
    },
    {"role": "assistant", "content": "不支持配送到海外；国内订单付款后3天内发出[1]。"},
    {
        "role": "user",
        "content": "【资料】\n[1] 自行车怎么安装？ 自行车出厂已装好九成，只需装上车把和脚踏，附赠安装工具。\n"
        "[2] 《配送说明》 自行车订单使用德邦物流，付款后3天内发出。\n\n【顾客】自行车能分期付款吗",
    },
    {"role": "assistant", "content": "资料中没有提到。"},
)


@dataclass
class Reply:
    text: str
    route: str  # refuse | handoff | order | size | faq | llm | abstain
    intent: str | None = None
    sources: list[dict] = field(default_factory=list)
    handoff: bool = False
    context_sku: str | None = None
    state: dict | None = None  # the session's new order-verification state, when this turn changed it
    # why a generated answer was not shown: commitments.review's reason, contradiction:KIND,
    # quoted (it said the passages lack what they state: their clauses instead), or why it
    # abstained (empty | not_in_passages | unsupported_number)
    withheld: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Draft:
    """A reply that still needs the model: the messages to send and the passages to check against."""

    messages: list[dict]
    hits: list[dict]
    evidence: str
    sources: list[dict] = field(default_factory=list)
    route: str = "llm"
    intent: str | None = None
    context_sku: str | None = None
    question: str = ""


FAQ_MIN_DICE = 0.3
# prompt budget for the LLM route (see assistant.evidence and BENCHMARKS.md "first token")
EVIDENCE_PASSAGES, EVIDENCE_CHARS = 3, 100
HISTORY_MESSAGES, HISTORY_CHARS = 4, 80


def faq_is_confident(index: KnowledgeIndex, query: str) -> dict | None:
    """The top FAQ entry when BM25 and dense retrieval agree on it as their first hit and its
    question shares enough wording with the turn (character-bigram Dice ≥ 0.3): agreement
    alone also happens on weak matches ("叫你们经理来" → a privacy FAQ). An entry about other goods
    than the turn names (tea asked, face cream answered) is no answer."""
    b = index.bm25.search(query, 1)
    d = index.dense().search(query, 1)
    if b and d and b[0].id == d[0].id and b[0].id.startswith("faq:"):
        doc = index.docs[b[0].id]
        asked, about = goods.classes(query), goods.classes(doc.title)
        if asked and about and not asked & about:
            return None  # 「龙井拆开喝了…能退吗」 is not the face-cream FAQ, however alike the wording
        if bigram_dice(query, doc.title) >= FAQ_MIN_DICE:
            return doc.__dict__
    return None


class Assistant:
    """``classify`` maps a turn to an intent (:func:`assistant_over` wires the intent model)."""

    def __init__(self, db, index: KnowledgeIndex, llm, classify: Callable[[str], str]) -> None:
        self.db, self.index, self.llm = db, index, llm
        self.classify = classify

    def reply(
        self,
        text: str,
        history: list[dict] | None = None,
        context_sku: str | None = None,
        identity: orders.Identity | None = None,
    ) -> Reply:
        r = self.prepare(text, history, context_sku, identity)
        if isinstance(r, Draft):
            return self.finish(r, self.llm.chat(r.messages, max_tokens=160, temperature=0.2).text)
        return r

    def prepare(
        self,
        text: str,
        history: list[dict] | None = None,
        context_sku: str | None = None,
        identity: orders.Identity | None = None,
    ) -> Reply | Draft:
        """Everything up to the model: a finished Reply, or a Draft whose messages a caller may
        stream through ``llm.stream`` and then hand to ``finish`` for the grounding check.
        ``identity`` is who the session is (no identity: an anonymous shopper)."""
        label = self.classify(text)
        r = self._route(text, label, history or [], context_sku, identity or orders.Identity())
        r.intent, r.context_sku = label, r.context_sku or context_sku
        return r

    def finish(self, draft: Draft, answer: str) -> Reply:
        """The model's answer checked against the passages it was given: rejected (abstain) when
        it is empty, says the passages lack it (unless they plainly state who pays the postage or
        that the excluded item the shopper names cannot be returned: then their clauses are the
        answer), or states a number they do not contain; withheld
        when it grants or promises what no passage backs (a person decides: hand-off), or is
        disparaging or off-topic (refused); replaced by the passage's own words when it
        contradicts them on who pays, which days or what is allowed, says yes where the rule's
        condition is one the shopper says is not met, or gives only other goods' rules (skin care
        answered with the food rule; no rule for the goods asked about: abstain). A bare 「可以。」
        ahead of a "no" is dropped, a repeated sentence said once, and a list item gets its heading
        (``consistency.tidy``). See ``assistant.commitments`` and ``assistant.consistency``."""
        passages = _passages(draft)
        answer = consistency.tidy(consistency.drop_bare_yes(answer.strip()), passages)
        sources = [_source(h) for h in draft.hits]
        verdict = commitments.review(answer, draft.evidence, draft.question) if answer else None
        why = _abstains(answer, draft.evidence)
        if why == "not_in_passages" and (quote := consistency.answer_from(passages, draft.question)):
            # the model missed what the passages do say (who pays, an excluded item): say that
            r = Reply(f"根据店铺规则：{quote}。", "policy", sources=sources, withheld="quoted")
        elif why:
            r = Reply(ABSTAIN, "abstain", handoff=True, sources=sources, withheld=why)
        elif not verdict.ok and verdict.reason in ("grant", "unsupported"):
            r = Reply(WITHHELD, "refuse", handoff=True, withheld=verdict.reason)
        elif not verdict.ok:
            r = Reply(REFUSE, "refuse", withheld=verdict.reason)
        elif (found := consistency.check(answer, passages, draft.question)).kind:
            # it contradicts its own sources (who pays, which days, allowed or not) or speaks of other
            # goods than asked: say what they say, or hand over when they say nothing on these goods
            contradiction = f"contradiction:{found.kind}"
            r = (
                Reply(f"根据店铺规则：{found.repair}。", "policy", sources=sources, withheld=contradiction)
                if found.repair
                else Reply(ABSTAIN, "abstain", handoff=True, sources=sources, withheld=contradiction)
            )
        else:
            r = Reply(answer, "llm", sources=sources)
        r.intent, r.context_sku = draft.intent, draft.context_sku
        return r

    def _route(self, text, intent, history, sku, who: orders.Identity) -> Reply | Draft:
        # explicit signals first; the classifier's guess only after the knowledge base had its
        # say, so "怎么查物流？" gets the FAQ answer instead of a request for an order number
        if guard.is_injection(text) or guard.is_offtopic_request(text):
            return Reply(REFUSE, "refuse")
        if guard.asks_for_human(text):
            return Reply(HANDOFF, "handoff", handoff=True)
        if guard.asks_for_promise(text):
            return Reply(NO_PROMISE, "refuse", handoff=True)
        if self._names_someone(text, who):
            return Reply(PRIVATE, "refuse")
        numbers = tools.find_order_numbers(text)
        if numbers:
            return self._order(lambda s: orders.ask(s, numbers[0], who))
        if who.pending and orders.is_digits_answer(text):
            return self._order(lambda s: orders.check_digits(s, text, who))
        named = tools.find_sku(text, self.index.docs)
        height, weight = tools.parse_body(text)
        if (height or weight) and (target := named or sku or self._product_in(text)):
            if (r := self._size(target, height, weight)) is not None:
                return r
        if (target := named or sku or self._product_named(text)) and (r := self._catalog(text, target, who)):
            return r
        hit = faq_is_confident(self.index, text)
        if hit is not None:
            return Reply(hit["body"], "faq", sources=[_source(hit)])
        if intent == "human":
            return Reply(HANDOFF, "handoff", handoff=True)
        if intent == "order_status":
            return self._order(lambda s: orders.mine(s, who))
        return self._generate(text, history, sku)

    def _order(self, desk) -> Reply:
        with self.db.session() as s:
            a = desk(s)
        sources = [{"id": f"order:{a.order_no}", "kind": "order", "title": f"订单 {a.order_no}"}] if a.order_no else []
        return Reply(a.text, a.route, sources=sources, handoff=a.handoff, state=a.identity.state())

    def _names_someone(self, text: str, who: orders.Identity) -> bool:
        """Does the turn name a customer (by name or phone number) who is not the one asking?"""
        with self.db.session() as s:
            return orders.names_a_customer(s, text, who)

    def _catalog(self, text: str, sku: str, who: orders.Identity) -> Reply | None:
        """Stock, colour, size, material, price or an attribute of the product in view, looked up."""
        with self.db.session() as s:
            p = catalog.get_by_sku(s, sku)
            data = catalog.to_dict(p) if p else None
        if data is None:
            return None
        last = who.last_ask if who.last_ask and who.last_ask.get("sku") == sku else None
        ask = productqa.ask(text, data, productqa.Ask(**last) if last else None)
        words = productqa.answer(ask, data) if ask else None
        if not words:
            return None
        who.last_ask = ask.to_dict()
        return Reply(
            words,
            "product",
            context_sku=sku,
            sources=[{"id": f"product:{sku}", "kind": "product", "title": data["title"]}],
            state=who.state(),
        )

    def _product_named(self, text: str) -> str | None:
        """The product whose title the shopper typed (most of it), when no product is in view."""
        from shopgen.text.similarity import bigrams

        got = bigrams(text)
        for h in self.index.bm25.search(text, 3):
            if h.id.startswith("product:"):
                title = bigrams(self.index.docs[h.id].title)
                if title and len(title & got) >= max(4, 0.6 * len(title)):
                    return h.id.split(":", 1)[1]
        return None

    def _product_in(self, text: str) -> str | None:
        hits = self.index.bm25.search(text, 3)
        return next((h.id.split(":", 1)[1] for h in hits if h.id.startswith("product:")), None)

    def _size(self, sku: str, height, weight) -> Reply | None:
        with self.db.session() as s:
            p = catalog.get_by_sku(s, sku)
            data = catalog.to_dict(p) if p else None
        advice = tools.size_advice(data and data["size_chart"], height, weight)
        if advice is None:
            return None
        stock = sum(v["stock"] for v in data["variants"] if v["size"] == advice["size"])
        tail = "目前有货。" if stock else "该尺码目前缺货。"
        return Reply(
            f"建议选 {advice['size']} 码：{advice['reason']}。{tail}",
            "size",
            context_sku=sku,
            sources=[{"id": f"product:{sku}", "kind": "product", "title": data["title"]}],
        )

    def _generate(self, text, history, sku) -> Reply | Draft:
        hits = self.index.search(followup.retrieval_query(text, history), "hybrid", 4)
        if sku and all(h["id"] != f"product:{sku}" for h in hits) and f"product:{sku}" in self.index.docs:
            hits.insert(0, self.index.docs[f"product:{sku}"].__dict__)
        if not hits:
            return Reply(ABSTAIN, "abstain", handoff=True)
        hits = hits[:EVIDENCE_PASSAGES]
        evidence = "\n".join(f"[{i}] {compact(h['text'], text, EVIDENCE_CHARS)}" for i, h in enumerate(hits, start=1))
        # the system prompt and the worked turns come first and never change, so llama.cpp reuses
        # its cached state; a short history and short passages keep the rest of the prompt quick to read
        recent = [{"role": m["role"], "content": m["content"][:HISTORY_CHARS]} for m in history[-HISTORY_MESSAGES:]]
        messages = [
            {"role": "system", "content": SYSTEM},
            *EXAMPLES,
            *recent,
            {"role": "user", "content": f"【资料】\n{evidence}\n\n【顾客】{text}"},
        ]
        return Draft(messages, hits, evidence, sources=[_source(h) for h in hits], question=text)


def _abstains(answer: str, evidence: str) -> str | None:
    """Why the model's answer is not an answer (None: it is one)."""
    if not answer:
        return "empty"
    if "没有提到" in answer:
        return "not_in_passages"
    if guard.unsupported_numbers(answer, evidence):
        return "unsupported_number"
    return None


def _passages(draft: Draft) -> str:
    """The whole passages the answer cites (the prompt saw them cut short)."""
    return "\n".join(h.get("text", "") for h in draft.hits) or draft.evidence


def _source(hit: dict) -> dict:
    return {"id": hit["id"], "kind": hit["kind"], "title": hit["title"]}


def assistant_over(db, index: KnowledgeIndex, llm, intent_model) -> Assistant:
    """An Assistant over ``index`` with ``intent_model`` (``runtime.intent()``) classifying turns,
    given the index's embedder: the model uses its dense half only when that embedder is the one it
    was trained on. ``llm`` may be None where only :meth:`Assistant.prepare` is used (the live
    copilot's model-free replies).
    """
    return Assistant(db, index, llm, lambda text: intent.classify(text, intent_model, index.embedder))
