"""Request dependencies as ``Annotated`` aliases, read from ``app.state`` (set by create_app)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from shopgen.core.settings import Settings
from shopgen.models.runtime import Runtime
from shopgen.store.db import Database


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def get_session(db: Annotated[Database, Depends(get_db)]) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error.

    Used with ``scope="function"`` below, so the commit happens *before* the response is sent:
    a client that reads right after a write sees it, and a commit that fails (a unique key
    taken meanwhile) becomes an error response instead of a lost write after a 2xx."""
    with db.session() as s:
        yield s


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[Database, Depends(get_db)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
