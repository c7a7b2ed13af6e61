"""Documents, originals, search and projects: the read side of the API (and uploads)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from api.auditing import audit
from api.handover_tasks import own_task
from api.search_params import IsoDate, search_filters
from api.uploads import accept_upload
from core.browsing.listing import DocumentFilter
from core.security.audit import AuditAction
from schemas.api import DocumentPage, ErrorBody, EventPage, ProjectPage, TaskStatus
from schemas.documents import DocumentRecord
from schemas.search import SearchQuery, SearchResult

ERRORS = {code: {"model": ErrorBody} for code in (400, 401, 403, 404, 422)}
DocId = Annotated[str, Path(pattern=r"^[0-9a-fA-F]{4,32}$", description="document id (a unique prefix works for GET)",
                            examples=["3f9c0a5be1d24c7d9e0f1a2b3c4d5e6f"])]
Limit = Annotated[int, Query(ge=1, le=200, description="page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="items to skip")]
Code = Annotated[str | None, Query(max_length=64, examples=["XM-2024-017"])]
ProjectCode = Annotated[str, Path(min_length=1, max_length=64, description="project code", examples=["JD-2024-001"])]

router = APIRouter(prefix="/api", responses=ERRORS)


@router.get("/documents", name="list_documents", response_model=DocumentPage, tags=["documents"])
def list_documents(
    request: Request,
    project: Code = None,
    class_code: Annotated[str | None, Query(max_length=8, examples=["C2"])] = None,
    status: Annotated[str | None, Query(max_length=16, examples=["processed"])] = None,
    needs_review: bool | None = None,
    date_from: Annotated[IsoDate | None, Query(examples=["2024-01-01"])] = None,
    date_to: Annotated[IsoDate | None, Query(examples=["2024-12-31"])] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> DocumentPage:
    """Documents newest first, filtered by project, class, status, review flag and document date."""
    flt = DocumentFilter(project=project, class_code=class_code, status=status, needs_review=needs_review,
                         date_from=date_from, date_to=date_to)
    return request.app.state.service.list_documents(flt, limit, offset)


@router.get("/documents/{doc_id}", name="get_document", response_model=DocumentRecord, tags=["documents"])
def get_document(request: Request, doc_id: DocId) -> DocumentRecord:
    """One document: fields, filing, receipts and history. Audited as a view."""
    record = request.app.state.service.show(doc_id)
    audit(request, AuditAction.DOCUMENT_VIEW, record.id)
    return record


@router.get("/documents/{doc_id}/history", name="document_history", response_model=EventPage, tags=["documents"])
def document_history(request: Request, doc_id: DocId, limit: Limit = 50, offset: Offset = 0) -> EventPage:
    """The event history of one document (received, converted, classified, indexed, …), oldest first."""
    events = request.app.state.service.show(doc_id).events
    return EventPage(total=len(events), limit=limit, offset=offset, items=events[offset:offset + limit])


def content_disposition(kind: str, name: str) -> str:
    """RFC 6266 + RFC 5987: an ASCII fallback and the exact UTF-8 name (Chinese file names)."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in name) or "original"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.get("/documents/{doc_id}/original", name="download_original", tags=["documents"],
            response_class=FileResponse,
            responses={200: {"content": {"application/octet-stream": {}}, "description": "the stored original"}})
def download_original(
    request: Request,
    doc_id: Annotated[str, Path(pattern=r"^[0-9a-f]{8,32}$", description="the full document id",
                                        examples=["3f9c0a5be1d24c7d"])],
    inline: Annotated[bool, Query(description="show in the browser (PDF preview) instead of saving")] = False,
) -> FileResponse:
    """The original bytes exactly as they arrived. Audited as a download."""
    principal = getattr(request.state, "principal", None)
    original = request.app.state.service.read_original(
        doc_id, principal.username if principal else "anonymous", "inline" if inline else "download",
        audit_trail=False,
    )
    audit(request, AuditAction.ORIGINAL_DOWNLOAD, doc_id, name=original.name, inline=inline)
    return FileResponse(original.path, media_type=original.media_type, headers={
        "Content-Disposition": content_disposition("inline" if inline else "attachment", original.name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
    })


@router.get("/search", name="search_documents", response_model=SearchResult, tags=["search"])
async def search_documents(request: Request, filters: Annotated[SearchQuery, Depends(search_filters)],
                           limit: Limit = 10, offset: Offset = 0) -> SearchResult:
    """Keyword search (Chinese) with filters and facets; highlights mark matches with <mark>. Audited."""
    query = filters.model_copy(update={"limit": limit, "offset": offset})
    # The search and its audit entry block (tantivy, the commit's fsync), so they go to a worker
    # thread together: one hand-over per request. A plain ``def`` route hands over twice more
    # (the endpoint, then the answer's validation), and each costs CPU on both threads.
    return await run_in_threadpool(_search_audited, request, query)


def _search_audited(request: Request, query: SearchQuery) -> SearchResult:
    result = request.app.state.service.search(query)
    audit(request, AuditAction.SEARCH, None, query=query.model_dump(mode="json", exclude_defaults=True),
          total=result.total)
    return result


@router.get("/projects", name="list_projects", response_model=ProjectPage, tags=["projects"])
def list_projects(request: Request, limit: Limit = 50, offset: Offset = 0) -> ProjectPage:
    """Projects with document, review and quarantine counts."""
    projects = request.app.state.service.list_projects()
    return ProjectPage(total=len(projects), limit=limit, offset=offset, items=projects[offset:offset + limit])


@router.post("/uploads", name="upload_files", response_model=TaskStatus, status_code=202, tags=["uploads"],
             responses={413: {"model": ErrorBody}}, openapi_extra={"requestBody": {"required": True, "content": {
                 "multipart/form-data": {"schema": {"type": "object", "required": ["files"], "properties": {
                     "files": {"type": "array", "minItems": 1, "items": {"type": "string", "format": "binary"}},
                     "project": {"type": "string", "pattern": r"^[\w.-]{0,64}$", "example": "XM-2024-017"}}}}}}})
async def upload_files(request: Request) -> TaskStatus:
    """multipart/form-data: one or more parts named ``files`` and an optional ``project`` field.

    Returns at once with a task; poll ``GET /api/tasks/{id}`` for the per-file ingest report.
    """
    form = await request.form(max_files=request.app.state.options.max_upload_files + 1)
    project = form.get("project")
    return await accept_upload(request, form.getlist("files"), project if isinstance(project, str) else None)


@router.get("/tasks/{task_id}", name="task_status", response_model=TaskStatus, tags=["tasks"])
def task_status(request: Request, task_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$",
                                                               examples=["9b2f6c1d0e8a4f3b8c7d6e5f4a3b2c1d"])]
                ) -> TaskStatus:
    """State of an upload or handover task; its owner (or an admin) may read it."""
    return own_task(request, task_id)
