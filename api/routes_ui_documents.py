"""The document page and what an archivist does from it: preview, edit the record, move, read again,
set aside as "not an archive document"; and bulk actions on a selection of documents.

Every change posts back here (CSRF-checked by ``authorize``), calls one method of the service's
project desk, goes on the audit trail, and redirects, so a reload never repeats it.
"""

from __future__ import annotations

import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from api.auditing import audit, audit_all
from api.browse_params import typed_date
from api.downloads import xlsx_response
from api.pages import HEX_ID, display_names, page, safe_next
from api.security import principal_of
from core.browsing.previews import png_of, preview_kind
from core.errors import ArchiveError, DocumentNotFound, InputError, PermissionDenied
from core.security.accounts import allowed
from core.security.audit import AuditAction
from schemas.api import Permission
from schemas.projects import BulkReport, DocumentEdit

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
AnyId = Annotated[str, Path(max_length=64)]
Reason = Annotated[str, Form(max_length=500)]
PARTY_ROWS = 6


def document_id(raw: str) -> str:
    """A mistyped id is "no such document" (404), whatever characters it has."""
    if not HEX_ID.match(raw):
        raise DocumentNotFound(f"no document with id {raw!r}", doc_id=raw)
    return raw.lower()


@router.get("/documents/{doc_id}", name="ui_document")
def ui_document(request: Request, doc_id: AnyId) -> Response:
    service = request.app.state.service
    record = service.show(document_id(doc_id))
    audit(request, AuditAction.DOCUMENT_VIEW, record.id, ui=True)
    similar = []
    if record.status == "processed":
        with contextlib.suppress(ArchiveError):  # a document not in the index yet still has its page
            similar = service.more_like_this(record.id, limit=5).hits
    workbench = service.workbench
    summary = service.projects.summary(record.project)
    quarantine_code = next((e.detail.get("code") for e in reversed(record.events) if e.kind == "quarantined"), None)
    return page(request, "document.html", doc=record, quarantine_code=quarantine_code, similar=similar, project=summary,
                placement=workbench.placement(record.project, record.id), history=workbench.history(record),
                usage=workbench.usage(record.id, display_names(service)), preview=preview_kind(record.format, record.status, record.size),
                projects=[p for p in service.list_projects() if p.code != record.project],
                catalogue=service.catalogue, party_rows=PARTY_ROWS, subclasses=service.filing_subclasses())


@router.get("/documents/{doc_id}/preview", name="ui_preview")
def ui_preview(request: Request, doc_id: AnyId) -> Response:
    """The original rendered for the page's preview frame (DOCX/XLSX/text as HTML, images as they are)."""
    service = request.app.state.service
    record = service.show(document_id(doc_id))
    audit(request, "document.preview", record.id, ui=True)
    kind = preview_kind(record.format, record.status, record.size)
    rendered = service.workbench.preview(record.id)[0] if kind == "html" else None
    return page(request, "preview.html", doc=record, kind=kind, rendered=rendered)


@router.get("/documents/{doc_id}/preview.png", name="ui_preview_image", response_class=Response)
def ui_preview_image(request: Request, doc_id: AnyId) -> Response:
    """A TIFF scan as PNG (browsers show no TIFF); other images are served as they are."""
    service = request.app.state.service
    found = service.original(document_id(doc_id))
    if found.name.lower().endswith((".tif", ".tiff")):
        return Response(png_of(found.path), media_type="image/png",
                        headers={"Content-Security-Policy": "sandbox", "X-Content-Type-Options": "nosniff"})
    return FileResponse(found.path, media_type=found.media_type,
                        headers={"Content-Security-Policy": "sandbox", "X-Content-Type-Options": "nosniff"})


@router.post("/documents/{doc_id}/edit", name="ui_edit_document")
async def ui_edit_document(request: Request, doc_id: AnyId) -> Response:
    """Correct the record: only fields that differ from what the form was given change; a reason is required."""
    form = await request.form()
    service = request.app.state.service
    record = service.show(document_id(doc_id))

    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    parties = {text(f"party_role_{n}"): text(f"party_name_{n}") for n in range(PARTY_ROWS)}
    changes = DocumentEdit(
        title=text("title") or None, doc_date=typed_date(text("doc_date")), number=text("number"),
        amount=_amount(text("amount")), parties={k: v for k, v in parties.items() if k and v},
        retention=text("retention"), secrecy=text("secrecy"),
    )
    given = {k: v for k, v in changes.model_dump().items() if v != _current(record, k)}
    report = service.projects.edit(record.id, DocumentEdit.model_validate(given), text("reason"),
                                   principal_of(request).username)
    audit(request, "document.edit", record.id, changed=report.changed, reason=text("reason"))
    return RedirectResponse(f"/documents/{record.id}", status_code=303)


