"""Reading a conversation with personal data masked, or revealed to someone who needs it.

Conversations are stored as the shopper wrote them. Whoever reads one through shopgen gets
phone numbers, addresses, order numbers … masked, unless they are an ``agent`` (or ``admin``)
and ask to reveal; each reveal is written to the audit log.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from shopgen.core.errors import Forbidden, NotFound
from shopgen.security import audit, pii
from shopgen.security.principal import Principal
from shopgen.store.models import Conversation

REVEAL_ROLES = ("agent", "admin")


def read_conversation(
    s: Session,
    conversation_id: str,
    principal: Principal,
    *,
    reveal: bool = False,
    order_pattern: str = pii.DEFAULT_ORDER_PATTERN,
    address: str = "",
) -> dict:
    conv = s.get(Conversation, conversation_id)
    if conv is None:
        raise NotFound(f"conversation {conversation_id} does not exist", {"id": conversation_id})
    if reveal:
        if principal.role not in REVEAL_ROLES:
            raise Forbidden("只有客服可以查看买家的完整个人信息")
        audit.record(s, principal, "conversation.reveal", f"conversation:{conv.id}", address=address)

    def show(text: str | None) -> str | None:
        return text if reveal or text is None else pii.mask(text, order_pattern=order_pattern)

    return {
        "id": conv.id,
        "channel": conv.channel,
        "customer": show(conv.customer),
        "status": conv.status,
        "agent": conv.agent,
        "updated_at": conv.updated_at.isoformat(),
        "revealed": reveal,
        "messages": [
            {"id": m.id, "role": m.role, "content": show(m.content), "created_at": m.created_at.isoformat()}
            for m in conv.messages
        ],
    }
