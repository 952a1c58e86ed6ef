"""/api/events: shopper behaviour in (role ``ingest``, rate-limited per key and address).

``POST /api/events`` takes ``{"events": [...]}`` (1–1000 events). A batch is all or nothing: one
malformed event fails the request with 422 naming its index, and none is stored. Events already
stored (same id) are skipped and counted as ``duplicates``, so a sender may retry freely.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shopgen.core.errors import InvalidInput
from shopgen.events import store
from shopgen.events.schema import EventIn
from shopgen.http.auth import limited, require
from shopgen.http.deps import SessionDep
from shopgen.store.catalog import validation_message

router = APIRouter(prefix="/api/events", tags=["events"])
MAX_BATCH = 1000


class EventsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    events: list[dict] = Field(min_length=1, max_length=MAX_BATCH)


def _validated(raw: list[dict]) -> list[EventIn]:
    out = []
    for i, obj in enumerate(raw):
        try:
            out.append(EventIn.model_validate(obj))
        except ValidationError as exc:
            raise InvalidInput(f"events[{i}]: {validation_message(exc)}; nothing was stored", {"index": i}) from exc
    return out


@router.post("", dependencies=[Depends(require("ingest")), Depends(limited("ingest"))])
def ingest(body: EventsIn, request: Request, s: SessionDep) -> dict:
    """``{"received", "inserted", "duplicates"}``."""
    result = store.ingest(s, _validated(body.events), source="api")
    s.commit()  # subscribers must see a stored batch
    request.app.state.event_hub.publish(result)
    return result.summary()
