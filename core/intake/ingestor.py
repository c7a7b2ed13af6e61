"""Taking one file into the archive: store first, then read, then record.

Order matters for "nothing lost": the bytes are stored (content-addressed, fsynced) and the
document row plus its receipt are committed *before* anything tries to read the file. A crash
after that point leaves a ``received`` row that the next run finishes from the stored copy; a
crash before it leaves nothing but a swept temporary, and the file is simply taken in again.
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from haystack import Document as ReadDocument
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import Catalog, Document, DocumentStatus, DocumentText, Project, Receipt
from core.catalog.engines import serialize
from core.catalog.history import EventKind, now, record
from core.intake.drawing_revisions import link_revisions
from core.intake.entries import refusal_for
from core.reading.outcomes import ReadOutcome, ReadRequest
from core.reading.reader import DocumentReader
from core.reading.time_limit import read_within
from core.storage.blobstore import BlobStore, NotARegularFile, StoredBlob
from schemas import meta as M
from schemas.documents import Classification, ExtractedFields
from schemas.ingest import FileReport, IngestSource, IngestStatus, QuarantineCode

logger = logging.getLogger(__name__)


# The filing decision for a read document (core/filing/filer.py ``Filing.decide``): the rules' verdict
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
    refused: str | None = None  # not a file to take (a link, a pipe …): the report line's reason


@dataclass(frozen=True)
class Stored:
    """The first half of taking a file in: its bytes are stored and its receipt committed.

    ``report`` is set when nothing is left to do (a duplicate, an unreadable source, a file that
    changed while it was copied); otherwise ``request`` says what to read. ``taken`` is the
    (size, mtime_ns) of the source as it was copied, for the watcher's fingerprint.
    """

    path_text: str
    report: FileReport | None = None
    request: ReadRequest | None = None
    taken: tuple[int, int] | None = None
    changed: bool = False  # rewritten while copied: nothing recorded, look again later
    sha256: str | None = None


def printable_path(path: Path) -> str:
    """``str(path)``, or for a name that is not UTF-8 its bytes with the bad ones shown as ``\\xNN``.

    Linux file names are bytes; a share mounted with the wrong charset yields names Python can
    only hold with surrogates, which neither the catalog nor JSON can store. This text is
    stable for the same bytes, so it also works as the watcher's job key.
    """
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return text


def readable_name(name: str) -> str:
    """A file name fit for the catalog: as is when UTF-8, else GB18030 if the bytes are that, else escaped.

    Chinese offices still write GBK names (old Windows shares, zip files, FTP servers); those
    decode cleanly as GB18030, which is a superset of GBK. Anything else keeps its bytes visible.
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def document_id_for(sha256: str) -> str:
    """Stable public id: the same bytes always get the same id, on any machine, after any rebuild."""
    return sha256[:16]


