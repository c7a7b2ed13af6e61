"""Who is calling, and may they? Permissions are enforced here and nowhere else.

Every router is mounted with ``Depends(authorize)``. ``authorize`` looks up the matched route's
name in :data:`ROUTE_PERMISSIONS` (the single table of route → permission), resolves the caller
from ``Authorization: Bearer`` or the session cookie, checks the role, and for cookie-authenticated
unsafe requests checks the CSRF token. A route missing from the table is refused (fail closed);
the permissions-matrix test also checks the table covers every route.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import AuthenticationFailed, PermissionDenied, TooLarge
from core.security.accounts import allowed
from schemas.api import Permission, Principal

SESSION_COOKIE = "jd_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
PUBLIC = None  # marker: no login needed

ROUTE_PERMISSIONS: dict[str, Permission | None] = {
    # API
    "health": PUBLIC,
    "me": Permission.READ,
    "list_documents": Permission.READ,
    "get_document": Permission.READ,
    "document_history": Permission.READ,
    "download_original": Permission.DOWNLOAD,
    "search_documents": Permission.READ,
    "list_projects": Permission.READ,
    "project_completeness": Permission.READ,
    "reclassify_document": Permission.RECLASSIFY,
    "upload_files": Permission.UPLOAD,
    "task_status": Permission.READ,  # and only the task's owner (or an admin): api/handover_tasks.own_task
    "project_review_queue": Permission.READ,
    "accept_classification": Permission.RECLASSIFY,
    "start_handover": Permission.EXPORT,
    "download_handover": Permission.EXPORT,
    "export_search": Permission.READ,
    "similar_documents": Permission.READ,
    "list_saved_searches": Permission.READ,
    "save_search": Permission.READ,  # an auditor's working note, not an archive record
    "run_saved_search": Permission.READ,
    "remove_saved_search": Permission.READ,  # and only its author (or an admin)
    "read_audit_log": Permission.AUDIT_READ,
    "verify_audit_log": Permission.AUDIT_READ,
    "add_project": Permission.RECLASSIFY,  # changing records: the archivist's (and admin's) work
    "change_project": Permission.RECLASSIFY,
    "merge_project": Permission.RECLASSIFY,
    "project_tree": Permission.READ,
    "project_volumes": Permission.READ,
    "browse_documents": Permission.READ,
    "move_documents": Permission.RECLASSIFY,
    "edit_document": Permission.RECLASSIFY,
    "reread_document": Permission.RECLASSIFY,
    "dismiss_document": Permission.RECLASSIFY,
    "document_usage": Permission.READ,
    "quarantine_list": Permission.READ,
    "dashboard": Permission.READ,
    "statistics": Permission.READ,
    "api_docs": PUBLIC,
    "list_users": Permission.ADMIN,
    "add_user": Permission.ADMIN,
    "issue_token": Permission.ADMIN,
    "revoke_token": Permission.ADMIN,
    # web UI
    "ui_login_form": PUBLIC,
    "ui_login": PUBLIC,
    "ui_logout": Permission.READ,
    "ui_home": Permission.READ,
    "ui_search": Permission.READ,
    "ui_document": Permission.READ,
    "ui_projects": Permission.READ,
    "ui_project": Permission.READ,
    "ui_upload_form": Permission.UPLOAD,
    "ui_upload": Permission.UPLOAD,
    "ui_task": Permission.READ,  # owner only, as task_status
    "ui_review": Permission.READ,
    "ui_accept": Permission.RECLASSIFY,
    "ui_reclassify": Permission.RECLASSIFY,
    "ui_handover": Permission.EXPORT,
    "ui_save_search": Permission.READ,
    "ui_audit": Permission.AUDIT_READ,
    "ui_audit_verify": Permission.AUDIT_READ,
    "ui_audit_export": Permission.AUDIT_READ,
    "ui_statistics": Permission.READ,
    "ui_statistics_export": Permission.READ,
    "ui_quarantine": Permission.READ,
    "ui_add_project": Permission.RECLASSIFY,
    "ui_project_edit": Permission.RECLASSIFY,
    "ui_change_project": Permission.RECLASSIFY,
    "ui_merge_project": Permission.RECLASSIFY,
    "ui_volumes": Permission.READ,
    "ui_completeness": Permission.READ,
    "ui_browse": Permission.READ,
    "ui_preview": Permission.DOWNLOAD,  # shows the original's content
    "ui_preview_image": Permission.DOWNLOAD,
    "ui_edit_document": Permission.RECLASSIFY,
    "ui_move_document": Permission.RECLASSIFY,
    "ui_reread": Permission.RECLASSIFY,
    "ui_dismiss": Permission.RECLASSIFY,
    "ui_bulk": Permission.READ,  # exporting a list is reading; the changing actions check reclassify inside
    # oversight for auditors (issue 17): auditors and admins only; corrections are the auditors' own layer
    "project_oversight": Permission.AUDIT_READ,
    "project_facts": Permission.AUDIT_READ,
    "add_oversight_correction": Permission.AUDIT_READ,
    "oversight_workpaper": Permission.AUDIT_READ,
    "agency_oversight": Permission.AUDIT_READ,
    "ui_oversight": Permission.AUDIT_READ,
    "ui_project_oversight": Permission.AUDIT_READ,
    "ui_oversight_evidence": Permission.AUDIT_READ,
    "ui_oversight_correct": Permission.AUDIT_READ,
    # 阳光工程 disclosure (issue 18): anyone may read; archivists prepare, review and publish; approvers approve
    "project_disclosure": Permission.READ,
    "disclosure_history": Permission.READ,
    "disclosure_due": Permission.READ,
    "disclosure_overdue": Permission.READ,
    "disclosure_file": Permission.READ,
    "draft_disclosure": Permission.DISCLOSE,
    "add_disclosure_redaction": Permission.DISCLOSE,
    "withhold_disclosure_item": Permission.DISCLOSE,
    "review_disclosure": Permission.DISCLOSE,
    "return_disclosure": Permission.DISCLOSE,
    "publish_disclosure": Permission.DISCLOSE,
    "approve_disclosure": Permission.APPROVE,
    "retract_disclosure": Permission.APPROVE,
    "ui_disclosure": Permission.READ,
    "ui_disclosure_file": Permission.READ,
    "ui_disclosure_draft": Permission.DISCLOSE,
    "ui_disclosure_redact": Permission.DISCLOSE,
    "ui_disclosure_withhold": Permission.DISCLOSE,
    "ui_disclosure_review": Permission.DISCLOSE,
    "ui_disclosure_return": Permission.DISCLOSE,
    "ui_disclosure_publish": Permission.DISCLOSE,
    "ui_disclosure_approve": Permission.APPROVE,
    "ui_disclosure_retract": Permission.APPROVE,
}

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token_for(session_secret: str) -> str:
    """Bound to the session: a page can only post back with the token its own session was given."""
    return hmac.new(session_secret.encode(), b"jiandang-csrf", hashlib.sha256).hexdigest()[:40]


def _credentials(request: Request) -> tuple[str | None, str]:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip(), "token"
    return request.cookies.get(SESSION_COOKIE), "session"


def current_principal(request: Request) -> Principal | None:
    """The caller, or None when no credentials were sent. Bad credentials raise."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    secret, via = _credentials(request)
    if not secret:
        return None
    principal = request.app.state.service.accounts.resolve(secret)
    request.state.principal = principal
    request.state.session_secret = secret if via == "session" else None
    return principal


