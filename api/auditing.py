"""Appending to the audit trail from a request: who (the principal), what, on what, from where."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from api.security import client_of


def audit(request: Request, action: str, target: str | None = None, *, actor: str | None = None,
          **detail: Any) -> None:
    principal = getattr(request.state, "principal", None)
    who = actor or (principal.username if principal else "anonymous")
    if principal is not None:
        detail.setdefault("via", principal.via)
    request.app.state.service.audit.append(who, action, target, **detail, **client_of(request))