def ensure_project(session: Session, code: str, name: str | None = None) -> Project:
    project = session.scalar(select(Project).where(Project.code == code))
    if project is None:
        serialize(session, f"project:{code}")  # another node may be adding it right now
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
        self, catalog: Catalog, blobs: BlobStore, reader: DocumentReader | None, max_file_bytes: int,
        decide: Decide | None = None, time_limit: float | None = None, memory_limit: int | None = None,
        read_elsewhere: Callable[[ReadRequest], ReadOutcome] | None = None,
    ) -> None:
        self._catalog = catalog
        self._blobs = blobs
        self._reader = reader
        self._read_elsewhere = read_elsewhere  # set: every read goes there (a reader process), not to reader
        self._max_bytes = max_file_bytes
        self._decide = decide or rules_verdict
        self._time_limit = time_limit  # seconds one file may take to read here (core.reading.time_limit)
        self._memory_limit = memory_limit  # bytes one read here may add (core.reading.memory)

    def take(self, arrival: Arrival) -> FileReport:
        """Take one file in. Never raises for a bad file: the report says what happened."""
        stored = self.store(arrival)
        if stored.report is not None:
            return stored.report
        assert stored.request is not None
        return self.record(stored.request.document_id, stored.path_text, self.read(stored.request))

    def store(self, arrival: Arrival, also: Callable[[Session], None] | None = None) -> Stored:
        """Fingerprint and store the original and commit its receipt; nothing is read yet.

        ``also`` runs inside the receipt's transaction (the watcher claims its job row there, so
        one fsynced commit covers both); it is not called when no receipt is written.
        """
        return self.store_many([arrival], also)[0]

    def store_many(self, arrivals: Sequence[Arrival], also: Callable[[Session], None] | None = None) -> list[Stored]:
        """``store`` for several files with one fsynced commit for all their receipts (group commit).

        Each original is copied and fsynced first; the receipts are committed together before any
        of them is returned, so nothing is handed to a reader before its receipt is durable. If a
        copy fails with a full disk, the receipts of the files copied before it are committed and
        the error is raised: nothing stored goes unrecorded.
        """
        results: list[Stored | None] = [None] * len(arrivals)
        copied: list[tuple[int, StoredBlob, os.stat_result, str, str]] = []
        try:
            for position, arrival in enumerate(arrivals):
                path_text = printable_path(arrival.path)
                name = readable_name(arrival.path.name)
                outcome = self._copy(arrival, name, path_text)
                if isinstance(outcome, Stored):
                    results[position] = outcome
                else:
                    copied.append((position, *outcome, name, path_text))
        finally:
            if copied:
                with self._catalog.session() as session:
                    with session.no_autoflush:  # one flush at the commit, not one per row read back
                        group = _Group(session, [document_id_for(blob.sha256) for _p, blob, *_rest in copied])
                        for position, blob, before, name, path_text in copied:
                            results[position] = self._receive(group, arrivals[position], blob, before, name,
                                                              path_text)
                    if also is not None:
                        also(session)
        return [stored for stored in results if stored is not None]

    def _receive(self, group: _Group, arrival: Arrival, blob: StoredBlob, before: os.stat_result, name: str,
                 path_text: str) -> Stored:
        """The receipt of one stored original, in the group's transaction, and what is left to do."""
        session = group.session
        doc_id = document_id_for(blob.sha256)
        existing = group.documents.get(doc_id)
        project_id = group.project_id(arrival.project_code)  # made if new, even for a duplicate's arrival
        if existing is None:
            new = _new_document(doc_id, blob.sha256, blob.size, arrival, project_id, name)
            session.add(new)
            group.documents[doc_id] = new  # a twin later in this group finds it here
            extra = {} if name == arrival.path.name else {"raw_name": os.fsencode(arrival.path.name).hex()}
            record(session, doc_id, EventKind.RECEIVED, source=arrival.source.value, path=path_text, **extra)
            unfinished, first_arrival = True, True
        else:
            session.flush()  # the rare path below reads rows this transaction wrote (receipts, the project)
            record(session, doc_id, EventKind.RECEIVED_AGAIN, source=arrival.source.value, path=path_text)
            unfinished, first_arrival = existing.status in DocumentStatus.UNFINISHED, False
        # Only the first arrival of these bytes, or that same arrival taken again after a
        # crash left it unread, is "ingested"; any other copy is a duplicate of the document,
        # even while the first copy is still being read (the watcher's twin).
        same_path = not first_arrival and _received_from(session, doc_id, path_text)
        outcome = IngestStatus.INGESTED if first_arrival or (unfinished and same_path) else IngestStatus.DUPLICATE
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
        first_name = existing.original_name if existing is not None else name
        taken, sha = (before.st_size, before.st_mtime_ns), blob.sha256
        if not unfinished:
            return Stored(path_text, settled_twin_line(path_text, doc_id, blob.size, name, first_name,
                                                       same_path=same_path), taken=taken, sha256=sha)
        if first_arrival:  # no second catalog round trip for the common case
            request = ReadRequest(doc_id, blob.path, name, blob.size,
                                  {M.PROJECT: arrival.project_code, M.FOLDER_HINTS: list(arrival.folder_hints)})
        else:
            logger.info("finishing %s, left unread by an interrupted run", name)
            request = self._read_request_in(session, doc_id, arrival.folder_hints)
        return Stored(path_text, request=request, taken=taken, sha256=sha)

    def _copy(self, arrival: Arrival, name: str, path_text: str) -> tuple[StoredBlob, os.stat_result] | Stored:
        """The source's bytes into the store, or the line saying why not (nothing recorded yet).

        A full disk is not a line but ``DiskFull`` (``core.storage.full``): the caller stops.
        """
        def refused(reason: str, changed: bool = False) -> Stored:
            logger.warning("%s", reason)
            return Stored(path_text, FileReport(path=path_text, status=IngestStatus.QUARANTINED, reason=reason),
                          changed=changed)

        if arrival.refused is not None:
            return refused(arrival.refused)
        special = refusal_for(arrival.path)  # the watcher's candidates are not walked: check here too
        if special is not None:
            return refused(special)
        try:
            before = os.lstat(arrival.path)
            blob = self._blobs.put_file(arrival.path)
            after = os.lstat(arrival.path)
        except OSError as exc:
            # The store opens without following links or waiting on pipes: a name that became
            # one of those since the folder was listed is refused here, not read.
            if isinstance(exc, NotARegularFile) or exc.errno == errno.ELOOP:
                return refused(f"《{name}》不是普通文件（符号链接、命名管道、套接字或设备），不跟随、不读取")
            return refused(f"《{name}》: cannot be read from the source ({exc.strerror or exc})")
        if _identity(before) != _identity(after):
            # Rewritten while we copied it: the copy may mix old and new bytes, so it is not
            # recorded as a document; the caller looks again once the file is quiet.
            logger.warning("%s changed while it was being stored; it will be taken again", path_text)
            if not blob.already_present:
                blob.path.unlink(missing_ok=True)
            return refused(f"《{name}》: changed while it was being read", changed=True)
        return blob, before

    def finish(self, doc_id: str, path_text: str, folder_hints: tuple[str, ...] = ()) -> FileReport:
        """Read a stored, not-yet-read document and record the result."""
        return self.record(doc_id, path_text, self.read(self.read_request(doc_id, folder_hints)))

    def read_request(self, doc_id: str, folder_hints: tuple[str, ...] = ()) -> ReadRequest:
        """What a reader needs to read the stored original of ``doc_id``."""
        with self._catalog.session() as session:
            return self._read_request_in(session, doc_id, folder_hints)

    def _read_request_in(self, session: Session, doc_id: str, folder_hints: tuple[str, ...]) -> ReadRequest:
        doc = session.get(Document, doc_id)
        assert doc is not None
        meta = {M.PROJECT: doc.project.code, M.FOLDER_HINTS: list(folder_hints)}
        return ReadRequest(doc_id, self._blobs.path_for(doc.sha256), doc.original_name, doc.size, meta)

    def precheck(self, request: ReadRequest) -> ReadOutcome | None:
        """The outcome of a file that needs no reader (empty, over the size limit), else ``None``."""
        if request.size == 0:
            return ReadOutcome(code=QuarantineCode.EMPTY, reason=f"《{request.name}》: empty file (0 bytes)")
        if request.size > self._max_bytes:
            return ReadOutcome(
                code=QuarantineCode.TOO_LARGE,
                reason=f"《{request.name}》: {request.size:,} bytes exceeds the limit of {self._max_bytes:,} bytes",
            )
        return None

    def read(self, request: ReadRequest) -> ReadOutcome:
        """Read the stored original within the time limit, here or where ``read_elsewhere`` sends it.

        Here means under the alarm of ``core.reading.time_limit`` (``jiandang ingest`` on the main thread);
        the service passes ``read_elsewhere`` for reads the alarm cannot stop (see
        ``core.reading.pooled``). The watcher does not call this: it feeds its own pool.
        """
        found = self.precheck(request)
        if found is not None:
            return found
        if self._read_elsewhere is not None:
            return self._read_elsewhere(request)
        reader = self._reader
        if reader is None:
            raise RuntimeError("this Ingestor was built without a reader; send the request to a reader process")
        return read_within(lambda: reader.read(request.blob, request.name, request.meta), request.name,
                           self._time_limit, self._memory_limit)

    def record(
        self, doc_id: str, path_text: str, outcome: ReadOutcome,
        then: Callable[[Session, FileReport], FileReport] | None = None,
    ) -> FileReport:
        """Commit what reading found (or why it failed) for a stored document.

        ``then`` runs in the same transaction with the report line and returns the line to report
        (the watcher settles its job row there: one fsynced commit for both).
        """
        with self._catalog.session() as session:
            line = self._record_group(session, [(doc_id, path_text, outcome)])[0]
            return then(session, line) if then is not None else line

    def record_many(self, readings: Sequence[tuple[str, str, ReadOutcome]]) -> list[FileReport]:
        """``record`` for several read documents (doc id, report path, outcome) in one fsynced commit.

        Group commit: the lines are returned only once the commit is durable, so a file is never
        reported taken before its reading is recorded; a crash before it leaves the documents
        ``received``, read again by the next run.
        """
        if not readings:
            return []
        with self._catalog.session() as session:
            return self._record_group(session, readings)

    def _record_group(self, session: Session, readings: Sequence[tuple[str, str, ReadOutcome]]) -> list[FileReport]:
        """Record readings in the caller's transaction: their rows selected together, flushed at the commit.

        Selecting each document (and its text) one by one flushed the previous one's changes first:
        a round of the ORM's unit of work per row, the bulk of the main process's catalog time.
        """
        ids = [doc_id for doc_id, _path, _outcome in readings]
        docs = _select_rows(session, Document, Document.id, ids, lock=self._catalog.is_postgres)
        texts = _select_rows(session, DocumentText, DocumentText.document_id, ids)
        with session.no_autoflush:
            return [self._record_in(session, docs[doc_id], texts.get(doc_id), path_text, outcome)
                    for doc_id, path_text, outcome in readings]

    def _record_in(self, session: Session, doc: Document, text_row: DocumentText | None, path_text: str,
                   outcome: ReadOutcome) -> FileReport:
        if self._catalog.is_postgres and doc.status not in DocumentStatus.UNFINISHED:
            return _already_recorded(doc, path_text)
        if outcome.document is None:
            _quarantine(session, doc, outcome)
            return FileReport(path=path_text, status=IngestStatus.QUARANTINED, document_id=doc.id,
                              reason=outcome.reason)
        _record_reading(session, doc, text_row, outcome, self._decide)
        return FileReport(path=path_text, status=IngestStatus.INGESTED, document_id=doc.id)