async def authorize(request: Request) -> None:
    route = request.scope.get("route")
    name = getattr(route, "name", None)
    if name not in ROUTE_PERMISSIONS:
        raise PermissionDenied(f"route {name!r} has no permission rule; refused")
    needed = ROUTE_PERMISSIONS[name]
    if needed is PUBLIC:
        try:
            current_principal(request)  # a logged-in user on a public page is still known
        except AuthenticationFailed:
            request.state.principal = None
        return
    principal = current_principal(request)
    if principal is None:
        raise AuthenticationFailed("sign in or send 'Authorization: Bearer <token>'")
    if not allowed(principal.role, needed):
        raise PermissionDenied(f"the role {principal.role.value!r} may not do this ({needed.value})",
                               role=principal.role.value, permission=needed.value)
    if request.method not in SAFE_METHODS and principal.via == "session":
        await _check_csrf(request)


async def _check_csrf(request: Request) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = csrf_token_for(request.state.session_secret or "")
    if not sent or not hmac.compare_digest(sent, expected):
        raise PermissionDenied("missing or wrong CSRF token; reload the page and try again")


def principal_of(request: Request) -> Principal:
    """For route bodies after ``authorize`` ran: the caller (never None on protected routes)."""
    principal = getattr(request.state, "principal", None)
    if principal is None:
        raise AuthenticationFailed("sign in first")
    return principal


def client_of(request: Request) -> dict[str, Any]:
    return {"ip": request.client.host if request.client else None,
            "agent": (request.headers.get("user-agent") or "")[:200]}


class BodySizeLimit:
    """Refuse request bodies over a limit while they stream in (Content-Length or chunked)."""

    def __init__(self, app: ASGIApp, *, upload_paths: tuple[str, ...], upload_limit: int, other_limit: int) -> None:
        self.app = app
        self.upload_paths = upload_paths
        self.upload_limit = upload_limit
        self.other_limit = other_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if scope["path"] in self.upload_paths else self.other_limit
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(f"the request body is over the limit of {limit} bytes", limit=limit)
            return message

        await self.app(scope, counted, send)


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps({"error": {"code": "too_large", "message": f"the request body is over the limit of "
                                 f"{limit} bytes", "subject": {"limit": str(limit)}}}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
