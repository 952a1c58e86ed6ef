"""The app factory. Nothing is read or loaded at import time; models load on first use."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

import shopgen
from shopgen.api import errors
from shopgen.core.settings import Settings
from shopgen.models.runtime import Runtime
from shopgen.store.db import Database

WEB = Path(__file__).resolve().parent.parent / "web"


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI from the vendored ``swagger-ui-bundle`` package, so /docs works offline."""
    import swagger_ui_bundle

    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title="shopgen API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None, db: Database | None = None) -> FastAPI:
    """Build the service: API routers, the web studio and one error shape.

    ``runtime`` and ``db`` may be passed in (tests pass a fake generator by name this way);
    otherwise they are built from ``settings``. The database schema is migrated here.
    """
    settings = settings or Settings()
    app = FastAPI(title="shopgen", version=shopgen.__version__, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.db = db or Database(settings.resolved_database_url())
    app.state.db.migrate()
    app.state.runtime = runtime or Runtime(settings)
    app.state.templates = Jinja2Templates(directory=WEB / "templates")
    app.state.templates.env.globals["version"] = shopgen.__version__

    errors.install(app)
    _mount_docs(app)
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

    from shopgen.api import catalog, health, llm
    from shopgen.web import routes as web_routes

    app.include_router(health.router)
    app.include_router(catalog.router)
    app.include_router(llm.router)
    app.include_router(web_routes.router)
    return app
