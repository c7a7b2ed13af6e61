"""The error tree mapped to HTTP statuses, once, with one body shape (``schemas.api.ErrorBody``).

API clients (paths under ``/api``) always get JSON. Browsers on UI pages get a small Chinese error
page, and a missing or expired login sends them to the login page instead.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.pages import page, people_message
from api.security import current_principal
from core.errors import (
    AccessError,
    AlreadyExists,
    ArchiveError,
    AuthenticationFailed,
    ConfigError,
    InputError,
    NotFound,
    PermissionDenied,
    SearchIndexError,
    StateConflict,
    StorageError,
    TooLarge,
    TooManyAttempts,
)

logger = logging.getLogger(__name__)

# Most specific first; the first isinstance match wins.
HTTP_STATUSES: list[tuple[type[ArchiveError], int]] = [
    (TooLarge, 413),
    (AlreadyExists, 409),
    (StateConflict, 409),
    (InputError, 400),
    (NotFound, 404),
    (AuthenticationFailed, 401),
    (TooManyAttempts, 429),
    (PermissionDenied, 403),
    (AccessError, 403),
    (ConfigError, 500),
    (SearchIndexError, 503),
    (StorageError, 500),
    (ArchiveError, 500),
]

STATUS_CODES = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid_input", 429: "too_many_requests"}


def status_for(error: ArchiveError) -> int:
    return next(status for kind, status in HTTP_STATUSES if isinstance(error, kind))


def error_code(error: ArchiveError) -> str:
    """``DocumentNotFound`` → ``document_not_found``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()


def error_body(code: str, message: str, subject: dict[str, Any] | None = None, text: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "subject": subject or {}, "text": text or message}}


def allowed_methods(routes: list[Any], path: str) -> list[str]:
    """Every method some route serves at ``path``.

    Starlette's 405 names only the methods of the first route whose path matched; with one route
    per method (GET and POST /api/users) that answer is incomplete.
    """
    found: set[str] = set()
    for route in routes:
        inner = getattr(route, "original_router", None)  # FastAPI wraps included routers
        if inner is not None:
            found.update(allowed_methods(inner.routes, path))
            continue
        regex, methods = getattr(route, "path_regex", None), getattr(route, "methods", None)
        if regex is not None and methods and regex.match(path):
            found.update(methods)
    return sorted(found)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and request.url.path not in ("/openapi.json", "/docs")


def _respond(request: Request, status: int, code: str, message: str, subject: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None) -> Response:
    if _wants_html(request):
        if status == 401 and request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        text = people_message(message, code, subject or {}, status, request)
        response = page(request, "error.html", status_code=status, status=status, message=text)
        if headers:
            response.headers.update(headers)
        return response
    text = _people_text(request, message, code, subject or {}, status)
    return JSONResponse(error_body(code, message, subject, text), status_code=status, headers=headers)


def _people_text(request: Request, message: str, code: str, subject: dict[str, Any], status: int) -> str:
    """The sentence a person is shown (Chinese, from the message catalogue), for API clients that
    show errors to people: the web UI's own scripts, an agency's portal. Before the service is up
    (an error during start-up) the message itself.
    """
    if getattr(request.app.state, "service", None) is None:
        return message
    return people_message(message, code, subject, status, request)


def _know_who(request: Request) -> None:
    """A page no route matched ran no ``authorize``: look the caller up so the error page can greet them."""
    try:
        current_principal(request)
    except ArchiveError:
        request.state.principal = None


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ArchiveError)
    async def archive_error(request: Request, error: ArchiveError) -> Response:
        status = status_for(error)
        if status >= 500:
            logger.error("%s %s failed: %s", request.method, request.url.path, error.message)
        subject = {k: str(v) for k, v in error.subject.items()}
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return _respond(request, status, error_code(error), error.message, subject, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        problems = []
        for item in error.errors():
            where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path"))
            problems.append(f"{where}: {item.get('msg')}")
        message = "; ".join(problems) or "invalid request"
        return _respond(request, 422, "invalid_input", message, {"fields": ", ".join(problems)[:500]})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        code = STATUS_CODES.get(error.status_code, "http_error")
        if error.status_code == 404 and _wants_html(request):
            _know_who(request)  # an unknown page still shows the navigation of whoever is signed in
        headers = dict(error.headers) if error.headers else {}
        if error.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request.app.routes, request.url.path))
        return _respond(request, error.status_code, code, str(error.detail), None, headers or None)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        logger.exception("unexpected error in %s %s", request.method, request.url.path)
        return _respond(request, 500, "internal_error", "internal error; the server log has the details")
