"""Taking one file into the archive: store first, then read, then record.

Order matters for "nothing lost": the bytes are stored (content-addressed, fsynced) and the
document row plus its receipt are committed *before* anything tries to read the file. A crash
after that point leaves a ``received`` row that the next run finishes from the stored copy; a
crash before it leaves nothing but a swept temporary, and the file is simply taken in again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from haystack import Document as ReadDocument
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.blobstore import BlobStore
from core.catalog import Catalog, Document, DocumentStatus, DocumentText, Project, Receipt
from core.drawing_revisions import link_revisions
from core.history import EventKind, now, record
from core.reading import DocumentReader, ReadOutcome
from schemas import meta as M
from schemas.documents import Classification, ExtractedFields
from schemas.ingest import FileReport, IngestSource, IngestStatus, QuarantineCode

logger = logging.getLogger(__name__)


# The filing decision for a read document (core/filing.py ``Filing.decide``): the rules' verdict
# from the reading pipeline, then the learned suggester. The dry run (``classify``) calls the same.
Decide = Callable[[ReadDocument], Classification]


@dataclass(frozen=True)
class Arrival:
    """One file arriving: where it is, which batch and project it belongs to."""

    path: Path
    batch_id: str
    source: IngestSource
    project_code: str
    folder_hints: tuple[str, ...] = ()


def document_id_for(sha256: str) -> str:
    """Stable public id: the same bytes always get the same id, on any machine, after any rebuild."""
    return sha256[:16]


def ensure_project(session: Session, code: str, name: str | None = None) -> Project:
    project = session.scalar(select(Project).where(Project.code == code))
    if project is None:
        project = Project(code=code, name=name or code, created_at=now())
        session.add(project)
        session.flush()
    elif name and project.name == project.code:
        project.name = name
    return project


class Ingestor:
    """Stores, reads and records files; the service feeds it and indexes what it finished."""

    def __init__(
        self, catalog: Catalog, blobs: BlobStore, reader: DocumentReader, max_file_bytes: int,
        decide: Decide | None = None,
    ) -> None:
        self._catalog = catalog
        self._blobs = blobs
        self._reader = reader
        self._max_bytes = max_file_bytes
        self._decide = decide or rules_verdict

    def take(self, arrival: Arrival) -> FileReport:
        """Take one file in. Never raises for a bad file: the report says what happened."""
        path_text = str(arrival.path)
        try:
            blob = self._blobs.put_file(arrival.path)
        except OSError as exc:
            reason = f"《{arrival.path.name}》: cannot be read from the source ({exc.strerror or exc})"
            logger.warning("%s", reason)
            return FileReport(path=path_text, status=IngestStatus.QUARANTINED, reason=reason)

        doc_id = document_id_for(blob.sha256)
        with self._catalog.session() as session:
            existing = session.get(Document, doc_id)
            project = ensure_project(session, arrival.project_code)
            if existing is None:
                session.add(_new_document(doc_id, blob.sha256, blob.size, arrival, project.id))
                record(session, doc_id, EventKind.RECEIVED, source=arrival.source.value, path=path_text)
                unfinished, first_arrival = True, True
            else:
                record(session, doc_id, EventKind.RECEIVED_AGAIN, source=arrival.source.value, path=path_text)
                unfinished, first_arrival = existing.status in DocumentStatus.UNFINISHED, False
            outcome = IngestStatus.INGESTED if unfinished else IngestStatus.DUPLICATE
            session.add(
                Receipt(
                    document_id=doc_id,
                    batch_id=arrival.batch_id,
                    source=arrival.source.value,
                    source_path=path_text,
                    outcome=outcome.value,
                    received_at=now(),
                )
            )
        if not unfinished:
            return FileReport(path=path_text, status=IngestStatus.DUPLICATE, document_id=doc_id)
        if not first_arrival:
            logger.info("finishing %s, left unread by an interrupted run", arrival.path.name)
        return self.finish(doc_id, path_text, arrival.folder_hints)

    def finish(self, doc_id: str, path_text: str, folder_hints: tuple[str, ...] = ()) -> FileReport:
        """Read a stored, not-yet-read document and record the result."""
        with self._catalog.session() as session:
            doc = session.get(Document, doc_id)
            assert doc is not None
            name, size, sha = doc.original_name, doc.size, doc.sha256
            project_code = doc.project.code
        outcome = self._read(self._blobs.path_for(sha), name, size, project_code, folder_hints)
        with self._catalog.session() as session:
            doc = session.get(Document, doc_id)
            assert doc is not None
            if outcome.document is None:
                _quarantine(session, doc, outcome)
                return FileReport(
                    path=path_text, status=IngestStatus.QUARANTINED, document_id=doc_id, reason=outcome.reason
                )
            _record_reading(session, doc, outcome, self._decide)
        return FileReport(path=path_text, status=IngestStatus.INGESTED, document_id=doc_id)

    def _read(self, blob: Path, name: str, size: int, project: str, hints: tuple[str, ...]) -> ReadOutcome:
        if size == 0:
            return ReadOutcome(code=QuarantineCode.EMPTY, reason=f"《{name}》: empty file (0 bytes)")
        if size > self._max_bytes:
            return ReadOutcome(
                code=QuarantineCode.TOO_LARGE,
                reason=f"《{name}》: {size:,} bytes exceeds the limit of {self._max_bytes:,} bytes",
            )
        meta = {M.PROJECT: project, M.FOLDER_HINTS: list(hints)}
        return self._reader.read(blob, name, meta)


def _new_document(doc_id: str, sha: str, size: int, arrival: Arrival, project_id: int) -> Document:
    stamp = now()
    return Document(
        id=doc_id,
        sha256=sha,
        size=size,
        original_name=arrival.path.name,
        format=arrival.path.suffix.lower().lstrip(".") or None,
        project_id=project_id,
        status=DocumentStatus.RECEIVED,
        fields={},
        confidence=0.0,
        reasons=[],
        needs_review=True,
        received_at=stamp,
        updated_at=stamp,
    )


def _quarantine(session: Session, doc: Document, outcome: ReadOutcome) -> None:
    doc.status = DocumentStatus.QUARANTINED
    doc.quarantine_code = outcome.code.value if outcome.code else QuarantineCode.UNREADABLE.value
    doc.quarantine_reason = outcome.reason
    doc.updated_at = now()
    record(session, doc.id, EventKind.QUARANTINED, code=doc.quarantine_code, reason=outcome.reason)


def rules_verdict(read: ReadDocument) -> Classification:
    """The rule classifier's verdict as the reading pipeline left it (no learned suggester)."""
    return Classification.model_validate(read.meta.get(M.CLASSIFICATION) or {})


