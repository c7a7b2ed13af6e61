"""阳光工程 disclosure over HTTP: versions, the reviewer's redactions and withheld items, the
workflow steps, the package files, the due list and the agency's overdue items.

Each workflow step is its own route so the permission table can give it its own permission:
drafting, redacting, reviewing and publishing need ``disclose`` (archivists), approving and
retracting need ``approve`` (approvers). The room checks the acting account again and puts every
step on the audit trail; viewing a version (which shows what was hidden) is audited here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from api.auditing import audit
from api.nul import TWO_VISIBLE  # at least two characters that are not white space, as the room requires
from api.routes_documents import ERRORS, Limit, Offset, ProjectCode
from api.security import principal_of
from core.errors import NotFound
from core.security.accounts import allowed
from schemas.api import Permission
from schemas.disclosure import DisclosureHistoryPage, DisclosureVersion, DuePage

router = APIRouter(prefix="/api", responses={**ERRORS, 409: ERRORS[400]}, tags=["disclosure"])
Number = Annotated[int, Path(ge=1, le=1_000_000, description="version number")]


class PackageFileName(StrEnum):
    INDEX = "index.html"
    XLSX = "disclosure.xlsx"
    JSON = "disclosure.json"
    MANIFEST = "manifest.json"


FileName = Annotated[PackageFileName, Path(description="a file of the package")]
MEDIA = {".html": "text/html; charset=utf-8", ".json": "application/json",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
VIEW = "disclosure.view"
STEPS = {"review": "review_disclosure", "return": "return_disclosure", "approve": "approve_disclosure",
         "publish": "publish_disclosure", "retract": "retract_disclosure"}


class RedactionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=2, max_length=200, pattern=TWO_VISIBLE, description="text to hide wherever it appears")
    reason: str | None = Field(default=None, max_length=500)


class WithholdRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item: str = Field(min_length=3, max_length=200, description="item key, e.g. bidding/award/<document id>")
    reason: str | None = Field(default=None, min_length=2, max_length=500, pattern=TWO_VISIBLE,
                               description="why it is not published; null publishes the item again")


class StepRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(default=None, max_length=500, description="required to return or retract")


def media_type(name: str) -> str:
    return next(media for suffix, media in MEDIA.items() if name.endswith(suffix))


HIDDEN = "［已隐去］"
# Who may see what a redaction hid: those who prepare, approve or audit a disclosure.
SEES_HIDDEN = (Permission.DISCLOSE, Permission.APPROVE, Permission.AUDIT_READ)


def as_seen_by(request: Request, version: DisclosureVersion) -> DisclosureVersion:
    """The version as the caller may see it: a reader without a part in the disclosure gets the
    redactions' kinds and places, never the personal data they hid.
    """
    role = principal_of(request).role
    if any(allowed(role, permission) for permission in SEES_HIDDEN):
        return version
    masked = [r.model_copy(update={"original": HIDDEN}) for r in version.content.redactions]
    return version.model_copy(update={"content": version.content.model_copy(update={"redactions": masked})})


@router.get("/projects/{code}/disclosure", name="project_disclosure", response_model=DisclosureVersion)
def project_disclosure(request: Request, code: ProjectCode) -> DisclosureVersion:
    """The project's latest disclosure version, with its items and redactions. Audited."""
    version = request.app.state.service.disclosure.version(code)
    if version is None:
        raise NotFound(f"项目 {code} 还没有公开草稿", project=code)
    audit(request, VIEW, code, version=version.number)
    return as_seen_by(request, version)


@router.get("/projects/{code}/disclosure/history", name="disclosure_history", response_model=DisclosureHistoryPage)
def disclosure_history(request: Request, code: ProjectCode, limit: Limit = 50, offset: Offset = 0) -> DisclosureHistoryPage:
    """Every version, newest first: who reviewed, approved, published or retracted it, and why."""
    entries = request.app.state.service.disclosure.history(code)
    return DisclosureHistoryPage(total=len(entries), limit=limit, offset=offset, items=entries[offset : offset + limit])


@router.get("/projects/{code}/disclosure/due", name="disclosure_due", response_model=DuePage)
def disclosure_due(request: Request, code: ProjectCode, limit: Limit = 50, offset: Offset = 0) -> DuePage:
    """C24: each item's due date (formation + 20 working days, 7 for 许可) and its status."""
    rows = request.app.state.service.disclosure.due(code)
    return DuePage(total=len(rows), limit=limit, offset=offset, items=rows[offset : offset + limit])


@router.get("/disclosure/overdue", name="disclosure_overdue", response_model=DuePage)
def disclosure_overdue(request: Request, limit: Limit = 50, offset: Offset = 0) -> DuePage:
    """Every project's items past their due date with no standing publication (for the dashboard),
    the longest overdue first.
    """
    rows = request.app.state.service.disclosure.overdue()
    return DuePage(total=len(rows), limit=limit, offset=offset, items=rows[offset : offset + limit])


@router.post("/projects/{code}/disclosure/draft", name="draft_disclosure", response_model=DisclosureVersion)
def draft_disclosure(request: Request, code: ProjectCode) -> DisclosureVersion:
    """Build or rebuild the draft from the archive as it stands now."""
    return request.app.state.service.disclosure.draft(code, principal_of(request).username)


@router.post("/projects/{code}/disclosure/redactions", name="add_disclosure_redaction",
             response_model=DisclosureVersion)
def add_disclosure_redaction(request: Request, code: ProjectCode, body: RedactionRequest) -> DisclosureVersion:
    """Hide a text wherever it appears in the draft."""
    return request.app.state.service.disclosure.add_redaction(code, body.text, body.reason,
                                                              principal_of(request).username)


@router.post("/projects/{code}/disclosure/withheld", name="withhold_disclosure_item", response_model=DisclosureVersion)
def withhold_disclosure_item(request: Request, code: ProjectCode, body: WithholdRequest) -> DisclosureVersion:
    """Keep an item out of publication with a reason (no reason: publish it again)."""
    return request.app.state.service.disclosure.withhold(code, body.item, body.reason, principal_of(request).username)


def _step_route(action: str, route_name: str) -> None:
    def take_step(request: Request, code: ProjectCode, number: Number, body: StepRequest | None = None) -> DisclosureVersion:
        reason = body.reason if body else None
        return request.app.state.service.disclosure.act(code, number, action, principal_of(request).username, reason)

    take_step.__doc__ = f"Workflow step `{action}` on one version (see disclosure/workflow.py)."
    router.add_api_route(f"/projects/{{code}}/disclosure/{{number}}/{action}", take_step, methods=["POST"],
                         name=route_name, response_model=DisclosureVersion)


for _action, _name in STEPS.items():
    _step_route(_action, _name)


@router.get("/projects/{code}/disclosure/{number}/files/{name}", name="disclosure_file",
            responses={200: {"content": {media: {} for media in MEDIA.values()}}})
def disclosure_file(request: Request, code: ProjectCode, number: Number, name: FileName) -> Response:
    """One file of a version's package: a published version's stored bytes (sha256 checked), any
    other version rendered now and marked 草稿.
    """
    files, _content, _meta = request.app.state.service.disclosure.package(code, number)
    audit(request, VIEW, code, version=number, file=name.value)
    return Response(files[name.value], media_type=media_type(name.value),
                    headers={"content-disposition": f'inline; filename="{name.value}"'})
