"""Finding catalog rows the way people name them: a document by its id or a unique id prefix."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog.models import Document
from core.errors import DocumentNotFound


def find_document(session: Session, doc_id: str) -> Document:
    """The document with this id, or the only one whose id starts with it (ids are long to type)."""
    doc = session.get(Document, doc_id)
    if doc is not None:
        return doc
    matches = session.scalars(select(Document).where(Document.id.startswith(doc_id)).limit(2)).all()
    if len(matches) != 1:
        raise DocumentNotFound(f"no document with id {doc_id!r}", doc_id=doc_id)
    return matches[0]
