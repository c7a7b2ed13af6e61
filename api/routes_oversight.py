"""Oversight over HTTP for auditors (auditors and admins only: ``audit_read`` in the permission table).

JSON: the report contract, the facts with their evidence (what issue 18 builds on), the agency-wide
scan, corrections, and the 审计底稿 as XLSX. Every call is on the audit trail with the client.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from api.auditing import audit
from api.routes_documents import ERRORS, ProjectCode, content_disposition
from api.security import principal_of
from core.oversight import OversightAction
from schemas.oversight import AgencyOverview, Correction, OversightReport, ProjectFacts

router = APIRouter(prefix="/api", responses=ERRORS)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CorrectionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"document_id": "4e518054cf7be33b", "name": "contract_price", "value": "12864500.00",
         "reason": "合同第3页大写金额为准，OCR 误读小写"},
        {"name": "approved_budget", "value": "15000000", "reason": "概算批复见纸质档案第2卷"}]})

    document_id: Annotated[str | None, Field(default=None, pattern=r"^[0-9a-fA-F]{4,32}$")] = None
    name: str = Field(pattern=r"^[a-z][a-z_]{0,63}$", description="fact name (with a document) or ledger key",
                      examples=["contract_price"])
    value: str | float | None = Field(default=None, description="the correct value; null withdraws it")
    reason: str = Field(min_length=2, max_length=2000)


@router.get("/projects/{code}/oversight", name="project_oversight", response_model=OversightReport,
            tags=["oversight"])
def project_oversight(request: Request, code: ProjectCode) -> OversightReport:
    """The project's money chain, change ledger and red flags (the same JSON as `jiandang oversight --json`)."""
    report = request.app.state.service.oversight.report(code, None)
    audit(request, OversightAction.VIEW, code, flags=len(report.flags))
    return report


@router.get("/projects/{code}/oversight/facts", name="project_facts", response_model=ProjectFacts,
            tags=["oversight"])
def project_facts(request: Request, code: ProjectCode) -> ProjectFacts:
    """Every fact read from the project's documents, each with its page, passage and confidence."""
    facts = request.app.state.service.oversight.facts(code, None)
    audit(request, OversightAction.FACTS, code, documents=len(facts.documents))
    return facts


@router.post("/projects/{code}/oversight/corrections", name="add_oversight_correction", response_model=Correction,
             status_code=201, tags=["oversight"])
def add_oversight_correction(request: Request, code: ProjectCode, body: CorrectionRequest) -> Correction:
    """Override an extracted value (or a ledger line) with a reason; the extracted value is kept."""
    who = principal_of(request).username
    correction = request.app.state.service.oversight.correct(code, body.document_id, body.name, body.value,
                                                             body.reason, who)
    audit(request, OversightAction.CORRECT, code, document_id=body.document_id, name=body.name,
          value=str(correction.value), reason=body.reason, correction_id=correction.id)
    return correction


@router.get("/projects/{code}/oversight/workpaper", name="oversight_workpaper", tags=["oversight"],
            responses={200: {"content": {XLSX: {}}, "description": "the 审计底稿 (XLSX)"}})
def oversight_workpaper(request: Request, code: ProjectCode) -> Response:
    """The project's 审计底稿: 资金链台账, 变更签证, 疑点清单, 合同, 事实与出处, 绩效指标."""
    buffer = io.BytesIO()
    request.app.state.service.oversight.workpaper(code, buffer, None)
    audit(request, OversightAction.EXPORT, code, format="xlsx")
    name = f"审计底稿-{code}-{date.today().isoformat()}.xlsx"
    return Response(buffer.getvalue(), media_type=XLSX,
                    headers={"Content-Disposition": content_disposition("attachment", name)})


@router.get("/oversight", name="agency_oversight", response_model=AgencyOverview, tags=["oversight"])
def agency_oversight(request: Request) -> AgencyOverview:
    """Every project's flags, splitting across projects (C10) and the per-contractor view."""
    result = request.app.state.service.oversight.agency(None)
    audit(request, OversightAction.AGENCY, None, projects=result.projects, flags=len(result.flags))
    return result
