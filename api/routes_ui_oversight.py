"""The oversight pages for auditors: a project's money chain (waterfall, change curve, ledger with
sources and corrections, flags linked to their evidence), a document with the passages marked,
and the agency-wide flags page. Auditors and admins only; every view is audited.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auditing import audit
from api.oversight_charts import change_curve, marked_pages, waterfall
from api.routes_ui import page
from api.security import principal_of
from core.errors import ArchiveError
from core.oversight import OversightAction
from oversight.labels import DISCLAIMER, LEDGER_LABELS, SEVERITY_ZH, yuan

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
Code = Annotated[str, Path(max_length=64)]
DocId = Annotated[str, Path(pattern=r"^[0-9a-fA-F]{4,32}$")]


def _common(**context: object) -> dict[str, object]:
    return {"severity_zh": SEVERITY_ZH, "yuan": yuan, "disclaimer": DISCLAIMER, **context}


@router.get("/oversight", name="ui_oversight")
def ui_oversight(request: Request) -> Response:
    result = request.app.state.service.oversight.agency(None)
    audit(request, OversightAction.AGENCY, None, projects=result.projects, flags=len(result.flags), via_ui=True)
    titles = request.app.state.service.oversight.titles(None)
    return page(request, "oversight_agency.html", **_common(result=result, titles=titles))


@router.get("/projects/{code}/oversight", name="ui_project_oversight")
def ui_project_oversight(request: Request, code: Code, error: str = "") -> Response:
    room = request.app.state.service.oversight
    detail = room.detail(code, None)
    audit(request, OversightAction.VIEW, code, flags=len(detail.report.flags), via_ui=True)
    titles = room.titles(code)
    approval_line = room.rulebook.checks.checks["C12"].params["ratio"]
    return page(request, "oversight_project.html", **_common(
        detail=detail, report=detail.report, titles=titles, chart=waterfall(detail),
        curve=change_curve(detail, approval_line), ledger_keys=LEDGER_LABELS, error=error[:300]))


@router.get("/projects/{code}/oversight/documents/{doc_id}", name="ui_oversight_evidence")
def ui_oversight_evidence(request: Request, code: Code, doc_id: DocId) -> Response:
    facts, text, name = request.app.state.service.oversight.evidence(code, doc_id, None)
    audit(request, OversightAction.EVIDENCE, doc_id, project=code, via_ui=True)
    return page(request, "oversight_evidence.html", **_common(
        code=code, doc_id=doc_id, name=name, facts=facts, pages=marked_pages(text, facts)))


@router.post("/projects/{code}/oversight/corrections", name="ui_oversight_correct")
def ui_oversight_correct(request: Request, code: Code, name: Annotated[str, Form(max_length=64)],
                         value: Annotated[str, Form(max_length=200)], reason: Annotated[str, Form(max_length=2000)],
                         document_id: Annotated[str, Form(max_length=32)] = "") -> Response:
    who = principal_of(request).username
    target = f"/projects/{quote(code)}/oversight"
    try:
        correction = request.app.state.service.oversight.correct(code, document_id or None, name, value, reason, who)
    except ArchiveError as exc:
        return RedirectResponse(f"{target}?error={quote(exc.message)}#ledger", status_code=303)
    audit(request, OversightAction.CORRECT, code, document_id=document_id or None, name=name,
          value=str(correction.value), reason=reason, correction_id=correction.id)
    return RedirectResponse(f"{target}#ledger", status_code=303)