class _Group:
    """The rows a group of receipts reads, selected once: its documents (by id) and its projects.

    On PostgreSQL the documents' advisory locks are taken first, all at once and in sorted order
    (``serialize``), so two nodes storing overlapping groups never deadlock.
    """

    def __init__(self, session: Session, doc_ids: Sequence[str]) -> None:
        self.session = session
        serialize(session, *(f"document:{doc_id}" for doc_id in doc_ids))
        self.documents: dict[str, Document] = _select_rows(session, Document, Document.id, doc_ids)
        self._projects: dict[str, int] = {}

    def project_id(self, code: str) -> int:
        if code not in self._projects:
            self._projects[code] = ensure_project(self.session, code).id
        return self._projects[code]


def _select_rows(session: Session, model: Any, key: Any, ids: Sequence[str], *, lock: bool = False) -> dict[str, Any]:
    """The rows of ``model`` whose ``key`` is one of ``ids``, by key, in one query (locked, in key
    order, with ``lock``: PostgreSQL's row locks against another node recording the same document).
    One row (a file taken on its own) is looked up by primary key, the ORM's cheaper path.
    """
    if len(set(ids)) == 1:
        row = session.get(model, ids[0], with_for_update={"of": model} if lock else None)
        return {ids[0]: row} if row is not None else {}
    query = select(model).where(key.in_(set(ids)))
    if lock:
        query = query.order_by(key).with_for_update(of=model)
    return {getattr(row, key.key): row for row in session.scalars(query)}


