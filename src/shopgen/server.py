"""The app factory. Nothing is read or loaded at import time; models load on first use."""

from __future__ import annotations

import asyncio
import importlib
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

import shopgen
from shopgen.assistant.index import COLLECTION
from shopgen.assistant.shared import SharedIndex
from shopgen.copywriting.batchjobs import BatchJobs
from shopgen.copywriting.generate import Copywriter
from shopgen.copywriting.house import HouseExemplars
from shopgen.core.settings import Settings
from shopgen.events.hub import EventHub
from shopgen.http import errors
from shopgen.http.auth import require
from shopgen.http.bodylimit import BodyLimit
from shopgen.http.gate import GenerationGate
from shopgen.http.headers import SecurityHeaders
from shopgen.inventory.service import InventoryService
from shopgen.live.service import LiveService
from shopgen.models.runtime import Runtime
from shopgen.recommend.service import RecommendService
from shopgen.search.synonyms import load_synonyms
from shopgen.search.vectors import store_opener
from shopgen.security import logfilter, retention
from shopgen.security.ratelimit import Limits
from shopgen.store import importer
from shopgen.store.db import Database

WEB = Path(__file__).resolve().parent / "web"
# one router per domain and page group, included in this order (the JSON API under /api, the studio's pages)
ROUTERS = (
    "api.health",
    "api.catalog",
    "api.llm",
    "api.admin",
    "api.conversations",
    "api.insight",
    "api.assist",
    "api.copy",
    "api.live",
    "api.visual",
    "api.events",
    "api.recommend",
    "api.inventory",
    "api.labelling",
    "web.account",
    "web.routes",
    "web.admin",
    "web.insight",
    "web.assist",
    "web.copy",
    "web.live",
    "web.visual",
    "web.recommend",
    "web.behaviour",
    "web.inventory",
    "web.labelling",
)

log = logging.getLogger("shopgen.server")


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI 5 from the ``fastapi-offline`` wheel (Swagger UI 4 cannot render OpenAPI 3.1,
    which FastAPI writes), so /docs works offline. The docs and the schema need a login (any
    role): they map the whole attack surface."""
    import fastapi_offline

    static = Path(fastapi_offline.__file__).resolve().parent / "static"
    app.mount("/static/swagger", StaticFiles(directory=static), name="swagger")
    logged_in = [Depends(require("login"))]

    @app.get("/openapi.json", include_in_schema=False, dependencies=logged_in)
    def openapi_schema():
        return app.openapi()

    @app.get("/docs", include_in_schema=False, dependencies=logged_in)
    def docs(request: Request):
        page = get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="shopgen API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )
        # Swagger UI is set up by an inline script: the CSP lets it run by this request's nonce
        nonce = request.state.csp_nonce
        return HTMLResponse(page.body.decode().replace("<script>", f'<script nonce="{nonce}">'))


def model_loaders() -> dict:
    """The runtime's loaders of the domains' task models (see :mod:`shopgen.models.runtime`):
    the composition root knows the domains, the runtime does not."""
    from shopgen.assistant import intent as assistant_intent
    from shopgen.insight import sentiment
    from shopgen.live import intent as live_intent

    return {
        "sentiment": sentiment.load,
        "intent": lambda name, runtime: assistant_intent.load(name),
        "live-intent": lambda name, runtime: live_intent.load(name),
    }


def labelling_models(runtime: Runtime):
    """The models the labelling queue suggests with (:mod:`shopgen.labelling.suggest`): the
    assistant's intent model, the review sentiment model and the insight aspect lexicon."""
    from shopgen.insight import aspects
    from shopgen.insight.lexicon import ASPECTS
    from shopgen.labelling.suggest import Models

    return Models(
        intent=runtime.intent,
        embedder=runtime.embedder,
        sentiment=runtime.sentiment,
        aspect_names=tuple(ASPECTS),
        clauses=aspects.clauses,
        mentions=aspects.mentions,
    )


