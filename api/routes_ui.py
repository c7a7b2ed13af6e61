"""The web UI: small server-rendered pages in Chinese (Jinja2, autoescaped, no JavaScript build)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auditing import audit
from api.handover_tasks import own_task
from api.security import SESSION_COOKIE, csrf_token_for, principal_of
from api.uploads import accept_upload
from core.browsing.listing import DocumentFilter
from core.errors import ArchiveError, AuthenticationFailed, InputError, NotFound, TooManyAttempts
from core.security.accounts import allowed
from core.security.audit import AuditAction
from schemas.api import Permission
from schemas.search import SearchQuery

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

CLASS_NAMES = {"A": "A 工程准备阶段文件", "B": "B 监理文件", "C": "C 施工文件", "D": "D 竣工图", "E": "E 竣工验收文件"}


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    principal = getattr(request.state, "principal", None)
    secret = getattr(request.state, "session_secret", None)

    def can(permission: str) -> bool:
        """For templates: show a button only to those whose role may use it (the server checks anyway)."""
        return principal is not None and allowed(principal.role, Permission(permission))

    context.update(principal=principal, csrf=csrf_token_for(secret) if secret else "", class_names=CLASS_NAMES,
                   can=can)
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


def safe_next(target: str | None) -> str:
    """Only local paths: never an open redirect to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/search"


@router.get("/login", name="ui_login_form")
def ui_login_form(request: Request, next: str | None = None) -> Response:
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


@router.get("/", name="ui_home")
def ui_home(request: Request) -> Response:
    return RedirectResponse("/search", status_code=303)


@router.get("/search", name="ui_search")
def ui_search(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    project: Annotated[str, Query(max_length=64)] = "",
    class_code: Annotated[str, Query(max_length=8)] = "",
    date_from: Annotated[str, Query(max_length=10)] = "",
    date_to: Annotated[str, Query(max_length=10)] = "",
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    service = request.app.state.service
    result, error = None, None
    if q.strip():
        try:
            query = SearchQuery(text=q, project=project or None, class_code=class_code or None,
                                date_from=_date(date_from), date_to=_date(date_to), limit=20, offset=offset)
            result = service.search(query)
            audit(request, AuditAction.SEARCH, None, query=query.model_dump(mode="json", exclude_defaults=True),
                  total=result.total)
        except InputError as exc:
            error = exc.message
    filters = {"q": q, "project": project, "class_code": class_code, "date_from": date_from, "date_to": date_to}
    return page(request, "search.html", **filters, offset=offset, result=result, error=error,
                projects=service.list_projects(), saved=service.saved_searches.list().searches,
                here=urlencode({k: v for k, v in filters.items() if v}))


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
    audit(request, "search.save", saved.name, query=query.model_dump(mode="json", exclude_defaults=True))
    target = {"q": q, "project": project, "class_code": class_code}
    return RedirectResponse("/search?" + urlencode({k: v for k, v in target.items() if v}), status_code=303)


def _date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"日期格式应为 YYYY-MM-DD：{text!r}", field="date") from None


@router.get("/documents/{doc_id}", name="ui_document")
def ui_document(request: Request, doc_id: Annotated[str, Path(pattern=r"^[0-9a-fA-F]{4,32}$")]) -> Response:
    record = request.app.state.service.show(doc_id)
    audit(request, AuditAction.DOCUMENT_VIEW, record.id, ui=True)
    try:
        similar = request.app.state.service.more_like_this(record.id, limit=5).hits
    except ArchiveError:  # a document not in the index yet (or a damaged index) still has its page
        similar = []
    return page(request, "document.html", doc=record, similar=similar)


@router.get("/projects", name="ui_projects")
def ui_projects(request: Request) -> Response:
    return page(request, "projects.html", projects=request.app.state.service.list_projects())


@router.get("/projects/{code}", name="ui_project")
def ui_project(request: Request, code: Annotated[str, Path(max_length=64)],
               offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> Response:
    """The project dashboard: counts, completeness (present / missing / n.a. / waived), documents."""
    service = request.app.state.service
    summary = next((p for p in service.list_projects() if p.code == code), None)
    if summary is None:
        raise NotFound(f"没有项目 {code!r}", project=code)
    documents = service.list_documents(DocumentFilter(project=code), limit=50, offset=offset)
    completeness, completeness_error = None, None
    try:
        completeness = service.completeness(code)
    except ArchiveError as exc:  # the dashboard still shows the documents; say why the check is missing
        completeness_error = exc.message
    counts = Counter(item.status for item in completeness.items) if completeness else Counter()
    return page(request, "project.html", project=summary, documents=documents, completeness=completeness,
                completeness_counts=counts, completeness_error=completeness_error)


@router.get("/upload", name="ui_upload_form")
def ui_upload_form(request: Request) -> Response:
    return page(request, "upload.html", projects=request.app.state.service.list_projects())


@router.post("/upload", name="ui_upload")
async def ui_upload(request: Request) -> Response:
    form = await request.form(max_files=request.app.state.options.max_upload_files + 1)
    project = form.get("project")
    task = await accept_upload(request, form.getlist("files"), project if isinstance(project, str) else None)
    return RedirectResponse(f"/tasks/{task.id}", status_code=303)


@router.get("/tasks/{task_id}", name="ui_task")
def ui_task(request: Request, task_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]) -> Response:
    return page(request, "task.html", task=own_task(request, task_id))


@router.get("/audit", name="ui_audit")
def ui_audit(request: Request, action: Annotated[str, Query(max_length=64)] = "",
             actor: Annotated[str, Query(max_length=128)] = "",
             offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> Response:
    audit_log = request.app.state.service.audit
    entries = audit_log.page(action=action or None, actor=actor or None, limit=100, offset=offset)
    return page(request, "audit.html", entries=entries, action=action, actor=actor)