def settled_twin_line(path_text: str, doc_id: str, size: int, name: str, first_name: str, *,
                      same_path: bool = False) -> FileReport:
    """The line of a file whose bytes belong to a document already settled (read or quarantined).

    An empty file is reported as empty under its own name (every empty file has the same, empty,
    content); any other as a duplicate of the first file's document.
    """
    if size == 0:
        return FileReport(path=path_text, status=IngestStatus.QUARANTINED, document_id=doc_id,
                          reason=f"《{name}》: empty file (0 bytes)")
    return duplicate_line(path_text, doc_id, first_name, same_path=same_path)


def duplicate_line(path_text: str, doc_id: str, first_name: str, *, same_path: bool = False) -> FileReport:
    """The report line of a file whose bytes are already archived: which document it repeats.

    ``same_path``: these bytes came from this very path before (taken again after an interrupted
    run, or the same file delivered again), so the line says so rather than naming a twin.
    """
    reason = (f"already archived from this path as document {doc_id}" if same_path
              else f"same content as document {doc_id} (《{first_name}》)")
    return FileReport(path=path_text, status=IngestStatus.DUPLICATE, document_id=doc_id, reason=reason)


def _already_recorded(doc: Document, path_text: str) -> FileReport:
    """The line for a document another node recorded meanwhile (its reading stands; ours is dropped)."""
    if doc.status == DocumentStatus.QUARANTINED:
        return FileReport(path=path_text, status=IngestStatus.QUARANTINED, document_id=doc.id,
                          reason=doc.quarantine_reason)
    return FileReport(path=path_text, status=IngestStatus.INGESTED, document_id=doc.id)


