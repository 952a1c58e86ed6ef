"""Learning from logs: FAQ candidates from conversations that human agents resolved.

``mine`` walks conversations that an agent answered and that are finished (closed, or handed
back to the bot). Each agent reply that answers a shopper question becomes a candidate: the
question is the shopper's last message before the reply (skipping bare hand-off requests such as
「转人工」), the answer is the agent's text without greetings, self-introductions, sign-offs or the
agent's name (「您好，我是客服小美」 is not part of any answer). A question that only makes sense after
the one before it (「好的谢谢，那L码呢？」) is not proposed; a leading 「好的谢谢」 is dropped. Personal
data (phones, order numbers, addresses) is masked in both, greetings and one-word replies are
skipped, and a question the knowledge base
already answers (character-bigram Dice ≥ ``duplicate_dice`` with an FAQ question) or that is
already a candidate is not proposed again. ``source_message_id`` is unique, so mining twice adds
nothing.

An operator then approves (optionally editing) or rejects each candidate; approval writes a
:class:`KBEntry` (kind ``faq``, source ``mined:<conversation>``) in the same transaction, and the
assistant's shared index picks it up on the next turn (its fingerprint changes).
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopgen.assistant import guard, sessions
from shopgen.core.errors import Conflict, InvalidInput, NotFound
from shopgen.security import audit, pii
from shopgen.security.principal import Principal
from shopgen.store import catalog
from shopgen.store.models import Conversation, FaqCandidate, KBEntry, Message
from shopgen.text.similarity import bigram_dice

FINISHED = ("closed", "bot")
MIN_QUESTION, MIN_ANSWER = 4, 8
MAX_QUESTION = 500
GREETING = re.compile(
    r"^(您好|你好|亲|在的|在呢|稍等|请稍等|好的|嗯|收到|不客气|谢谢|感谢)[，,。！!～~\s]*"
    r"(我是[^，,。！!]{0,12}(客服)?[^，,。！!]{0,6})?[，,。！!～~\s]*(有什么可以帮您的?|请问有什么可以帮您)?[？?。！!～~\s]*$"
)
# a reply's opening and closing pleasantries and the agent introducing themself: not part of an answer
_OPENING = re.compile(
    r"^(您好|你好|亲爱的|亲|哈喽|在的|在呢|收到|好的|嗯嗯|嗯|稍等|请稍等|久等了|让您久等了|感谢您的耐心等待)$"
    r"|^(我是|这里是|这边是)?.{0,8}客服.{0,8}(很高兴|为您服务)?$|^很高兴为您服务$|^我是.{1,8}$"
)
_CLOSING = re.compile(r"^(祝您|还有什么|还有其他|有问题|如有问题|感谢您|谢谢您|欢迎再次|期待您).*")
_CLAUSES = re.compile(r"[^，,。！!？?～~\s]+[，,。！!？?～~\s]*")
_NAMED_AGENT = re.compile(r"(客服|专员|小二)[\u4e00-\u9fff]{1,3}(?=[，,。！!\s]|$)")
# a question that only makes sense after the one before it: 「好的谢谢，那L码呢？」「这个呢」「还有吗」
_ACK = re.compile(r"^(好的|好|嗯|哦|噢|行|ok|OK|谢谢|多谢|感谢)[的啦了呀哈，,。！!~～\s]*")
_CONTEXTUAL = re.compile(r"^(那|那么|那个|这个|这件|这款|这双|它|还有|另外那)")


def clean_answer(text: str) -> str:
    """The agent's answer without greetings, self-introductions, sign-offs or their name."""
    parts = [c for c in _CLAUSES.findall(text.strip())]
    core = lambda c: c.strip(" ，,。！!？?～~")  # noqa: E731
    while parts and _OPENING.match(core(parts[0])):
        parts.pop(0)
    while parts and _CLOSING.match(core(parts[-1])):
        parts.pop()
    out = "".join(parts).strip(" ，,")
    return _NAMED_AGENT.sub(r"\1", out)


_THIS = re.compile(r"^(这件衣服|这件|这个|这款|这双|它)")


def standalone_question(text: str, product: str | None = None) -> str | None:
    """The question without a leading 「好的谢谢」, with 「这件」 replaced by the product the
    conversation was about (``product``); None when it depends on what came before."""
    q = _ACK.sub("", text.strip())
    if product and _THIS.match(q):
        q = _THIS.sub(product, q, count=1)
    if not q or (_CONTEXTUAL.match(q) and len(q) <= 16) or (q.rstrip("？?").endswith("呢") and len(q) <= 12):
        return None
    return q


# the assistant's own topics for candidates, from the turn's intent label
TOPICS = {
    "return": "退换货",
    "shipping": "物流",
    "payment": "支付",
    "invoice": "发票",
    "order_status": "订单",
    "product": "商品",
    "complaint": "售后",
    "size": "尺码",
}


def _is_greeting(text: str) -> bool:
    return bool(GREETING.match(text.strip()))


def _question_before(msgs: list[Message], i: int) -> Message | None:
    """The shopper's last real question before message ``i`` (hand-off requests skipped)."""
    for m in reversed(msgs[:i]):
        if m.role == "agent":
            if _is_greeting(m.content) or len(m.content.strip()) < MIN_ANSWER:
                continue  # 「您好，我是客服小美」 answers nothing
            return None  # the previous agent reply already answered what came before it
        if m.role == "user":
            text = m.content.strip()
            if guard.asks_for_human(text) and len(guard.HUMAN.sub("", text).strip(" ，,。！!？?")) < MIN_QUESTION:
                continue
            return m
    return None


