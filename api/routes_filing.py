"""Filing: a project's completeness, its review queue, and accepting or correcting a document's class."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from api.auditing import audit
from api.routes_documents import ERRORS, DocId, Limit, Offset, ProjectCode
from api.security import principal_of
from core.security.audit import AuditAction
from schemas.api import DocumentPage
from schemas.completeness import CompletenessReport
from schemas.documents import Classification

router = APIRouter(prefix="/api", responses=ERRORS)


class Reclassify(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"class_code": "C2", "item_code": "C2-3"},
                                                              {"class_code": "none"}]})

    class_code: str = Field(min_length=1, max_length=8, examples=["C2"])
    item_code: str | None = Field(default=None, max_length=16, examples=["C2-3"])


@router.get("/projects/{code}/completeness", name="project_completeness", response_model=CompletenessReport,
            tags=["projects"])
def project_completeness(request: Request, code: ProjectCode) -> CompletenessReport:
    """What the project's archive has and lacks (present / missing / not_applicable / waived)."""
    return request.app.state.service.completeness(code)


@router.post("/documents/{doc_id}/classification", name="reclassify_document", response_model=Classification,
             tags=["documents"])
def reclassify_document(request: Request, doc_id: DocId, body: Reclassify) -> Classification:
    """Correct (or confirm) where a document is filed. Audited."""
    who = principal_of(request).username
    verdict = request.app.state.service.reclassify(doc_id, body.class_code, body.item_code, who=who)
    audit(request, AuditAction.RECLASSIFY, doc_id, class_code=body.class_code, item_code=body.item_code)
    return verdict


@router.get("/projects/{code}/review", name="project_review_queue", response_model=DocumentPage, tags=["projects"])
def project_review_queue(request: Request, code: ProjectCode, limit: Limit = 50, offset: Offset = 0) -> DocumentPage:
    """The review queue: the project's documents flagged for review or not filed, least confident first."""
    return request.app.state.service.review_queue(code, limit, offset)


@router.post("/documents/{doc_id}/accept", name="accept_classification", response_model=Classification,
             tags=["documents"])
def accept_classification(request: Request, doc_id: DocId) -> Classification:
    """Confirm a document's filing as it stands (it leaves the review queue). Audited."""
    who = principal_of(request).username
    verdict = request.app.state.service.accept_classification(doc_id, who)
    audit(request, AuditAction.RECLASSIFY, doc_id, accepted=True, class_code=verdict.class_code,
          item_code=verdict.item_code)
    return verdict
