"""Keeping the search index in step with the catalog.

The index is derived data. A document is written to it only after its catalog row says
``processed``; the row's ``indexed_at`` is set after the index commit. A crash between the two
just means the document is written again (``OVERWRITE`` by its stable id), never twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from haystack import Document as IndexDocument
from haystack.document_stores.types import DuplicatePolicy
from sqlalchemy import select, update

from core.catalog import Catalog, Document, DocumentStatus, DocumentText
from core.history import EventKind, now, record
from schemas import meta as M
from schemas.search import CONTRACTOR
from search import SearchStore

logger = logging.getLogger(__name__)


def to_index_document(doc: Document, text: str) -> IndexDocument:
    """The Haystack document the index holds for one catalog row (flat, filterable meta)."""
    meta = {
        M.TITLE: doc.title or doc.original_name,
        M.ORIGINAL_NAME: doc.original_name,
        M.PROJECT: doc.project.code,
        M.CLASS_CODE: doc.class_code,
        M.CLASS_LETTER: doc.class_code[0] if doc.class_code else None,
        M.ITEM_CODE: doc.item_code,
        M.DOC_TYPE: doc.doc_type,
        M.FORMAT: doc.format,
        M.SHA256: doc.sha256,
    }
    if doc.doc_date is not None:
        meta[M.DATE] = doc.doc_date.isoformat()
        meta[M.YEAR] = doc.doc_date.year
    if doc.amount is not None:
        meta[M.AMOUNT] = float(doc.amount)
    contractor = ((doc.fields or {}).get("parties") or {}).get("施工单位")
    if isinstance(contractor, str) and contractor.strip():
        meta[CONTRACTOR] = contractor.strip()  # the contractor: filter of the query language
    return IndexDocument(id=doc.id, content=text, meta={k: v for k, v in meta.items() if v is not None})


class Indexer:
    """Moves processed catalog rows into the search index in batches."""

    def __init__(self, catalog: Catalog, store: SearchStore, batch_size: int) -> None:
        self._catalog = catalog
        self._store = store
        self._batch = batch_size

    def index_pending(self, progress: Callable[[int], None] | None = None) -> int:
        """Index every processed document not yet in the index; returns how many were written."""
        written = 0
        while True:
            with self._catalog.session() as session:
                rows = session.execute(
                    select(Document, DocumentText.content)
                    .join(DocumentText, DocumentText.document_id == Document.id)
                    .where(Document.status == DocumentStatus.PROCESSED, Document.indexed_at.is_(None))
                    .order_by(Document.id)
                    .limit(self._batch)
                ).all()
                batch = [to_index_document(doc, text) for doc, text in rows]
                ids = [doc.id for doc, _ in rows]
            if not batch:
                return written
            self._store.write_documents(batch, policy=DuplicatePolicy.OVERWRITE)
            with self._catalog.session() as session:
                stamp = now()
                session.execute(update(Document).where(Document.id.in_(ids)).values(indexed_at=stamp))
                for doc_id in ids:
                    record(session, doc_id, EventKind.INDEXED)
            written += len(batch)
            if progress:
                progress(len(batch))

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Drop the index and write every processed document again from the catalog."""
        self._store.delete_all_documents()
        with self._catalog.session() as session:
            session.execute(update(Document).values(indexed_at=None))
        return self.index_pending(progress)

    def pending_count(self) -> int:
        with self._catalog.session() as session:
            return len(
                session.scalars(
                    select(Document.id).where(
                        Document.status == DocumentStatus.PROCESSED, Document.indexed_at.is_(None)
                    )
                ).all()
            )
