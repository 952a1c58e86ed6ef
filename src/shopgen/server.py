"""The app factory. Nothing is read or loaded at import time; models load on first use."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

import shopgen
from shopgen.assistant.shared import SharedIndex
from shopgen.copywriting.batchjobs import BatchJobs
from shopgen.copywriting.generate import Copywriter
from shopgen.core.settings import Settings
from shopgen.http import errors
from shopgen.http.auth import require
from shopgen.http.bodylimit import BodyLimit
from shopgen.inventory.service import InventoryService
from shopgen.live.service import LiveService
from shopgen.models.runtime import Runtime
from shopgen.security import logfilter, retention
from shopgen.security.ratelimit import Limits
from shopgen.store.db import Database

WEB = Path(__file__).resolve().parent / "web"


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI from the vendored ``swagger-ui-bundle`` package, so /docs works offline.
    The docs and the schema need a login (any role): they map the whole attack surface."""
    import swagger_ui_bundle

    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")
    logged_in = [Depends(require("login"))]

    @app.get("/openapi.json", include_in_schema=False, dependencies=logged_in)
    def openapi_schema():
        return app.openapi()

    @app.get("/docs", include_in_schema=False, dependencies=logged_in)
    def docs():
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="shopgen API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )


def create_app(
    settings: Settings | None = None, *, runtime: Runtime | None = None, db: Database | None = None
) -> FastAPI:
    """Build the service: API routers, the web studio and one error shape.

    ``runtime`` and ``db`` may be passed in (tests pass a fake generator by name this way);
    otherwise they are built from ``settings``. The database schema is migrated here.
    """
    settings = settings or Settings()
    logfilter.install(settings.pii_order_pattern)
    app = FastAPI(
        title="shopgen",
        version=shopgen.__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.db = db or Database(settings.resolved_database_url())
    app.state.db.migrate()
    app.state.runtime = runtime or Runtime(settings)
    app.state.limits = Limits(settings)
    app.state.assist_index = SharedIndex(app.state.db, app.state.runtime.embedder, settings.data_dir / "index-cache")
    app.state.live = LiveService(app.state.db, app.state.assist_index, app.state.runtime, settings)
    app.state.copy_jobs = BatchJobs(app.state.db, settings.data_dir, lambda: Copywriter(app.state.runtime.llm()))
    app.state.inventory = InventoryService(app.state.db, settings)
    app.state.templates = Jinja2Templates(directory=WEB / "templates")
    from shopgen.web import nav

    app.state.templates.env.globals.update(
        version=shopgen.__version__, nav_for=nav.nav_for, admin_menu_for=nav.admin_menu_for, may=nav.may
    )

    from shopgen.api.catalog import IMPORT_PATH

    # the catalog import's own limit, plus room for the multipart envelope around the file
    app.add_middleware(
        BodyLimit, default=settings.max_body_bytes, by_path={IMPORT_PATH: settings.import_max_bytes + 65536}
    )
    errors.install(app)
    _mount_docs(app)
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

    from shopgen.api import admin, assist, catalog, conversations, health, llm
    from shopgen.api import copy as copy_api
    from shopgen.api import insight as insight_api
    from shopgen.api import inventory as inventory_api
    from shopgen.api import live as live_api
    from shopgen.web import account
    from shopgen.web import admin as web_admin
    from shopgen.web import assist as web_assist
    from shopgen.web import copy as web_copy
    from shopgen.web import insight as web_insight
    from shopgen.web import inventory as web_inventory
    from shopgen.web import live as web_live
    from shopgen.web import routes as web_routes

    app.include_router(health.router)
    app.include_router(catalog.router)
    app.include_router(llm.router)
    app.include_router(admin.router)
    app.include_router(conversations.router)
    app.include_router(insight_api.router)
    app.include_router(assist.router)
    app.include_router(account.router)
    app.include_router(web_routes.router)
    app.include_router(web_admin.router)
    app.include_router(web_insight.router)
    app.include_router(web_assist.router)
    app.include_router(copy_api.router)
    app.include_router(web_copy.router)
    app.include_router(live_api.router)
    app.include_router(web_live.router)
    app.include_router(inventory_api.router)
    app.include_router(web_inventory.router)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI):
    """Background work of a running service: the retention purge on its schedule."""
    settings = app.state.settings
    stop = asyncio.Event()
    task = None
    if settings.retention_days > 0:
        job = lambda: retention.purge(app.state.db, settings)  # noqa: E731
        task = asyncio.create_task(retention.schedule(job, settings.retention_interval_seconds, stop))
    app.state.retention_task = task
    try:
        yield
    finally:
        stop.set()
        if task is not None:
            await task
