"""Appending to the audit trail from a request: who (the principal), what, on what, from where."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from api.security import client_of


def audit(request: Request, action: str, target: str | None = None, *, actor: str | None = None,
          **detail: Any) -> None:
    who, context = _who(request, actor)
    request.app.state.service.audit.append(who, action, target, **{**context, **detail, **client_of(request)})


def audit_all(request: Request, entries: list[tuple[str, str | None, dict[str, Any]]]) -> None:
    """Several entries (action, target, detail) of one request in one commit: a bulk action on a
    thousand documents writes its thousand entries at once, not a thousand fsyncs one by one.
    """
    who, context = _who(request, None)
    where = client_of(request)
    request.app.state.service.audit.append_many(
        [(who, action, target, {**context, **detail, **where}) for action, target, detail in entries])


def _who(request: Request, actor: str | None) -> tuple[str, dict[str, Any]]:
    principal = getattr(request.state, "principal", None)
    who = actor or (principal.username if principal else "anonymous")
    return who, ({"via": principal.via} if principal is not None else {})
