"""Liveness and readiness.

``/healthz`` is public but says only ``{"status": "ok"}`` to anyone: the version and the backends
tell an attacker which weaknesses to try. A logged-in user or an API key of a human role also
gets the version, the database and the model backends.
"""

from fastapi import APIRouter, Depends, Request

import shopgen
from shopgen.core.errors import ShopgenError
from shopgen.http.auth import key_principal, public
from shopgen.http.deps import DbDep, SettingsDep
from shopgen.security import roles

router = APIRouter(tags=["health"])


def _may_see_details(request: Request) -> bool:
    principal = getattr(request.state, "principal", None)  # the studio cookie, resolved by ``public``
    if principal is None:
        try:
            principal = key_principal(request)
        except ShopgenError:  # a bad key on a public route: simply no details
            principal = None
    return principal is not None and principal.allows(roles.LOGIN)


@router.get("/healthz", dependencies=[Depends(public)])
def healthz(request: Request, db: DbDep, settings: SettingsDep) -> dict:
    """200 when the service is up and its database answers."""
    db.ping()
    if not _may_see_details(request):
        return {"status": "ok"}
    return {
        "status": "ok",
        "version": shopgen.__version__,
        "database": db.backend,
        "llm_backend": settings.llm_backend,
        "embed_backend": settings.embed_backend,
    }
