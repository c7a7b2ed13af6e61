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
from core.catalog.history import EventKind, now, record_many
from schemas import meta as M
from schemas.search import CONTRACTOR
from search import SearchStore

logger = logging.getLogger(__name__)

_CHUNK = 500  # ids per UPDATE … WHERE id IN (…), well under SQLite's variable limit


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
    """Moves processed catalog rows into the search index in batches.

    Each batch is one index commit, then its rows get ``indexed_at`` (and an ``indexed`` event),
    so an interrupted run resumes after the last committed batch. A commit costs the same
    whether it carries 64 documents or thousands, so a whole-archive rebuild asks for bigger
    batches (``batch_size`` of ``index_pending``) than the ingest loop does.
    """

    def __init__(self, catalog: Catalog, store: SearchStore, batch_size: int) -> None:
        self._catalog = catalog
        self._store = store
        self._batch = batch_size

    def _next_rows(self, after: str | None, limit: int) -> tuple[list[IndexDocument], list[str]]:
        """Up to ``limit`` unindexed processed documents with ids after ``after``, in id order.

        Walking on from the last id (instead of asking for "the first unindexed rows" again)
        keeps each query cheap however many rows were already done.
        """
        with self._catalog.session() as session:
            query = (
                select(Document, DocumentText.content)
                .join(DocumentText, DocumentText.document_id == Document.id)
                .where(Document.status == DocumentStatus.PROCESSED, Document.indexed_at.is_(None))
                .order_by(Document.id)
                .limit(limit)
            )
            if after is not None:
                query = query.where(Document.id > after)
            rows = session.execute(query).all()
            return [to_index_document(doc, text) for doc, text in rows], [doc.id for doc, _ in rows]

    def index_pending(
        self, progress: Callable[[int], None] | None = None, batch_size: int | None = None
    ) -> int:
        """Index every processed document not yet in the index; returns how many were written."""
        written = 0
        limit = batch_size or self._batch
        after: str | None = None
        while True:
            batch, ids = self._next_rows(after, limit)
            if not batch:
                if after is None:
                    return written
                after = None  # once more from the start: rows that arrived behind the walk
                continue
            self._store.write_documents(batch, policy=DuplicatePolicy.OVERWRITE)
            self._mark_indexed(ids)
            after = ids[-1]
            written += len(batch)
            if progress:
                progress(len(batch))

    def _mark_indexed(self, ids: list[str]) -> None:
        """Stamp ``indexed_at`` and add one ``indexed`` event per document, in one transaction."""
        with self._catalog.session() as session:
            stamp = now()
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                session.execute(update(Document).where(Document.id.in_(chunk)).values(indexed_at=stamp))
            record_many(session, EventKind.INDEXED, {doc_id: {} for doc_id in ids}, at=stamp)

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
