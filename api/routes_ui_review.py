"""Web UI pages for filing work: the review queue (accept / correct a class) and the handover export.

Forms post back here (CSRF-checked by ``authorize``) and redirect, so a reload never repeats a
decision. The work itself is the same service call the API makes, audited the same way.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auditing import audit
from api.handover_tasks import start_handover
from api.routes_ui import page, safe_next
from api.security import principal_of
from core.errors import NotFound
from core.security.audit import AuditAction

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
DocId = Annotated[str, Path(pattern=r"^[0-9a-fA-F]{4,32}$")]
ProjectCode = Annotated[str, Path(min_length=1, max_length=64)]
PAGE = 50


@router.get("/projects/{code}/review", name="ui_review")
def ui_review(request: Request, code: ProjectCode, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> Response:
    service = request.app.state.service
    summary = next((p for p in service.list_projects() if p.code == code), None)
    if summary is None:
        raise NotFound(f"没有项目 {code!r}", project=code)
    queue = service.review_queue(code, limit=PAGE, offset=offset)
    return page(request, "review.html", project=summary, queue=queue, subclasses=service.filing_subclasses())


def _back(next_url: str | None, project: str | None) -> RedirectResponse:
    fallback = f"/projects/{project}/review" if project else "/projects"
    target = safe_next(next_url) if next_url else fallback
    return RedirectResponse(target, status_code=303)


@router.post("/documents/{doc_id}/accept", name="ui_accept")
def ui_accept(request: Request, doc_id: DocId, next: Annotated[str | None, Form(max_length=500)] = None) -> Response:
    service = request.app.state.service
    verdict = service.accept_classification(doc_id, principal_of(request).username)
    record = service.show(doc_id)
    audit(request, AuditAction.RECLASSIFY, record.id, accepted=True, class_code=verdict.class_code,
          item_code=verdict.item_code, ui=True)
    return _back(next, record.project)


@router.post("/documents/{doc_id}/classification", name="ui_reclassify")
def ui_reclassify(request: Request, doc_id: DocId, class_code: Annotated[str, Form(min_length=1, max_length=8)],
                  item_code: Annotated[str, Form(max_length=16)] = "",
                  next: Annotated[str | None, Form(max_length=500)] = None) -> Response:
    service = request.app.state.service
    service.reclassify(doc_id, class_code, item_code.strip() or None, who=principal_of(request).username)
    record = service.show(doc_id)
    audit(request, AuditAction.RECLASSIFY, record.id, class_code=class_code, item_code=item_code or None, ui=True)
    return _back(next, record.project)


@router.post("/projects/{code}/handover", name="ui_handover")
def ui_handover(request: Request, code: ProjectCode) -> Response:
    task = start_handover(request, code)
    return RedirectResponse(f"/tasks/{task.id}", status_code=303)
