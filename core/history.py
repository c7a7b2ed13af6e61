"""The event log: every action on a document becomes an append-only row."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from core.catalog.models import Event


def now() -> datetime:
    return datetime.now(UTC)


class EventKind:
    RECEIVED = "received"
    RECEIVED_AGAIN = "received_again"
    CONVERTED = "converted"
    CLASSIFIED = "classified"
    QUARANTINED = "quarantined"
    INDEXED = "indexed"
    RECOVERED = "recovered"


def record(session: Session, document_id: str | None, kind: str, **detail: Any) -> None:
    session.add(Event(document_id=document_id, kind=kind, at=now(), detail=detail))
