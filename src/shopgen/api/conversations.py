"""/api/conversations: reading a shopper conversation (role ``agent``).

Personal data is masked unless the agent asks for ``reveal=true``, which is audited. The queue,
replies and hand-off belong to the assistant's own router.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from shopgen.http.auth import Agent, client_address
from shopgen.http.deps import SessionDep, SettingsDep
from shopgen.security.reveal import read_conversation

router = APIRouter(prefix="/api/conversations", tags=["conversations"])


@router.get("/{conversation_id}")
def get_conversation(
    conversation_id: str, s: SessionDep, who: Agent, settings: SettingsDep, request: Request, reveal: bool = False
) -> dict:
    return read_conversation(
        s,
        conversation_id,
        who,
        reveal=reveal,
        order_pattern=settings.pii_order_pattern,
        address=client_address(request),
    )