def build_runtime(settings: Settings, **given) -> Runtime:
    """The process's one :class:`Runtime`, with the domains' model loaders (``given``: ready-made
    backends, as :class:`Runtime` takes them)."""
    return Runtime(settings, loaders=model_loaders(), **given)


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
    _undo_killed_imports(app.state.db)
    app.state.runtime = runtime or build_runtime(settings)
    app.state.runtime.provide(model_loaders())
    app.state.limits = Limits(settings)
    app.state.llm_gate = GenerationGate(settings.llm_max_inflight, settings.llm_max_inflight_per_caller)
    app.state.event_hub = EventHub()
    cache = settings.data_dir / "index-cache"
    vectors = store_opener(settings, app.state.db, cache, COLLECTION)
    app.state.assist_index = SharedIndex(
        app.state.db, app.state.runtime.embedder, cache, vectors, load_synonyms(settings.kb_synonyms)
    )
    app.state.live = LiveService(app.state.db, app.state.assist_index, app.state.runtime, settings)
    app.state.recommend = RecommendService(
        app.state.db,
        settings.data_dir / "recommend",
        model=settings.recommend_model,
        params=settings.recommend_params,
        embedder=app.state.runtime.embedder,
        retrain_seconds=settings.recommend_retrain_seconds,
    )
    app.state.event_hub.subscribe(app.state.recommend.on_ingest)
    house = HouseExemplars(app.state.db, settings.copy_exemplars)
    app.state.copy_jobs = BatchJobs(
        app.state.db, settings.data_dir, lambda: Copywriter(app.state.runtime.llm(), house.store())
    )
    _visual(app, settings)
    app.state.inventory = InventoryService(app.state.db, settings)
    app.state.labelling_models = labelling_models(app.state.runtime)
    app.state.templates = Jinja2Templates(directory=WEB / "templates")
    from shopgen.web import clock, nav

    app.state.templates.env.globals.update(
        version=shopgen.__version__, nav_for=nav.nav_for, admin_menu_for=nav.admin_menu_for, may=nav.may
    )
    app.state.templates.env.filters.update(shanghai=clock.shanghai, utc_iso=clock.utc_iso)

    from shopgen.api.catalog import IMPORT_PATH

    # the catalog import's own limit, plus room for the multipart envelope around the file
    app.add_middleware(
        BodyLimit, default=settings.max_body_bytes, by_path={IMPORT_PATH: settings.import_max_bytes + 65536}
    )
    app.add_middleware(SecurityHeaders)  # outermost: error pages and 413s get the headers too
    errors.install(app)
    _mount_docs(app)
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

    for name in ROUTERS:
        app.include_router(importlib.import_module(f"shopgen.{name}").router)
    return app


def _visual(app: FastAPI, settings: Settings) -> None:
    """The visual studio: models from the Runtime (loaded on first use), catalog images from /static."""
    from shopgen.store import catalog
    from shopgen.visual.batch import StudioFactory, VisualJobs
    from shopgen.visual.scene import create_scene_backend
    from shopgen.visual.service import VisualStudio

    runtime, db = app.state.runtime, app.state.db
    app.state.visual = VisualStudio(
        settings.data_dir,
        runtime.vision,
        speaker=runtime.speaker,
        static_dir=WEB / "static",
        max_pixels=settings.vision_max_pixels,
        scenes=lambda name: create_scene_backend(settings, name),
    )

    def products(category: str | None, limit: int | None) -> list[dict]:
        with db.session() as s:
            found, _ = catalog.list_products(s, category=category, status="active", limit=limit or 1_000_000)
            return [catalog.to_dict(p) for p in found]

    factory = StudioFactory(
        str(settings.data_dir), str(WEB / "static"), settings.vision_segmenter, settings.vision_threads
    )
    app.state.visual_jobs = VisualJobs(settings.data_dir, factory, products)


@asynccontextmanager
def _undo_killed_imports(db) -> None:
    if undone := importer.recover(db):
        log.warning("undid %d catalog import(s) whose process had stopped: %s", len(undone), ", ".join(undone))


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
