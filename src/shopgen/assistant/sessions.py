"""Assistant sessions: a conversation, its messages, the product in context and who answers.

Status moves between::

    bot ──(hand-off)──> queued ──(agent takes)──> human ──(agent releases)──> bot
     └──────────────(agent takes)──────────────────┘        └──(agent closes)──> closed

A hand-off happens when the shopper asks for a human, when the pipeline says so (a promise it
must not make), on a complaint with strongly negative sentiment (score < 0.2), or after two
abstain replies in a row; a single abstain only offers a human. While queued or human the
shopper's messages are stored and the bot stays silent. Every move an agent makes is audited.
Only the agent holding a conversation (or an admin) may hand it back or close it.

Shoppers never learn who the staff are: notes and messages they read name a role (「人工客服」),
never an agent's user name or key. Agents see the queue with personal data masked; reading it
in full is the conversation view's audited reveal (``security.reveal``).

Functions take the caller's SQLAlchemy session, so a turn is one transaction; an unknown id
raises NotFound, a move the status does not allow raises Conflict.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopgen.core.errors import Conflict, Forbidden, NotFound
from shopgen.security import audit, pii
from shopgen.security.principal import Principal
from shopgen.store.models import Conversation, Message

STATUSES = ("bot", "queued", "human", "closed")
WAITING = ("queued", "human")  # the bot does not answer
NEGATIVE = 0.2  # sentiment score (P(positive)) below which a complaint goes to a human
HISTORY_TURNS = 3  # user + reply pairs given to the model
QUEUED_NOTE = "已为您转接人工客服，请稍候，客服接入后会在这里回复您。"
NOTES = {
    "queued": "会话已进入人工队列",
    "take": "人工客服已接入",
    "release": "客服已结束接待，智能助手继续为您服务",
    "close": "会话已结束",
}


def create(
    s: Session,
    channel: str = "web",
    customer: str | None = None,
    owner: str | None = None,
    customer_id: str | None = None,
) -> Conversation:
    """A new session. ``customer_id`` is the customer a storefront vouched for (a verified token:
    its orders are answered); ``customer`` is free text the client sent, never trusted."""
    conv = Conversation(
        channel=channel[:32], customer=customer and customer[:64], owner=owner, status="bot", customer_id=customer_id
    )
    s.add(conv)
    s.flush()
    return conv


def get(s: Session, conversation_id: str, *, owner: str | None = None) -> Conversation:
    """The conversation; NotFound when it does not exist or (with ``owner``) is someone else's,
    so a shopper key cannot learn that another key's session exists."""
    conv = s.get(Conversation, conversation_id)
    if conv is None or (owner is not None and conv.owner != owner):
        raise NotFound(f"会话 {conversation_id} 不存在", {"id": conversation_id})
    return conv


def append(s: Session, conv: Conversation, role: str, content: str, meta: dict | None = None) -> Message:
    if role not in ("user", "assistant", "agent", "system"):
        raise ValueError(f"unknown message role {role!r}")
    msg = Message(conversation_id=conv.id, role=role, content=content, meta=meta or {})
    s.add(msg)
    s.flush()
    return msg


def _recent(s: Session, conv: Conversation, limit: int) -> list[Message]:
    q = select(Message).where(Message.conversation_id == conv.id).order_by(Message.id.desc()).limit(limit)
    return list(s.scalars(q))[::-1]


def history(s: Session, conv: Conversation, turns: int = HISTORY_TURNS) -> list[dict]:
    """The last ``turns`` exchanges as chat messages for the model; an agent's words count as
    the shop's side, system notes are left out."""
    msgs = [m for m in _recent(s, conv, turns * 4) if m.role != "system"]
    out = [{"role": "user" if m.role == "user" else "assistant", "content": m.content} for m in msgs]
    return out[-turns * 2 :]


def context_sku(s: Session, conv: Conversation) -> str | None:
    """The product the conversation is about: the newest ``context_sku`` a reply remembered."""
    q = (
        select(Message.meta)
        .where(Message.conversation_id == conv.id, Message.role == "assistant")
        .order_by(Message.id.desc())
        .limit(20)
    )
    return next((m.get("context_sku") for m in s.scalars(q) if m and m.get("context_sku")), None)


def messages_after(s: Session, conv: Conversation, after: int = 0) -> list[dict]:
    """The shopper's view of the conversation after message ``after``: staff are a role, not a name."""
    q = select(Message).where(Message.conversation_id == conv.id, Message.id > after).order_by(Message.id)
    return [shopper_view(to_dict(m)) for m in s.scalars(q)]


STAFF_LABEL = "人工客服"


def shopper_view(message: dict) -> dict:
    """A message as a shopper may see it: which agent wrote or moved it is left out."""
    meta = message["meta"]
    if "agent" in meta:
        meta = {k: v for k, v in meta.items() if k != "agent"}
        if message["role"] == "agent":
            meta["by"] = STAFF_LABEL
    return {**message, "meta": meta}


def to_dict(m: Message) -> dict:
    return {
        "id": m.id,
        "role": m.role,
        "content": m.content,
        "meta": m.meta or {},
        "created_at": m.created_at.isoformat(),
    }


def last_abstained(s: Session, conv: Conversation) -> bool:
    q = (
        select(Message.meta)
        .where(Message.conversation_id == conv.id, Message.role == "assistant")
        .order_by(Message.id.desc())
        .limit(1)
    )
    meta = s.scalar(q)
    return bool(meta) and meta.get("route") == "abstain"


