"""ArchiveService: the one facade the CLI and the API both call.

It owns the catalog, the store of originals, the reading pipeline and the search index, built from
one ``Settings`` object. Skins parse input, call one method here and print or return the result;
they never touch the catalog or the index themselves.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Protocol

from sqlalchemy import func, select

from core.browsing import listing as browsing
from core.bundling.bundles import HandoverWriter, check_bundle
from core.catalog import Catalog, Document, DocumentStatus
from core.catalog.lookups import find_document
from core.catalog.mapping import document_record, search_hit
from core.disclosure import DisclosureRoom
from core.errors import (
    InputError,
    InvalidQuery,
    PathNotFound,
)
from core.filing.filer import Filing
from core.indexing import upkeep as index_upkeep
from core.indexing.indexer import Indexer
from core.indexing.search_index import SearchIndex
from core.intake.ingestor import Ingestor
from core.intake.walk import arrivals, require_paths, walk
from core.oversight import OversightRoom
from core.reading.pool import pool_for
from core.reading.pooled import PooledReader
from core.reading.reader import DocumentReader, ocr_options
from core.searching import search_audit
from core.security.accounts import AccountBook
from core.security.audit import AuditLog
from core.settings import Settings
from core.storage.blobstore import BlobStore
from core.storage.locks import writer_lock
from core.watching.jobs import JobQueue
from core.watching.watcher import BatchCallback, FolderWatcher
from core.watching.writer_spell import Writers
from schemas import meta as M
from schemas.api import DocumentPage, ProjectSummary
from schemas.completeness import CompletenessReport, ProjectProfile, Waiver
from schemas.documents import (
    Classification,
    ClassifyReport,
    DocumentRecord,
    FileClassification,
    ReindexReport,
)
from schemas.handover import HandoverReport, VerifyBundleReport
from schemas.ingest import FileReport, IngestReport, IngestRequest
from schemas.search import ExportReport, IndexCheckReport, SearchQuery, SearchResult
from schemas.watch import WatchReport, WatchRoot, WatchStatusReport
from search import QuerySyntaxError, SearchStore

logger = logging.getLogger(__name__)


class BatchProgress(Protocol):
    """What a skin may pass to follow a batch (a progress bar, a log line)."""

    def start(self, total: int) -> None: ...

    def advance(self, report: FileReport) -> None: ...


class _Silent:
    def start(self, total: int) -> None:
        return None

    def advance(self, report: FileReport) -> None:
        return None


class ArchiveService:
    """Everything jiandang does, behind one object. Use as a context manager."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        settings.ensure_dirs()
        self.catalog = Catalog(settings.catalog_url)
        self.catalog.migrate()
        self.blobs = BlobStore(settings.originals_path)
        self.index = SearchIndex(self.catalog, settings)
        self._reader: DocumentReader | None = None
        self._filing: Filing | None = None
        self._pooled = PooledReader(lambda: pool_for(settings, workers=1))  # one file at a time: see _reads_here

    # --- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> ArchiveService:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._pooled.close()
        self.catalog.dispose()

    # --- accounts, audit trail, browsing (core/security, core/browsing) ---------------------
    @property
    def accounts(self) -> AccountBook:
        """Users, roles, API tokens and UI sessions (core/security/accounts.py)."""
        return AccountBook(self.catalog)

    @property
    def audit(self) -> AuditLog:
        """The hash-chained audit trail (core/security/audit.py); the head file pins its newest entry."""
        return AuditLog(self.catalog, head_file=self.settings.home / "audit.head")

    def list_documents(self, flt: browsing.DocumentFilter, limit: int = 50, offset: int = 0) -> DocumentPage:
        return browsing.list_documents(self.catalog, flt, limit, offset)

    def list_projects(self) -> list[ProjectSummary]:
        return browsing.list_projects(self.catalog)

    def original(self, doc_id: str) -> browsing.Original:
        """Where the stored bytes of one document are (for download); exact id only."""
        return browsing.original(self.catalog, self.blobs, doc_id)

    @property
    def store(self) -> SearchStore:
        """The search index of the configured engine, for reading (``core/indexing/search_index.py``)."""
        return self.index.store

    @property
    def reader(self) -> DocumentReader:
        if self._reader is None:
            override = self.settings.taxonomy_override
            self._reader = DocumentReader(
                taxonomy_override=str(override) if override else None,
                review_threshold=self.settings.review_threshold,
                ocr=ocr_options(self.settings),
            )
        return self._reader

    @contextmanager
    def writing(self, *, read_here: bool = True) -> Iterator[Writers]:
        """Be the archive's one writer until the block ends: the writer lock, then the writers.

        For callers that take files in over a long spell (the folder watcher). ``read_here=False``
        gives an ingestor without a reading pipeline, for a caller that reads in other processes.
        """
        with writer_lock(self.settings.home):
            self.blobs.open()
            yield Writers(self._ingestor(read_here), self._indexer())

    def _ingestor(self, read_here: bool = True) -> Ingestor:
        """``read_here=False``: the watcher's, whose reading happens in reader processes."""
        if read_here and not self._reads_here():
            return Ingestor(self.catalog, self.blobs, None, self.settings.max_file_bytes, decide=self.filing.decide,
                            read_elsewhere=self._pooled.read)
        return Ingestor(self.catalog, self.blobs, self.reader if read_here else None, self.settings.max_file_bytes,
                        decide=self.filing.decide, time_limit=self.settings.watch_read_timeout)

    def _reads_here(self) -> bool:
        """May this thread read files itself, or must they go to a reader process?

        Only the main thread can: the time limit is an alarm signal, and signals reach the main
        thread alone, so a read on any other thread (an API upload's task) could run for ever.
        Those reads go to one reader process (``core.reading.pooled``) that enforces the limit
        and is killed when stuck in C.

        ``jiandang ingest`` (main thread) reads here by default: the alarm stops the converters
        that run long in Python (pypdf on a CAD drawing, the case seen in practice), no reader
        process has to start and warm up for a handful of files (measured: the first read comes
        about 2.6 s later, and the process holds about 240 MB), and an operator is watching.
        What the alarm cannot stop is a converter stuck inside C, which then holds the batch
        until it returns; ``read_in_processes = true`` sends ``ingest``'s reads to the reader
        process too, for unattended batches of files nobody vouches for.
        """
        if self.settings.read_in_processes:
            return False
        return threading.current_thread() is threading.main_thread()

    def _indexer(self) -> Indexer:
        return self.index.indexer()

    # --- ingest ----------------------------------------------------------------------------
    def ingest(self, request: IngestRequest, progress: BatchProgress | None = None) -> IngestReport:
        """Take every file under the given paths; one report line per file, whatever happens."""
        progress = progress or _Silent()
        batch = list(arrivals(request, self.settings.default_project))
        report = IngestReport()
        with writer_lock(self.settings.home):
            self.blobs.open()
            self._recover()
            ingestor, indexer = self._ingestor(), self._indexer()
            progress.start(len(batch))
            since_index = 0
            for arrival in batch:
                line = ingestor.take(arrival)
                report.add(line)
                progress.advance(line)
                since_index += 1
                if since_index >= self.settings.index_batch_size:
                    indexer.index_pending()
                    since_index = 0
            indexer.index_pending()
        return report

    def _recover(self) -> None:
        """Finish what an interrupted run left: unread documents first, then the index."""
        with self.catalog.session() as session:
            unfinished = session.scalars(
                select(Document.id).where(Document.status.in_(DocumentStatus.UNFINISHED))
            ).all()
        if unfinished:
            logger.warning("finishing %d document(s) left unread by an interrupted run", len(unfinished))
            ingestor = self._ingestor()
            for doc_id in unfinished:
                ingestor.finish(doc_id, f"(stored original {doc_id})")
        self._indexer().index_pending()

    def recover(self) -> None:
        """Finish an interrupted run (unread documents, then the index), as its own writer."""
        with writer_lock(self.settings.home):
            self.blobs.open()
            self._recover()

    # --- classify (dry run) ----------------------------------------------------------------
    def classify_paths(self, paths: list[Path]) -> ClassifyReport:
        require_paths(paths)
        report = ClassifyReport()
        for root in paths:
            for path, hints in walk(root):
                report.files.append(self._classify_one(path, hints))
        return report

    def _classify_one(self, path: Path, hints: tuple[str, ...]) -> FileClassification:
        if path.stat().st_size == 0:
            return FileClassification(path=str(path), error=f"《{path.name}》: empty file (0 bytes)")
        outcome = self.reader.read(path, path.name, {M.FOLDER_HINTS: list(hints)})
        if outcome.document is None:
            return FileClassification(path=str(path), error=outcome.reason)
        verdict = self.filing.decide(outcome.document)  # the same decision ingest records
        return FileClassification(
            path=str(path),
            class_code=verdict.class_code,
            item_code=verdict.item_code,
            doc_type=verdict.doc_type,
            confidence=verdict.confidence,
            reasons=verdict.reasons,
            title=outcome.document.meta.get(M.TITLE),
        )

    # --- read side -------------------------------------------------------------------------
    def search(self, query: SearchQuery, user: str | None = None) -> SearchResult:
        """Keyword search; with ``user`` the search goes on the audit trail (the API audits its own)."""
        try:
            page = self.store.search(query)
        except QuerySyntaxError as exc:
            raise InvalidQuery(f"query {query.text!r}: {exc}", position=getattr(exc, "position", None)) from exc
        result = SearchResult(total=page.total, hits=[search_hit(hit) for hit in page.hits],
                              sort=page.sort, facets=page.facets)
        if user is not None:
            search_audit.record_search(self.audit, user, query, result)
        return result

    # --- search upkeep and audit work (core/indexing, core/searching) ------------------------
    def more_like_this(self, doc_id: str, limit: int = 10, user: str | None = None) -> SearchResult:
        """Documents most like one document (shared telling words), best first."""
        doc_id = self.show(doc_id).id  # raises DocumentNotFound for an unknown id; a prefix becomes the id
        page = self.store.more_like_this(doc_id, limit=limit)
        result = SearchResult(total=page.total, hits=[search_hit(hit) for hit in page.hits])
        if user is not None:
            search_audit.record_search(self.audit, user, SearchQuery(text=f"more-like:{doc_id}"), result)
        return result

    def export_search(self, query: SearchQuery, path: Path, user: str, audit_trail: bool = True) -> ExportReport:
        """Every match of ``query`` (all pages) into a CSV/XLSX working paper; audited.

        ``audit_trail=False`` is for skins that write their own audit entry (the API, with the client).
        """
        rows: list[list[object]] = []
        page_query = query.model_copy(update={"limit": 1000, "offset": 0, "facets": False})
        while True:
            result = self.search(page_query)
            rows.extend(search_audit.export_rows(result, self.settings.document_link_base))
            if not result.hits or len(rows) >= result.total:
                break
            page_query = page_query.model_copy(update={"offset": len(rows)})
        search_audit.write_export(path, rows)
        if audit_trail:
            search_audit.record_export(self.audit, user, query, path, len(rows))
        return ExportReport(path=str(path), rows=len(rows), total=result.total)

    @property
    def saved_searches(self) -> search_audit.SavedSearches:
        return search_audit.SavedSearches(self.settings.home)

    def read_original(
        self, doc_id: str, user: str, purpose: str = "read", audit_trail: bool = True
    ) -> browsing.Original:
        """The stored original of ``doc_id``, with the read in its history and on the audit trail.

        ``audit_trail=False`` is for skins that write their own, richer audit entry (the API adds
        the client address); the document's history event is recorded either way.
        """
        found = self.original(doc_id)
        audit = self.audit if audit_trail else None
        search_audit.record_original_read(self.catalog, audit, user, found.doc_id, purpose)
        return found

    def check_index(self, repair: bool = False) -> IndexCheckReport:
        """Where the index and the catalog disagree; ``repair`` fixes it (under the writer lock)."""
        if not repair:
            return index_upkeep.check(self.catalog, self.store)
        with writer_lock(self.settings.home):
            return index_upkeep.repair(self.catalog, self.index.writable(), self._indexer())

    def show(self, doc_id: str) -> DocumentRecord:
        with self.catalog.session() as session:
            return document_record(session, find_document(session, doc_id))

    def status(self) -> WatchStatusReport:
        with self.catalog.session() as session:
            counts = dict(
                session.execute(select(Document.status, func.count()).group_by(Document.status)).all()
            )
        roots = JobQueue(self.catalog).counts()
        return WatchStatusReport(
            queued=counts.get(DocumentStatus.RECEIVED, 0) + sum(r.queued for r in roots.values()),
            processing=sum(r.processing for r in roots.values()),
            done=counts.get(DocumentStatus.PROCESSED, 0),
            quarantined=counts.get(DocumentStatus.QUARANTINED, 0),
            documents=sum(counts.values()),
            roots=roots,
        )

    def watch(
        self,
        roots: list[WatchRoot] | None,
        stop: threading.Event,
        *,
        once: bool = False,
        on_batch: BatchCallback | None = None,
        keep_lines: bool = True,
    ) -> WatchReport:
        """Watch the given roots (or the configured ones) until ``stop``; ``once``: take what is there."""
        roots = roots if roots else self.settings.watch_roots
        if not roots:
            raise InputError("no folder to watch: name one, or configure [[watch_roots]] in jiandang.toml")
        missing = [str(root.path) for root in roots if not root.path.is_dir()]
        if missing:
            raise PathNotFound(f"no such folder to watch: {', '.join(missing)}", path=missing[0])
        watcher = FolderWatcher(self, roots, once=once, rescan_interval=self.settings.watch_rescan_interval,
                                on_batch=on_batch, keep_lines=keep_lines)
        return watcher.run(stop)

    # --- filing and completeness (core/filing) ----------------------------------------------
    @property
    def filing(self) -> Filing:
        if self._filing is None:
            self._filing = Filing(self.catalog, self.blobs, self.settings)
        return self._filing

    def completeness(self, project: str, rehash_originals: bool = True) -> CompletenessReport:
        """What the project's archive has and lacks, checked the way an archive inspector does.

        ``rehash_originals=False`` skips re-hashing every original in the 四性 fixity check (for a
        caller that verifies every byte itself, as the handover's copy does).
        """
        return self.filing.completeness(project, rehash_originals)

    def waive(self, project: str, item: str, reason: str, who: str) -> Waiver:
        return self.filing.waive(project, item, reason, who)

    def reclassify(self, doc_id: str, class_code: str, item_code: str | None = None,
                   who: str = "archivist") -> Classification:
        """Re-file (and confirm) a document; the search index follows on the next indexing pass."""
        with writer_lock(self.settings.home):
            verdict = self.filing.reclassify(doc_id, class_code, item_code, who)
            self._indexer().index_pending()
        return verdict

    def set_project_profile(self, project: str, *, building_type: str | None = None, stage: str | None = None,
                            features: list[str] | None = None, who: str = "archivist") -> ProjectProfile:
        return self.filing.set_profile(project, building_type=building_type, stage=stage, features=features,
                                       who=who)

    # --- handover bundles (core/bundling) ---------------------------------------------------
    def handover(self, project: str, out: Path, zip: bool = False, only: list[str] | None = None,
                 asset: str | None = None, eep: bool = False) -> HandoverReport:
        """Write the project's handover bundle (a BagIt bag) at ``out``; every export is an event."""
        writer = HandoverWriter(self.catalog, self.blobs, self.filing, self.settings.agency)
        return writer.write(project, out, zip=zip, only=only, asset=asset, eep=eep)

    def verify_bundle(self, path: Path) -> VerifyBundleReport:
        """Check a handover bundle (folder or zip): bag checksums, manifest schema, listed files."""
        return check_bundle(path)

    def reindex(self, progress: BatchProgress | None = None) -> ReindexReport:
        """Rebuild the search index from the catalog (the index is derived data)."""
        progress = progress or _Silent()
        with writer_lock(self.settings.home):
            total = self.index.processed_count()
            progress.start(total)
            indexed = self.index.rebuild()
        return ReindexReport(documents=total, indexed=indexed)

    # --- review queue (the web UI's review page) ---------------------------------------------
    def review_queue(self, project: str, limit: int = 50, offset: int = 0) -> DocumentPage:
        """A project's documents flagged for review or not filed, least confident first."""
        return browsing.review_queue(self.catalog, project, limit, offset)

    def accept_classification(self, doc_id: str, who: str) -> Classification:
        """Confirm a document's current filing as it is (the review queue's "accept")."""
        current = self.show(doc_id)
        verdict = current.classification
        if not verdict.class_code:
            raise InputError(f"document {current.id} is not filed yet: correct its class instead of accepting",
                             doc_id=current.id)
        return self.reclassify(current.id, verdict.class_code, verdict.item_code, who=who)

    def filing_subclasses(self) -> list[tuple[str, str]]:
        """(code, name) of every sub-class a document can be filed under, in taxonomy order."""
        return [(sub.code, sub.name) for sub in self.filing.taxonomy.subclasses()]

    # oversight for auditors (core/oversight/, issue 17)
    @cached_property
    def oversight(self) -> OversightRoom:
        """Auditors' money chain and red flags per project and across the agency; every view audited."""
        return OversightRoom(self.catalog, lambda: self.audit, self.settings.home)

    # 阳光工程 disclosure (core/disclosure/, issue 18)
    @cached_property
    def disclosure(self) -> DisclosureRoom:
        """阳光工程 disclosure: drafts from the archive, redaction, approval, published packages, due list."""
        return DisclosureRoom(self.catalog, self.oversight, lambda: self.accounts, lambda: self.audit, self.settings.home)