def _current(record, field: str) -> object:  # type: ignore[no-untyped-def]
    fields = record.fields
    return {"title": record.title, "doc_date": fields.date, "number": fields.number or "", "amount": fields.amount,
            "parties": fields.parties, "retention": record.retention or "", "secrecy": record.secrecy or ""}[field]


def _amount(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace("，", "")) if text else None
    except ValueError:
        raise InputError(f"amount {text!r} is not a number", amount=text) from None


@router.post("/documents/{doc_id}/move", name="ui_move_document")
def ui_move_document(request: Request, doc_id: AnyId, to: Annotated[str, Form(min_length=1, max_length=64)],
                     reason: Reason = "") -> Response:
    service = request.app.state.service
    report = service.projects.move([document_id(doc_id)], to, principal_of(request).username, reason or None)
    for moved in report.moved:
        audit(request, "document.move", moved, to=report.to, reason=reason or None)
    return RedirectResponse(f"/documents/{document_id(doc_id)}", status_code=303)


@router.post("/documents/{doc_id}/reread", name="ui_reread")
def ui_reread(request: Request, doc_id: AnyId, next: Annotated[str | None, Form(max_length=500)] = None) -> Response:
    service = request.app.state.service
    line = service.reread(document_id(doc_id))
    audit(request, "document.reread", line.document_id, outcome=line.status.value)
    if next == "/quarantine":  # the desk says what came of it: the row is gone or still there, with no word why
        return RedirectResponse(f"/quarantine?reread={line.document_id}", status_code=303)
    return RedirectResponse(safe_next(next) if next else f"/documents/{line.document_id}", status_code=303)


@router.post("/documents/{doc_id}/dismiss", name="ui_dismiss")
def ui_dismiss(request: Request, doc_id: AnyId, reason: Reason = "",
               next: Annotated[str | None, Form(max_length=500)] = None) -> Response:
    service = request.app.state.service
    report = service.projects.dismiss(document_id(doc_id), principal_of(request).username, reason or None)
    audit(request, "document.dismiss", document_id(doc_id), to=report.to, reason=reason or None)
    return RedirectResponse(safe_next(next) if next else "/quarantine", status_code=303)


BULK_ACTIONS = ("reclassify", "move", "accept", "retention", "export")


@router.post("/bulk", name="ui_bulk", response_model=None)
async def ui_bulk(request: Request) -> Response:
    """One action on the ticked documents: 更正类别, 移到项目, 确认归类, 设置保管期限, or 导出目录 (XLSX)."""
    form = await request.form()
    service = request.app.state.service
    who = principal_of(request).username
    ids = [document_id(v) for v in form.getlist("doc") if isinstance(v, str)][:1000]
    action = str(form.get("action") or "")
    back = safe_next(str(form.get("next") or "/documents"))
    if not ids:
        raise InputError("tick at least one document", documents="")
    if action not in BULK_ACTIONS:
        raise InputError(f"unknown bulk action {action!r}", field="action")
    if action == "export":
        audit(request, AuditAction.EXPORT, None, what="selection", rows=len(ids), documents=ids[:50])
        base = str(request.base_url).rstrip("/") + "/documents"
        return xlsx_response("文件目录", service.clock.now(),
                             lambda path: service.workbench.selection_xlsx(path, ids, base))
    _require_role(request, action)
    report = _apply(request, service, action, ids, form, who)
    return page(request, "bulk_done.html", action=action, done=len(report.done), skipped=len(report.skipped),
                back=back)


def _require_role(request: Request, action: str) -> None:
    """Exporting a list is reading; every other bulk action changes records (the reclassify permission)."""
    if not allowed(principal_of(request).role, Permission.RECLASSIFY):
        raise PermissionDenied(f"the bulk action {action} needs the reclassify permission", permission="reclassify")


def _apply(request: Request, service, action: str, ids: list[str], form, who: str) -> BulkReport:  # type: ignore[no-untyped-def]
    """The whole selection in one commit (``ArchiveService.bulk``); then one audit entry per document
    changed, all in one commit of the audit trail.
    """
    value = str(form.get(action) or form.get("value") or "").strip()
    reason = str(form.get("reason") or "").strip() or "批量操作"
    report = service.bulk(action, ids, value, reason, who)
    entries: list[tuple[str, str | None, dict[str, Any]]] = []
    for doc_id in report.done:
        detail = report.details.get(doc_id, {})
        if action == "move":
            entries.append(("document.move", doc_id, {"to": detail.get("to"), "reason": reason, "bulk": True}))
        elif action == "retention":
            entries.append(("document.edit", doc_id, {"changed": detail.get("changed"), "reason": reason, "bulk": True}))
        else:
            accepted = {"accepted": True} if action == "accept" else {}
            entries.append((AuditAction.RECLASSIFY, doc_id, {**accepted, **detail, "ui": True, "bulk": True}))
    if entries:
        audit_all(request, entries)
    return report