def _record_reading(session: Session, doc: Document, outcome: ReadOutcome, decide: Decide) -> None:
    read = outcome.document
    assert read is not None
    meta: dict[str, Any] = read.meta
    fields = ExtractedFields.model_validate(meta.get(M.FIELDS) or {})
    verdict = decide(read)
    doc.format = meta.get(M.FORMAT) or doc.format
    doc.pages = meta.get(M.PAGES)
    doc.extractor = meta.get(M.EXTRACTOR)
    doc.text_status = meta.get(M.TEXT_STATUS)
    doc.reading = {key: meta[key] for key in M.READING_KEYS if meta.get(key)} or None
    doc.title = meta.get(M.TITLE)
    doc.fields = fields.model_dump(mode="json")
    doc.class_code = verdict.class_code
    doc.item_code = verdict.item_code
    doc.doc_type = verdict.doc_type
    doc.confidence = verdict.confidence
    doc.reasons = verdict.reasons
    doc.needs_review = verdict.needs_review
    doc.doc_date = fields.date if isinstance(fields.date, date) else None
    doc.amount = fields.amount
    doc.status = DocumentStatus.PROCESSED
    doc.indexed_at = None
    doc.updated_at = now()
    link_revisions(session, doc)
    text = read.content or ""
    existing_text = session.get(DocumentText, doc.id)
    if existing_text is None:
        session.add(DocumentText(document_id=doc.id, content=text))
    else:
        existing_text.content = text
    record(
        session,
        doc.id,
        EventKind.CONVERTED,
        format=doc.format,
        extractor=doc.extractor,
        text_status=doc.text_status,
        pages=doc.pages,
        chars=len(text),
        title=doc.title,
    )
    record(
        session,
        doc.id,
        EventKind.CLASSIFIED,
        class_code=verdict.class_code,
        item_code=verdict.item_code,
        doc_type=verdict.doc_type,
        confidence=verdict.confidence,
        reasons=verdict.reasons,
        needs_review=verdict.needs_review,
    )
