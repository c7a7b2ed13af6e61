"""Filing: a project's completeness and correcting a document's class (the review queue is
``GET /api/documents?needs_review=true``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from api.auditing import audit
from api.routes_documents import ERRORS, DocId
from api.security import principal_of
from core.audit import AuditAction
from schemas.completeness import CompletenessReport
from schemas.documents import Classification

router = APIRouter(prefix="/api", responses=ERRORS)


class Reclassify(BaseModel):
    class_code: str = Field(min_length=1, max_length=8, examples=["C2"])
    item_code: str | None = Field(default=None, max_length=16, examples=["C2-3"])


@router.get("/projects/{code}/completeness", name="project_completeness", response_model=CompletenessReport,
            tags=["projects"])
def project_completeness(request: Request, code: Annotated[str, Path(max_length=64)]) -> CompletenessReport:
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
