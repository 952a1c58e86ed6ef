"""Order questions, answered only to the customer whose order it is.

A session may see an order when the storefront vouched for its customer (a verified customer
token, ``security.customers``) and the order is theirs, or when the shopper proved it in this
session by giving the last four digits of the order's phone number. Anything else gets the
same request for verification, whether or not the order exists, so order numbers cannot be
enumerated: a wrong order number and wrong digits read alike.

Guessing is bounded twice: a session stops after :data:`SESSION_TRIES` wrong answers (the
shopper is handed to a human), and an order locks self-service verification for
:data:`LOCK_MINUTES` after :data:`ORDER_TRIES` wrong answers from any session.

The session's state (``Conversation.state``) is ``{"verified": [...], "pending": str | None,
"failures": int}``; the pipeline returns the new state with its reply and the turn stores it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from shopgen.assistant import tools
from shopgen.store.models import Order, utcnow

SESSION_TRIES = 3
ORDER_TRIES = 5
LOCK_MINUTES = 60
ASK_VERIFY = "为保护您的隐私，请提供订单 {no} 收货手机号的后四位，核实后为您查询。"
WRONG = "手机号后四位与订单 {no} 不一致，请核对后再试（还可尝试 {left} 次）。"
TOO_MANY = "核实未通过的次数过多，已为您转接人工客服核实身份。"
LOCKED = "订单 {no} 暂时无法自助核实，已为您转接人工客服。"
ASK_ORDER = "请提供订单号（以 SG 开头的 14 位编号），我来帮您查询。"
NONE_YET = "您的账号下暂时没有查到订单。如有订单号，请发给我。"
DIGITS = re.compile(r"^\D{0,12}(\d{4})\D{0,6}$")


@dataclass
class Identity:
    """Who is asking, as far as this session knows (and the catalog question it asked last, so
    a follow-up such as 「那黑色呢」 can be read against it)."""

    customer_id: str | None = None
    verified: list[str] = field(default_factory=list)
    pending: str | None = None
    failures: int = 0
    last_ask: dict | None = None

    @classmethod
    def load(cls, customer_id: str | None, state: dict | None) -> Identity:
        state = state or {}
        return cls(
            customer_id,
            list(state.get("verified", [])),
            state.get("pending"),
            int(state.get("failures", 0)),
            state.get("last_ask"),
        )

    def state(self) -> dict:
        return {
            "verified": self.verified[-20:],
            "pending": self.pending,
            "failures": self.failures,
            "last_ask": self.last_ask,
        }


@dataclass
class Answer:
    text: str
    route: str  # order | verify
    identity: Identity
    handoff: bool = False
    order_no: str | None = None


def may_see(order: Order | None, who: Identity) -> bool:
    if order is None:
        return False
    return bool(who.customer_id and order.customer_id == who.customer_id) or order.order_no in who.verified


def _get(s: Session, order_no: str) -> Order | None:
    return s.scalars(select(Order).where(Order.order_no == order_no.upper())).first()


def _details(order: Order, who: Identity) -> Answer:
    info = tools.order_info(order)
    return Answer(tools.order_reply(info), "order", who, order_no=order.order_no)


PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def names_a_customer(s: Session, text: str, who: Identity) -> bool:
    """The text names a stored customer (their name, or any mobile number) who is not the asker:
    such questions are refused whatever they ask (「刘浩然买了什么」「13800138001下了哪些单」)."""
    if PHONE.search(text.replace(" ", "").replace("-", "")):
        return True
    q = select(Order.customer_id).where(
        func.length(Order.customer_name) >= 2, literal(text).contains(Order.customer_name)
    )
    hit = s.execute(q.limit(1)).first()
    return hit is not None and not (who.customer_id and hit[0] == who.customer_id)


def is_digits_answer(text: str) -> bool:
    return DIGITS.match(text.strip()) is not None


def ask(s: Session, order_no: str, who: Identity) -> Answer:
    """The shopper named an order: its details when this session may see it, else a request for
    the phone's last four digits (the same words whether or not the order exists)."""
    order_no = order_no.upper()
    order = _get(s, order_no)
    if may_see(order, who):
        who.pending = None
        return _details(order, who)
    who.pending = order_no
    return Answer(ASK_VERIFY.format(no=order_no), "verify", who)


def check_digits(s: Session, text: str, who: Identity) -> Answer:
    """The shopper answered a verification request with four digits."""
    order_no, digits = who.pending, DIGITS.match(text.strip()).group(1)
    order = _get(s, order_no)
    now = utcnow()
    if order is not None and order.verify_locked_until and _aware(order.verify_locked_until) > now:
        who.pending = None
        return Answer(LOCKED.format(no=order_no), "verify", who, handoff=True)
    phone = "".join(ch for ch in (order.phone if order else "") if ch.isdigit())
    if order is not None and len(phone) >= 4 and phone[-4:] == digits:
        who.verified.append(order.order_no)
        who.pending, order.verify_failures = None, 0
        return _details(order, who)
    who.failures += 1
    if order is not None:
        order.verify_failures = (order.verify_failures or 0) + 1
        if order.verify_failures >= ORDER_TRIES:
            order.verify_locked_until, order.verify_failures = now + timedelta(minutes=LOCK_MINUTES), 0
    if who.failures >= SESSION_TRIES:
        who.pending = None
        return Answer(TOO_MANY, "verify", who, handoff=True)
    return Answer(WRONG.format(no=order_no, left=SESSION_TRIES - who.failures), "verify", who)


def mine(s: Session, who: Identity, limit: int = 3) -> Answer:
    """「我的订单到哪了」 with no number: the vouched-for customer's latest orders, else ask for one."""
    if not who.customer_id:
        return Answer(ASK_ORDER, "order", who)
    orders = list(
        s.scalars(
            select(Order).where(Order.customer_id == who.customer_id).order_by(Order.created_at.desc()).limit(limit)
        )
    )
    if not orders:
        return Answer(NONE_YET, "order", who)
    if len(orders) == 1:
        return _details(orders[0], who)
    lines = [tools.order_line(tools.order_info(o)) for o in orders]
    return Answer("您最近的订单：\n" + "\n".join(lines) + "\n想了解哪一单的详情，请发订单号。", "order", who)


def _aware(dt):
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)  # SQLite hands datetimes back naive
