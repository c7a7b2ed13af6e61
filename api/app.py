"""``create_app(settings)``: the FastAPI application, its service built in the lifespan."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from api import (
    routes_admin,
    routes_disclosure,
    routes_docs,
    routes_documents,
    routes_filing,
    routes_handover,
    routes_oversight,
    routes_projects,
    routes_search,
    routes_ui,
    routes_ui_disclosure,
    routes_ui_documents,
    routes_ui_oversight,
    routes_ui_overview,
    routes_ui_projects,
    routes_ui_review,
)
from api.errors import install_error_handlers
from api.handover_tasks import sweep_exports
from api.nul import refuse_nul, schema_without_nul
from api.options import ApiOptions
from api.pages import install_filters
from api.security import BodySizeLimit, authorize
from api.tasks import TaskRegistry
from core import ArchiveService, Settings

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
_STRAY_TAG = re.compile(r"<(?!/?mark>)")


def highlight(snippet: str) -> Markup:
    """Search snippets arrive HTML-escaped with <mark> tags; neutralise anything else regardless."""
    return Markup(_STRAY_TAG.sub("&lt;", str(snippet)))


def _warm_up(service: ArchiveService) -> None:
    try:
        service.warm_up()
    except Exception:  # a broken index or taxonomy is reported by the request that needs it
        logger.warning("warming up the search index and filing rules failed", exc_info=True)


def create_app(settings: Settings, options: ApiOptions | None = None) -> FastAPI:
    options = options or ApiOptions()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service = ArchiveService(settings)
        tasks = TaskRegistry(options.upload_workers, service.task_book)
        app.state.service, app.state.tasks = service, tasks
        sweep_exports(app, restore=True)
        # The login page answers at once; the search engine and the filing rules (seconds of
        # imports) are built on this thread meanwhile. A request that needs one of them waits
        # for that part only (ArchiveService's lazy parts are built once, under a lock).
        threading.Thread(target=_warm_up, args=(service,), name="jiandang-warm-up", daemon=True).start()
        try:
            yield
        finally:
            tasks.shutdown(wait=True)
            service.close()

    app = FastAPI(
        title="jiandang 建档 API",
        version="0.1.0",
        description="Archive, classify and search a building project's documents. Authenticate with "
        "`Authorization: Bearer <token>` (`jiandang user token NAME`). Errors always have the shape "
        '`{"error": {"code", "message", "subject"}}`.',
        lifespan=lifespan,
        docs_url=None,  # served by routes_docs from the installed Swagger UI files (no CDN)
        redoc_url=None,
    )
    app.state.options = options
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["highlight"] = highlight
    templates.env.filters["escape_text"] = escape
    install_filters(templates, lambda: app.state.service)
    app.state.templates = templates
    install_error_handlers(app)
    app.openapi = schema_without_nul(app.openapi)  # type: ignore[method-assign]
    guard = [Depends(authorize), Depends(refuse_nul)]  # who asks, then: no NUL a catalog could not hold
    app.include_router(routes_documents.router, dependencies=guard)
    app.include_router(routes_filing.router, dependencies=guard)
    app.include_router(routes_search.router, dependencies=guard)
    app.include_router(routes_handover.router, dependencies=guard)
    app.include_router(routes_admin.router, dependencies=guard)
    app.include_router(routes_projects.router, dependencies=guard)
    app.include_router(routes_ui.router, dependencies=guard)
    app.include_router(routes_ui_overview.router, dependencies=guard)
    app.include_router(routes_ui_projects.router, dependencies=guard)
    app.include_router(routes_ui_documents.router, dependencies=guard)
    app.include_router(routes_ui_review.router, dependencies=guard)
    app.include_router(routes_docs.router, dependencies=guard)
    app.include_router(routes_oversight.router, dependencies=guard)  # oversight (issue 17)
    app.include_router(routes_ui_oversight.router, dependencies=guard)
    app.include_router(routes_disclosure.router, dependencies=guard)  # 阳光工程 disclosure (issue 18)
    app.include_router(routes_ui_disclosure.router, dependencies=guard)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.mount(routes_docs.ASSETS, StaticFiles(directory=routes_docs.assets_folder()), name="docs-assets")
    app.add_middleware(BodySizeLimit, upload_paths=("/api/uploads", "/upload"),
                       upload_limit=options.max_upload_bytes, other_limit=options.max_form_bytes)
    return app
