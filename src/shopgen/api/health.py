"""Liveness and readiness."""

from fastapi import APIRouter, Depends

import shopgen
from shopgen.http.auth import public
from shopgen.http.deps import DbDep, SettingsDep

router = APIRouter(tags=["health"])


@router.get("/healthz", dependencies=[Depends(public)])
def healthz(db: DbDep, settings: SettingsDep) -> dict:
    """200 when the service is up and its database answers."""
    db.ping()
    return {
        "status": "ok",
        "version": shopgen.__version__,
        "database": db.backend,
        "llm_backend": settings.llm_backend,
        "embed_backend": settings.embed_backend,
    }
