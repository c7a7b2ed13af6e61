"""Overview pages: 首页 (dashboard), 统计报表, the audit trail an auditor can read, and the quarantine desk."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.auditing import audit
from api.browse_params import typed_date
from api.downloads import xlsx_response
from api.pages import HEX_ID, display_names, page
from core.security.audit import AuditAction
from schemas.workbench import WatchNote

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
AUDIT_PAGE = 50
AUDIT_EXPORT_LIMIT = 100_000


def watch_notes(service) -> list[WatchNote]:  # type: ignore[no-untyped-def]
    """The watched shares' job counts (``jiandang status``'s) for the dashboard."""
    return [WatchNote(path=root, **counts.model_dump()) for root, counts in service.status().roots.items()]


@router.get("/", name="ui_home")
def ui_home(request: Request) -> Response:
    service = request.app.state.service
    board = service.dashboard(watch_notes(service))  # counted once per catalog generation and day
    projects = [p for p in service.list_projects() if p.kind == "project"]
    return page(request, "dashboard.html", board=board, projects=projects, tray=service.settings.default_project,
                inbox=str(service.settings.inbox_path), fixity=service.safekeeping.fixity_status(),
                overdue=service.overdue_disclosures())


@router.get("/statistics", name="ui_statistics")
def ui_statistics(request: Request) -> Response:
    return page(request, "statistics.html", report=request.app.state.service.workbench.statistics())


@router.get("/statistics.xlsx", name="ui_statistics_export", response_class=FileResponse)
def ui_statistics_export(request: Request) -> FileResponse:
    service = request.app.state.service
    audit(request, "statistics.export", None, what="statistics")
    return xlsx_response("统计报表", service.clock.now(), service.workbench.statistics_xlsx)


def _audit_filters(actor: str, action: str, document: str, date_from: str, date_to: str) -> dict[str, object]:
    return {"actor": actor.strip() or None, "action": action or None, "target": document.strip() or None,
            "date_from": typed_date(date_from), "date_to": typed_date(date_to)}


AuditText = Annotated[str, Query(max_length=128)]
AuditDate = Annotated[str, Query(max_length=10)]


@router.get("/audit", name="ui_audit")
def ui_audit(request: Request, actor: AuditText = "", action: AuditText = "", document: AuditText = "",
             date_from: AuditDate = "", date_to: AuditDate = "",
             offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> Response:
    service = request.app.state.service
    filters = _audit_filters(actor, action, document, date_from, date_to)
    view = service.workbench.audit(**filters, limit=AUDIT_PAGE, offset=offset, names=_names(service))
    shown = {"actor": actor, "action": action, "document": document, "date_from": date_from, "date_to": date_to}
    return page(request, "audit.html", view=view, **shown, here=urlencode({k: v for k, v in shown.items() if v}),
                actions=service.catalogue.actions, people=sorted(_names(service)), verified=None)


@router.get("/audit/verify", name="ui_audit_verify")
def ui_audit_verify(request: Request) -> Response:
    """Walk the hash chain and show the result above the first page of the trail."""
    service = request.app.state.service
    report = service.audit.verify()
    audit(request, AuditAction.AUDIT_VERIFY, None, valid=report.valid, checked=report.checked)
    view = service.workbench.audit(limit=AUDIT_PAGE, names=_names(service))
    return page(request, "audit.html", view=view, actor="", action="", document="", date_from="", date_to="",
                here="", actions=service.catalogue.actions, people=sorted(_names(service)), verified=report)


@router.get("/audit.xlsx", name="ui_audit_export", response_class=FileResponse)
def ui_audit_export(request: Request, actor: AuditText = "", action: AuditText = "", document: AuditText = "",
                    date_from: AuditDate = "", date_to: AuditDate = "") -> FileResponse:
    service = request.app.state.service
    filters = _audit_filters(actor, action, document, date_from, date_to)
    view = service.workbench.audit(**filters, limit=AUDIT_EXPORT_LIMIT, names=_names(service))
    audit(request, "audit.export", None, what="audit", rows=len(view.items),
          filters={k: str(v) for k, v in filters.items() if v})
    return xlsx_response("审计日志", service.clock.now(), lambda path: service.workbench.audit_xlsx(path, view))


def _names(service) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return display_names(service)


@router.get("/quarantine", name="ui_quarantine")
def ui_quarantine(request: Request, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                  reread: Annotated[str | None, Query(pattern=HEX_ID.pattern)] = None) -> Response:
    service = request.app.state.service
    return page(request, "quarantine.html", desk=service.workbench.quarantine(limit=50, offset=offset),
                reread=_reread_outcome(service, reread))


def _reread_outcome(service, doc_id: str | None):  # type: ignore[no-untyped-def]
    """The document just read again (its name, whether it is still quarantined and why), for the desk's notice."""
    if doc_id is None:
        return None
    try:
        return service.show(doc_id)
    except Exception:  # gone meanwhile (merged, dismissed): no notice rather than an error page
        return None