def handoff_reason(
    reply, text: str, previous_abstained: bool, sentiment: Callable[[str], float] | None = None
) -> str | None:
    """Why this reply should put the shopper in the human queue, or None."""
    if reply.route == "handoff":
        return "requested"
    if reply.route == "abstain":
        return "abstained twice" if previous_abstained else None
    if reply.handoff:
        return "pipeline"
    if reply.intent == "complaint" and sentiment is not None and sentiment(text) < NEGATIVE:
        return "negative complaint"
    return None


def remembered_sku(reply) -> str | None:
    """The product a follow-up (「这个有XL吗」) refers to: the one the reply was about, else the
    product its best source is."""
    if reply.context_sku:
        return reply.context_sku
    top = reply.sources[0] if reply.sources else None
    return top["id"].split(":", 1)[1] if top and top["id"].startswith("product:") else None


def record_reply(s: Session, conv: Conversation, reply, reason: str | None) -> Message:
    """Store the bot's reply (route, intent, sources, context_sku in meta) and queue on ``reason``."""
    meta = {
        "route": reply.route,
        "intent": reply.intent,
        "sources": reply.sources,
        "context_sku": remembered_sku(reply),
    }
    msg = append(s, conv, "assistant", reply.text, meta)
    if reason:
        queue(s, conv, reason)
    return msg


def queue(s: Session, conv: Conversation, reason: str) -> None:
    _require(conv, ("bot",), "hand over")
    conv.status = "queued"
    append(s, conv, "system", NOTES["queued"], {"event": "queued", "reason": reason})


def take(s: Session, conv: Conversation, agent: Principal, address: str = "") -> None:
    """An agent takes the conversation over (from the queue, or straight from the bot)."""
    if conv.status == "human" and conv.agent == agent.actor:
        return
    _require(conv, ("bot", "queued"), "take over")
    _move(s, conv, agent, "human", "take", address)
    conv.agent = agent.actor
    append(s, conv, "system", NOTES["take"], {"event": "take", "agent": agent.actor})


def agent_reply(s: Session, conv: Conversation, agent: Principal, text: str) -> Message:
    _require(conv, ("human",), "reply as an agent")
    if conv.agent != agent.actor:
        raise Conflict(f"会话 {conv.id} 正由 {conv.agent} 接待", {"agent": conv.agent})
    return append(s, conv, "agent", text, {"agent": agent.actor})


def release(s: Session, conv: Conversation, agent: Principal, address: str = "") -> None:
    """Hand the conversation back to the bot (a held one: only its holder or an admin)."""
    _require(conv, WAITING, "hand back")
    _require_holder(conv, agent, "hand back")
    _move(s, conv, agent, "bot", "release", address)
    conv.agent = None
    append(s, conv, "system", NOTES["release"], {"event": "release", "agent": agent.actor})


def close(s: Session, conv: Conversation, agent: Principal, address: str = "") -> None:
    _require(conv, ("bot", *WAITING), "close")
    _require_holder(conv, agent, "close")
    _move(s, conv, agent, "closed", "close", address)
    conv.agent = None
    append(s, conv, "system", NOTES["close"], {"event": "close", "agent": agent.actor})


def waiting(s: Session, limit: int = 100, *, order_pattern: str = pii.DEFAULT_ORDER_PATTERN) -> list[dict]:
    """Queued and human conversations, newest activity first, with their last message masked
    (phone numbers, addresses, order numbers …): the full text is an audited reveal."""
    q = (
        select(Conversation)
        .where(Conversation.status.in_(WAITING))
        .order_by(Conversation.updated_at.desc(), Conversation.id)
        .limit(limit)
    )
    out = []
    for conv in s.scalars(q):
        last = s.scalar(
            select(Message)
            .where(Message.conversation_id == conv.id, Message.role != "system")
            .order_by(Message.id.desc())
            .limit(1)
        )
        out.append(
            {
                "id": conv.id,
                "channel": conv.channel,
                "status": conv.status,
                "agent": conv.agent,
                "updated_at": conv.updated_at.isoformat(),
                "last": pii.mask(last.content, order_pattern=order_pattern) if last else "",
            }
        )
    return out


# the agents' console shows these messages as they are: Chinese, naming the move and the state
_MOVES = {
    "hand over": "转人工",
    "take over": "接管",
    "reply as an agent": "以人工客服身份回复",
    "hand back": "交还智能客服",
    "close": "关闭",
}
_STATES = {"bot": "智能客服接待中", "queued": "排队等待人工", "human": "人工客服接待中", "closed": "已结束"}


def _require(conv: Conversation, allowed: tuple[str, ...], what: str) -> None:
    if conv.status not in allowed:
        state = _STATES.get(conv.status, conv.status)
        raise Conflict(f"无法{_MOVES.get(what, what)}：会话 {conv.id} 当前为“{state}”", {"status": conv.status})


def _require_holder(conv: Conversation, agent: Principal, what: str) -> None:
    if conv.status == "human" and conv.agent not in (None, agent.actor) and agent.role != "admin":
        raise Forbidden(
            f"无法{_MOVES.get(what, what)}：会话 {conv.id} 正由其他客服接待",
            {"status": conv.status, "agent": conv.agent},
        )


def _move(s: Session, conv: Conversation, agent: Principal, to: str, action: str, address: str) -> None:
    audit.record(
        s, agent, f"assist.{action}", f"conversation:{conv.id}", {"from": conv.status, "to": to}, address=address
    )
    conv.status = to
