"""Mapping storage records to the public shapes of ``schemas`` (the boundary of core)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import Document, DocumentText, Event, Receipt
from schemas import meta as M
from schemas.documents import (
    Classification,
    DocumentRecord,
    EventRecord,
    ExtractedFields,
    ReceiptRecord,
)
from schemas.search import SearchHit
from search import ScoredHit


def document_record(session: Session, doc: Document) -> DocumentRecord:
    text = session.get(DocumentText, doc.id)
    events = session.scalars(select(Event).where(Event.document_id == doc.id).order_by(Event.id)).all()
    receipts = session.scalars(select(Receipt).where(Receipt.document_id == doc.id).order_by(Receipt.id)).all()
    return DocumentRecord(
        id=doc.id,
        sha256=doc.sha256,
        size=doc.size,
        original_name=doc.original_name,
        format=doc.format,
        project=doc.project.code,
        status=doc.status,
        quarantine_reason=doc.quarantine_reason,
        title=doc.title,
        pages=doc.pages,
        text_chars=len(text.content) if text else 0,
        text_status=doc.text_status,
        superseded_by=doc.superseded_by,
        reading=reading_summary(doc.reading),
        fields=ExtractedFields.model_validate(doc.fields or {}),
        classification=Classification(
            class_code=doc.class_code,
            item_code=doc.item_code,
            doc_type=doc.doc_type,
            confidence=doc.confidence,
            reasons=list(doc.reasons or []),
            needs_review=doc.needs_review,
        ),
        received_at=doc.received_at,
        receipts=[
            ReceiptRecord(at=r.received_at, source=r.source, source_path=r.source_path, outcome=r.outcome)
            for r in receipts
        ],
        events=[EventRecord(at=e.at, kind=e.kind, detail=e.detail or {}) for e in events],
    )


def reading_summary(reading: dict[str, Any] | None) -> dict[str, Any]:
    """What the converters found beside the text, without the OCR line boxes (kept in the catalog)."""
    if not reading:
        return {}
    summary = dict(reading)
    ocr = summary.get(M.OCR)
    if isinstance(ocr, dict) and isinstance(ocr.get("pages"), list):
        pages = [{"page": page.get("page"), "confidence": page.get("confidence")} for page in ocr["pages"]]
        summary[M.OCR] = {**ocr, "pages": pages}
    return summary


def search_hit(hit: ScoredHit) -> SearchHit:
    meta = hit.document.meta
    return SearchHit(
        id=hit.document.id,
        title=meta.get(M.TITLE),
        original_name=meta.get(M.ORIGINAL_NAME),
        project=meta.get(M.PROJECT),
        class_code=meta.get(M.CLASS_CODE),
        score=round(float(hit.score), 4),
        highlights=list(hit.highlights),
    )