def _received_from(session: Session, doc_id: str, path_text: str) -> bool:
    """Has ``doc_id`` been received from this very path before (an arrival a crash interrupted)?"""
    found = session.scalar(
        select(Receipt.id).where(Receipt.document_id == doc_id, Receipt.source_path == path_text).limit(1)
    )
    return found is not None


def _identity(stat: os.stat_result) -> tuple[int, int, int, int]:
    """What must not change while a file is copied: same file (device, inode), same size and mtime."""
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns


def _new_document(doc_id: str, sha: str, size: int, arrival: Arrival, project_id: int, name: str) -> Document:
    stamp = now()
    return Document(
        id=doc_id,
        sha256=sha,
        size=size,
        original_name=name,
        format=Path(name).suffix.lower().lstrip(".") or None,
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


def _record_reading(session: Session, doc: Document, text_row: DocumentText | None, outcome: ReadOutcome,
                    decide: Decide) -> None:
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
    doc.candidates = [c.model_dump(mode="json") for c in verdict.candidates] or None
    doc.needs_review = verdict.needs_review
    doc.doc_date = fields.date if isinstance(fields.date, date) else None
    doc.amount = fields.amount
    doc.status = DocumentStatus.PROCESSED
    doc.quarantine_code = doc.quarantine_reason = None  # read again after a quarantine (the desk's 重新读取)
    doc.indexed_at = None
    doc.updated_at = now()
    link_revisions(session, doc)
    text = read.content or ""
    if text_row is None:
        session.add(DocumentText(document_id=doc.id, content=text))
    else:
        text_row.content = text
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
