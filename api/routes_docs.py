"""``/docs``: the OpenAPI page, working offline — Swagger UI's files come from an installed package.

FastAPI's own page loads Swagger UI from a CDN, which a government intranet cannot reach (a blank
page). ``swagger-ui-bundle-v2`` ships the same files in the wheel; ``create_app`` mounts them at
``/docs-assets`` and this page points there.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

ASSETS = "/docs-assets"
router = APIRouter(include_in_schema=False)


def assets_folder() -> str:
    import swagger_ui_bundle

    return str(swagger_ui_bundle.swagger_ui_path)


@router.get("/docs", name="api_docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title="建档 API 文档",
                               swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                               swagger_css_url=f"{ASSETS}/swagger-ui.css",
                               swagger_favicon_url=f"{ASSETS}/favicon-32x32.png")
