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


def record_many(session: Session, kind: str, details: dict[str, dict[str, Any]]) -> None:
    """One ``kind`` event per document (``details``: document id → detail), in one executemany.

    A handover of 10,000 documents adds 10,000 rows at once; as ORM objects they cost the export
    half a second of unit-of-work bookkeeping that a plain insert does not.
    """
    if details:
        at = now()
        session.execute(insert(Event), [{"document_id": doc_id, "kind": kind, "at": at, "detail": detail}
                                        for doc_id, detail in details.items()])
