"""The web UI: login, search, upload and tasks (server-rendered Chinese pages, Jinja2, autoescaped).

The workbench's other pages live beside this module: ``routes_ui_overview`` (首页, 统计, 审计,
隔离区), ``routes_ui_projects`` (projects and browsing by 档号), ``routes_ui_documents`` (the
document page, editing, moves, bulk actions) and ``routes_ui_review`` (the review queue, handover).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auditing import audit
from api.browse_params import typed_date
from api.errors import error_code
from api.handover_tasks import own_task
from api.pages import page, people_message, safe_next
from api.security import SESSION_COOKIE, principal_of
from api.uploads import accept_upload
from core.errors import AuthenticationFailed, InputError, TooManyAttempts
from core.searching.search_audit import query_detail
from core.security.audit import AuditAction
from schemas.search import SearchQuery

__all__ = ["page", "router", "safe_next"]  # page and safe_next are imported from here by older modules

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
SEARCH_PAGE = 20
SORTS = {"relevance": "相关度", "date": "日期（新→旧）"}


@router.get("/login", name="ui_login_form")
def ui_login_form(request: Request, next: str | None = None) -> Response:
    if getattr(request.state, "principal", None) is not None:  # signed in already: no second login form
        return RedirectResponse(safe_next(next), status_code=303)
    return page(request, "login.html", next=safe_next(next), error=None)


@router.post("/login", name="ui_login")
def ui_login(request: Request, username: Annotated[str, Form(max_length=64)],
             password: Annotated[str, Form(max_length=256)], next: Annotated[str | None, Form()] = None) -> Response:
    accounts = request.app.state.service.accounts
    try:
        issued = accounts.login(username, password)
    except (AuthenticationFailed, TooManyAttempts) as exc:
        audit(request, AuditAction.LOGIN_FAILED, username, actor="anonymous", reason=type(exc).__name__)
        status = 429 if isinstance(exc, TooManyAttempts) else 401
        message = "登录尝试过多，请稍后再试" if status == 429 else "用户名或密码错误"
        return page(request, "login.html", status_code=status, next=safe_next(next), error=message)
    audit(request, AuditAction.LOGIN, username, actor=username, token_id=issued.record.id)
    response = RedirectResponse(safe_next(next), status_code=303)
    options = request.app.state.options
    response.set_cookie(SESSION_COOKIE, issued.token, httponly=True, samesite="lax", secure=options.secure_cookies,
                        max_age=int(accounts.session_ttl.total_seconds()), path="/")
    return response


@router.post("/logout", name="ui_logout")
def ui_logout(request: Request) -> Response:
    principal = principal_of(request)
    secret = request.state.session_secret
    if secret:
        request.app.state.service.accounts.revoke(secret)
    audit(request, AuditAction.LOGOUT, principal.username)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/search", name="ui_search")
def ui_search(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    project: Annotated[str, Query(max_length=64)] = "",
    class_code: Annotated[str, Query(max_length=8)] = "",
    date_from: Annotated[str, Query(max_length=10)] = "",
    date_to: Annotated[str, Query(max_length=10)] = "",
    sort: Annotated[str, Query(max_length=16)] = "relevance",
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    """Keyword search; filters without a keyword go to the document list (browsing), not an empty page."""
    service = request.app.state.service
    filters = {"project": project, "class_code": class_code, "date_from": date_from, "date_to": date_to}
    if not q.strip() and any(filters.values()):
        return RedirectResponse("/documents?" + urlencode({k: v for k, v in filters.items() if v}), status_code=303)
    result, error = None, None
    sort = sort if sort in SORTS else "relevance"
    if q.strip():
        try:
            query = SearchQuery(text=q, project=project or None, class_code=class_code or None,
                                date_from=typed_date(date_from), date_to=typed_date(date_to), limit=SEARCH_PAGE, offset=offset,
                                sort=sort if sort != "relevance" else None)
            result = service.search(query)
            audit(request, AuditAction.SEARCH, None, query=query_detail(query), total=result.total, ui=True)
        except InputError as exc:
            error = people_message(exc.message, error_code(exc), exc.subject, 400, request)
    shown = {"q": q, **filters, "sort": sort if sort != "relevance" else ""}
    return page(request, "search.html", **shown, sort_names=SORTS, offset=offset, result=result, error=error,
                projects=service.list_projects(), saved=service.saved_searches.list().searches,
                subclasses=service.filing_subclasses(), page_size=SEARCH_PAGE,
                here=urlencode({k: v for k, v in shown.items() if v}))


@router.post("/saved-searches", name="ui_save_search")
def ui_save_search(request: Request, name: Annotated[str, Form(min_length=1, max_length=100)],
                   q: Annotated[str, Form(min_length=1, max_length=500)],
                   project: Annotated[str, Form(max_length=64)] = "",
                   class_code: Annotated[str, Form(max_length=8)] = "") -> Response:
    """Save the search on screen under a name (checked first, like the API and the CLI)."""
    service = request.app.state.service
    query = SearchQuery(text=q, project=project or None, class_code=class_code or None)
    service.search(query.model_copy(update={"limit": 1, "facets": False}))
    saved = service.saved_searches.add(name.strip() or q, query, principal_of(request).username)
    audit(request, "search.save", saved.name, query=query_detail(query))
    target = {"q": q, "project": project, "class_code": class_code}
    return RedirectResponse("/search?" + urlencode({k: v for k, v in target.items() if v}), status_code=303)


@router.get("/upload", name="ui_upload_form")
def ui_upload_form(request: Request) -> Response:
    return page(request, "upload.html", projects=request.app.state.service.list_projects(),
                tray=request.app.state.service.settings.default_project)


@router.post("/upload", name="ui_upload")
async def ui_upload(request: Request) -> Response:
    form = await request.form(max_files=request.app.state.options.max_upload_files + 1)
    project = form.get("project")
    task = await accept_upload(request, form.getlist("files"), project if isinstance(project, str) else None)
    return RedirectResponse(f"/tasks/{task.id}", status_code=303)


@router.get("/tasks/{task_id}", name="ui_task")
def ui_task(request: Request, task_id: Annotated[str, Path(max_length=64)]) -> Response:
    return page(request, "task.html", task=own_task(request, task_id))
