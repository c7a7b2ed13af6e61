"""The event log: every action on a document becomes an append-only row."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
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


def record_many(session: Session, kind: str, details: dict[str, dict[str, Any]],
                at: datetime | None = None) -> None:
    """One ``kind`` event per document (``details``: document id → detail), in one executemany.

    A handover or a reindex batch adds thousands of rows at once; as ORM objects they cost
    seconds of unit-of-work bookkeeping that a plain insert does not. ``at`` defaults to now.
    """
    if details:
        at = at or now()
        session.execute(insert(Event), [{"document_id": doc_id, "kind": kind, "at": at, "detail": detail}
                                        for doc_id, detail in details.items()])
