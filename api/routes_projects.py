"""Projects as records and the workbench's data over HTTP: create, rename, merge projects; move and edit
documents; read again or set aside a quarantined file; browse by filing; dashboard and statistics.

Each change is one call to the service's project desk and one audit entry with the client.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from api.auditing import audit
from api.browse_params import browse_query
from api.routes_documents import ERRORS, DocId, Limit, Offset, ProjectCode
from api.routes_ui_overview import watch_notes
from api.security import principal_of
from schemas.api import DocumentPage, ErrorBody, ProjectSummary
from schemas.browsing import BrowsePage, BrowseQuery, FilingTree, VolumePage
from schemas.ingest import FileReport
from schemas.projects import (
    EditReport,
    EditRequest,
    MergeReport,
    MoveReport,
    MoveRequest,
    NewProject,
    ProjectChange,
)
from schemas.workbench import Dashboard, StatisticsReport, UsagePage

router = APIRouter(prefix="/api", responses=ERRORS)


class MergeInto(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"into": "JD-2024-001"}]})

    into: str = Field(min_length=1, max_length=64, description="the project that receives every document")


class Dismissal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=500)


@router.post("/projects", name="add_project", response_model=ProjectSummary, status_code=201, tags=["projects"],
             responses={409: {"model": ErrorBody, "description": "the code is taken"}})
def add_project(request: Request, body: NewProject) -> ProjectSummary:
    """Create a project (code, name, 建设单位, optional figures). Uploads name only existing projects. Audited."""
    summary = request.app.state.service.projects.add(body, principal_of(request).username)
    audit(request, "project.add", summary.code, name=summary.name, owner=summary.owner, figures=body.figures)
    return summary


@router.patch("/projects/{code}", name="change_project", response_model=ProjectSummary, tags=["projects"],
              responses={409: {"model": ErrorBody, "description": "the new code is taken (merge instead)"}})
def change_project(request: Request, code: ProjectCode, body: ProjectChange) -> ProjectSummary:
    """Rename a project (a new code fixes a typo: its 档号 and index follow), or change its name or figures."""
    summary, changed = request.app.state.service.projects.change(code, body, principal_of(request).username)
    if changed:
        audit(request, "project.rename", summary.code, changed=changed)
    return summary


@router.post("/projects/{code}/merge", name="merge_project", response_model=MergeReport, tags=["projects"])
def merge_project(request: Request, code: ProjectCode, body: MergeInto) -> MergeReport:
    """Move every document of this project into another; the project is removed (a tray stays). Audited."""
    report = request.app.state.service.projects.merge(code, body.into, principal_of(request).username)
    audit(request, "project.merge", code, into=body.into, moved=report.moved)
    return report


@router.get("/projects/{code}/tree", name="project_tree", response_model=FilingTree, tags=["projects"])
def project_tree(request: Request, code: ProjectCode) -> FilingTree:
    """The project's classes and sub-classes with document and volume counts."""
    return request.app.state.service.workbench.filing_tree(code)


@router.get("/projects/{code}/volumes", name="project_volumes", response_model=VolumePage, tags=["projects"])
def project_volumes(request: Request, code: ProjectCode,
                    class_code: Annotated[str | None, Query(max_length=8, examples=["C2"])] = None,
                    limit: Limit = 50, offset: Offset = 0) -> VolumePage:
    """案卷目录: the project's volumes with their 档号 (as the handover bundle assigns them)."""
    volumes = request.app.state.service.workbench.volumes(code, class_code)
    return VolumePage(total=len(volumes), limit=limit, offset=offset, items=volumes[offset:offset + limit])


@router.get("/browse", name="browse_documents", response_model=BrowsePage, tags=["documents"])
def browse_documents(request: Request, query: Annotated[BrowseQuery, Depends(browse_query)]) -> BrowsePage:
    """Documents without a keyword, filtered and sorted (档号 order inside a project), with 档号 and 保管期限."""
    return request.app.state.service.workbench.browse(query)


@router.post("/moves", name="move_documents", response_model=MoveReport, tags=["documents"])
def move_documents(request: Request, body: MoveRequest) -> MoveReport:
    """Move documents into another project (or back to INBOX); 档号 and the index follow. Audited per document."""
    report = request.app.state.service.projects.move(body.documents, body.to, principal_of(request).username,
                                                      body.reason)
    for doc_id in report.moved:
        audit(request, "document.move", doc_id, to=report.to, reason=body.reason)
    return report


@router.patch("/documents/{doc_id}", name="edit_document", response_model=EditReport, tags=["documents"])
def edit_document(request: Request, doc_id: DocId, body: EditRequest) -> EditReport:
    """Correct a document's record (题名, 日期, 编号, 金额, 参建单位, 保管期限, 密级) with a reason. Audited."""
    report = request.app.state.service.projects.edit(doc_id, body.changes, body.reason,
                                                      principal_of(request).username)
    audit(request, "document.edit", report.id, changed=report.changed, reason=body.reason)
    return report


@router.post("/documents/{doc_id}/reread", name="reread_document", response_model=FileReport, tags=["documents"])
def reread_document(request: Request, doc_id: DocId) -> FileReport:
    """Read a stored original again (a quarantined file after OCR was installed, a password removed …)."""
    line = request.app.state.service.reread(doc_id)
    audit(request, "document.reread", line.document_id, outcome=line.status.value)
    return line


@router.post("/documents/{doc_id}/dismiss", name="dismiss_document", response_model=MoveReport, tags=["documents"])
def dismiss_document(request: Request, doc_id: DocId, body: Dismissal | None = None) -> MoveReport:
    """"Not an archive document": kept, but moved out of its project into the NOT-ARCHIVE tray. Audited."""
    reason = body.reason if body else None
    report = request.app.state.service.projects.dismiss(doc_id, principal_of(request).username, reason)
    audit(request, "document.dismiss", doc_id, to=report.to, reason=reason)
    return report


@router.get("/documents/{doc_id}/usage", name="document_usage", response_model=UsagePage, tags=["documents"])
def document_usage(request: Request, doc_id: DocId, limit: Limit = 50, offset: Offset = 0) -> UsagePage:
    """利用记录: who viewed, previewed or downloaded the document, newest first (from the audit trail)."""
    service = request.app.state.service
    records = service.workbench.usage(service.show(doc_id).id, limit=offset + limit)
    return UsagePage(total=len(records), limit=limit, offset=offset, items=records[offset:offset + limit])


@router.get("/quarantine", name="quarantine_list", response_model=DocumentPage, tags=["documents"])
def quarantine_list(request: Request, limit: Limit = 50, offset: Offset = 0) -> DocumentPage:
    """Quarantined files waiting for a decision (``doc_type`` carries the reason in Chinese)."""
    return request.app.state.service.workbench.quarantine(limit, offset)


@router.get("/dashboard", name="dashboard", response_model=Dashboard, tags=["overview"])
def dashboard(request: Request) -> Dashboard:
    """Counts, arrivals today and this week, review queue, quarantine, documents per class and month."""
    service = request.app.state.service
    return service.dashboard(watch_notes(service))


@router.get("/statistics", name="statistics", response_model=StatisticsReport, tags=["overview"])
def statistics(request: Request) -> StatisticsReport:
    """统计报表: documents by project, class, year and 保管期限; searches, views and downloads per month."""
    return request.app.state.service.workbench.statistics()