def _product_title(s: Session, conv: Conversation, question: Message) -> str | None:
    """The product the question was asked about (the page's product, or the one the chat was on)."""
    sku = (question.meta or {}).get("context_sku") or sessions.context_sku(s, conv)
    p = catalog.get_by_sku(s, sku) if sku else None
    return p.title.split()[0] if p else None


def _topic_of(msgs: list[Message], question: Message) -> str:
    for m in msgs:
        if m.id > question.id and m.role == "assistant":
            return TOPICS.get((m.meta or {}).get("intent") or "", "客服沉淀")
    return "客服沉淀"


def mine(
    s: Session,
    *,
    since: datetime | None = None,
    duplicate_dice: float = 0.8,
    order_pattern: str = pii.DEFAULT_ORDER_PATTERN,
) -> dict:
    """Create pending candidates; returns ``{"conversations", "created", "skipped": {reason: n}, "candidates": [...]}``."""
    q = select(Conversation).where(
        Conversation.status.in_(FINISHED),
        Conversation.id.in_(select(Message.conversation_id).where(Message.role == "agent")),
    )
    if since is not None:
        q = q.where(Conversation.updated_at >= since)
    known = [e.question for e in s.scalars(select(KBEntry).where(KBEntry.kind == "faq"))]
    known += [c.question for c in s.scalars(select(FaqCandidate))]
    mined = set(s.scalars(select(FaqCandidate.source_message_id)))
    skipped: dict[str, int] = {}
    created: list[FaqCandidate] = []
    n_conv = 0

    def skip(reason: str) -> None:
        skipped[reason] = skipped.get(reason, 0) + 1

    for conv in s.scalars(q.order_by(Conversation.updated_at, Conversation.id)):
        n_conv += 1
        msgs = list(conv.messages)
        for i, m in enumerate(msgs):
            if m.role != "agent" or m.id in mined:
                continue
            answer = pii.mask(clean_answer(m.content), order_pattern=order_pattern)
            if len(answer) < MIN_ANSWER or _is_greeting(answer):
                skip("greeting or too short")
                continue
            qmsg = _question_before(msgs, i)
            if qmsg is None:
                skip("no question before the reply")
                continue
            standalone = standalone_question(qmsg.content, _product_title(s, conv, qmsg))
            if standalone is None:
                skip("depends on the conversation before it")
                continue
            question = pii.mask(standalone, order_pattern=order_pattern)[:MAX_QUESTION]
            if len(question) < MIN_QUESTION:
                skip("question too short")
                continue
            if any(bigram_dice(question, k) >= duplicate_dice for k in known):
                skip("already known")
                continue
            cand = FaqCandidate(
                conversation_id=conv.id,
                source_message_id=m.id,
                question=question,
                answer=answer,
                topic=_topic_of(msgs, qmsg),
                status="pending",
            )
            s.add(cand)
            created.append(cand)
            known.append(question)
    s.flush()
    return {
        "conversations": n_conv,
        "created": len(created),
        "skipped": skipped,
        "candidates": [to_dict(c) for c in created],
    }


def to_dict(c: FaqCandidate) -> dict:
    return {
        "id": c.id,
        "conversation_id": c.conversation_id,
        "question": c.question,
        "answer": c.answer,
        "topic": c.topic,
        "status": c.status,
        "decided_by": c.decided_by,
        "kb_entry_id": c.kb_entry_id,
        "created_at": c.created_at.isoformat() if c.created_at else None,
    }


def listing(s: Session, status: str | None = "pending", limit: int = 200) -> list[dict]:
    q = select(FaqCandidate).order_by(FaqCandidate.id.desc()).limit(limit)
    if status:
        if status not in ("pending", "approved", "rejected"):
            raise InvalidInput(f"status must be pending, approved or rejected, got {status!r}")
        q = q.where(FaqCandidate.status == status)
    return [to_dict(c) for c in s.scalars(q)]


def _pending(s: Session, candidate_id: int) -> FaqCandidate:
    c = s.get(FaqCandidate, candidate_id)
    if c is None:
        raise NotFound(f"no FAQ candidate {candidate_id}")
    if c.status != "pending":
        raise Conflict(f"FAQ candidate {candidate_id} is already {c.status}", {"status": c.status})
    return c


def approve(
    s: Session,
    who: Principal,
    candidate_id: int,
    *,
    question: str | None = None,
    answer: str | None = None,
    topic: str | None = None,
    address: str = "",
) -> dict:
    """Turn a pending candidate into a knowledge-base FAQ entry (optionally edited first)."""
    c = _pending(s, candidate_id)
    q = (question if question is not None else c.question).strip()
    a = (answer if answer is not None else c.answer).strip()
    t = (topic if topic is not None else c.topic).strip() or c.topic
    if not q or not a:
        raise InvalidInput("question and answer must not be empty")
    if len(q) > MAX_QUESTION:
        raise InvalidInput(f"question is longer than {MAX_QUESTION} characters")
    entry = KBEntry(kind="faq", topic=t[:32], question=q, answer=a, source=f"mined:{c.conversation_id}")
    s.add(entry)
    s.flush()
    c.question, c.answer, c.topic = q, a, t[:32]
    c.status, c.decided_by, c.kb_entry_id = "approved", who.actor, entry.id
    audit.record(s, who, "kb.candidate.approve", f"faq_candidate:{c.id}", {"kb_entry": entry.id}, address=address)
    return to_dict(c)


def reject(s: Session, who: Principal, candidate_id: int, *, address: str = "") -> dict:
    c = _pending(s, candidate_id)
    c.status, c.decided_by = "rejected", who.actor
    audit.record(s, who, "kb.candidate.reject", f"faq_candidate:{c.id}", {}, address=address)
    return to_dict(c)
