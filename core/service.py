"""ArchiveService: the one facade the CLI and the API both call.

It owns the catalog, the store of originals, the reading pipeline and the search index, built from
one ``Settings`` object. Skins parse input, call one method here and print or return the result;
they never touch the catalog or the index themselves.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from sqlalchemy import func, select

from core.catalog import Catalog, Document, DocumentStatus
from core.catalog.generation import ViewCache
from core.catalog.lookups import find_document
from core.errors import DocumentNotFound, InputError, InvalidQuery, PathNotFound
from core.messages import LocalClock
from core.security.accounts import AccountBook
from core.security.audit import AuditLog
from core.settings import Settings
from core.storage.blobstore import BlobStore
from core.storage.locks import writer_lock
from schemas.ingest import FileReport

# What a command needs is imported by the method that needs it, not here: ``jiandang status``
# or ``show`` must not pay for the classifier (scikit-learn), the reading pipeline (Haystack,
# PDF and OCR libraries) or the handover writer (openpyxl) — seconds of imports on this machine.
# tests/cli/test_startup.py holds the command line to that.
if TYPE_CHECKING:
    from core.backup.safekeeping import Safekeeping
    from core.browsing.listing import DocumentFilter, Original
    from core.browsing.workbench import Workbench
    from core.catalog.tasks import TaskBook
    from core.disclosure import DisclosureRoom
    from core.filing.filer import Filing
    from core.indexing.indexer import Indexer
    from core.indexing.search_index import SearchIndex
    from core.intake.ingestor import Arrival, Ingestor
    from core.messages import Catalogue
    from core.oversight import OversightRoom
    from core.projects import ProjectDesk
    from core.reading.pool import ReadingPool
    from core.reading.pooled import PooledReader
    from core.reading.reader import DocumentReader
    from core.searching.search_audit import SavedSearches
    from core.watching.watcher import BatchCallback
    from core.watching.writer_spell import Writers
    from schemas.api import DocumentPage, ProjectSummary
    from schemas.backup import RestoreReport
    from schemas.catalog_move import CatalogMoveReport
    from schemas.completeness import CompletenessReport, ProjectProfile, Waiver
    from schemas.disclosure import DueItem
    from schemas.documents import (
        Classification,
        ClassifyReport,
        DocumentRecord,
        FileClassification,
        ReindexReport,
    )
    from schemas.handover import HandoverReport, VerifyBundleReport
    from schemas.ingest import IngestReport, IngestRequest
    from schemas.projects import BulkReport
    from schemas.search import ExportReport, IndexCheckReport, SearchQuery, SearchResult
    from schemas.watch import WatchReport, WatchRoot, WatchStatusReport
    from schemas.workbench import Dashboard, WatchNote
    from search import SearchStore

logger = logging.getLogger(__name__)
T = TypeVar("T")
# Files in flight per reader for ``jiandang ingest``: more than the two that keep a reader busy, so
# that more outcomes land, and more files are stored, per fsynced commit (core/intake/in_readers.py).
IN_FLIGHT_PER_READER = 4


def pool_for(settings: Settings, workers: int | None = None, per_worker: int = 2) -> ReadingPool:
    """The reader processes of ``core.reading.pool.pool_for``, imported when a pool is wanted (the
    reading stack is seconds of imports); tests replace this name to give the readers a fake reader.
    """
    from core.reading.pool import pool_for as reader_processes

    return reader_processes(settings, workers, per_worker=per_worker)


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
        self.catalog = Catalog(settings.catalog_url, settings.database_read_urls, settings.replica_max_lag)
        self.catalog.migrate()
        self.blobs = BlobStore(settings.originals_path)
        self._index: SearchIndex | None = None
        self._reader: DocumentReader | None = None
        self._filing: Filing | None = None
        self._audit: AuditLog | None = None
        self._pooled_reader: PooledReader | None = None
        self._views = ViewCache()  # pages' views per catalog generation (core/catalog/generation.py)
        # Each lazily built part has its own lock: a request waits for the part it needs while
        # another thread builds a different one (the server's warm-up), not for all of them.
        self._build_locks = {name: threading.Lock() for name in ("_index", "_filing", "_audit", "_pooled_reader")}
        self._catalogue: Catalogue | None = None
        self._workbench: Workbench | None = None
        self.clock = LocalClock(settings.display_timezone)
        from core.projects.desk import ProjectDesk

        ProjectDesk.ensure_trays(self.catalog, settings.default_project)  # INBOX is a tray from the start

    # --- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> ArchiveService:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._audit is not None:
            self._audit.close()  # its head file written before the process may end
        if self._pooled_reader is not None:
            self._pooled_reader.close()
        if self._index is not None:
            self._index.close()
        self.catalog.dispose()

    @property
    def index(self) -> SearchIndex:
        """The search index (``core/indexing``), opened on first use: a command that never searches never loads an engine."""
        def build() -> SearchIndex:
            from core.indexing.search_index import SearchIndex

            return SearchIndex(self.catalog, self.settings)

        return self._built("_index", build)

    @property
    def _pooled(self) -> PooledReader:
        """One reader process for reads off the main thread (started on the first such read)."""
        def build() -> PooledReader:
            from core.reading.pooled import PooledReader

            settings = self.settings
            return PooledReader(lambda: pool_for(settings, workers=1))  # one file at a time: see _reads_here

        return self._built("_pooled_reader", build)

    @property
    def task_book(self) -> TaskBook:
        """The web app's background tasks as every server process sees them (``core/catalog/tasks.py``)."""
        from core.catalog.tasks import TaskBook, node_name

        return TaskBook(self.catalog, node_name(self.settings.home))

    def warm_up(self) -> None:
        """Build the heavy parts now (search engine, filing rules) so the first request does not wait.

        For a server: called on a background thread at start-up; a request that needs a part
        meanwhile waits for that part alone (each lazily built part has its own lock).
        """
        from schemas.search import SearchQuery

        self.store.search(SearchQuery(text="档案", limit=1))  # the engine, its searcher, the tokenizer's dictionary
        _ = self.filing.taxonomy

    # --- accounts, audit trail, browsing (core/security, core/browsing) ---------------------
    @property
    def accounts(self) -> AccountBook:
        """Users, roles, API tokens and UI sessions (core/security/accounts.py)."""
        return AccountBook(self.catalog)

    @property
    def audit(self) -> AuditLog:
        """The hash-chained audit trail (core/security/audit.py); the head file pins its newest entry.

        One per service, so that concurrent appends (API requests) are group-committed together.
        """
        return self._built("_audit", lambda: AuditLog(self.catalog, head_file=self.settings.home / "audit.head"))

    def _built(self, name: str, build: Callable[[], T]) -> T:
        """The part kept in attribute ``name``, built on first use, once, whichever thread asks first."""
        value = getattr(self, name)
        if value is None:
            with self._build_locks[name]:
                value = getattr(self, name)
                if value is None:
                    value = build()
                    setattr(self, name, value)
        return value

    def list_documents(self, flt: DocumentFilter, limit: int = 50, offset: int = 0) -> DocumentPage:
        """A page of documents, newest arrival first; remembered until the catalog's generation moves."""
        from core.browsing import listing

        return self._views.get(("documents", flt, limit, offset), self.catalog.generation(),
                               lambda: listing.list_documents(self.catalog, flt, limit, offset))

    def list_projects(self) -> list[ProjectSummary]:
        """Every project with its counts; remembered until the catalog's generation moves."""
        from core.browsing import listing

        return self._views.get("projects", self.catalog.generation(), lambda: listing.list_projects(self.catalog))

    def dashboard(self, watching: list[WatchNote] | None = None) -> Dashboard:
        """The home page's numbers (``core/browsing/dashboard.py``): computed once per catalog
        generation and local day; the recent exports (audit trail) and ``watching`` (the watched
        shares' job counts, which the caller knows) are added fresh on every view.
        """
        from core.browsing.dashboard import recent_exports

        today = self.clock.today()
        board = self._views.get(("dashboard", today), self.catalog.generation(),
                                lambda: self.workbench.dashboard(self.settings.default_project, []))
        return board.model_copy(update={"recent_exports": recent_exports(self.audit, self.clock),
                                         "watching": watching or []})

    def overdue_disclosures(self) -> list[DueItem]:
        """The dashboard's overdue 阳光工程 items (``core/disclosure``), kept per catalog generation and
        local day: the list reads every project's facts (seconds on hundreds of projects).
        """
        today = self.clock.today()
        return self._views.get(("overdue disclosures", today), self.catalog.generation(),
                               lambda: self.disclosure.overdue(today), stale_ok=True)

    # --- the workbench: records, browsing, overview (core/projects, core/browsing, core/messages) ---
    @property
    def catalogue(self) -> Catalogue:
        """The message catalogue (Chinese names of every status, action and error), loaded on first use."""
        if self._catalogue is None:
            from core.messages import load_catalogue

            self._catalogue = load_catalogue(self.settings.messages_override)
        return self._catalogue

    @property
    def projects(self) -> ProjectDesk:
        """Project records, moves, merges and corrections of documents' records."""
        from core.projects import ProjectDesk

        return ProjectDesk(self.catalog, self.settings, self.index, self.list_projects,
                           self.catalogue.retention_periods, self.catalogue.secrecy_levels, self._writer_lock)

    @property
    def workbench(self) -> Workbench:
        """Browsing by filing (with the bundle's 档号), dashboard, statistics, usage, the readable audit trail."""
        if self._workbench is None:
            from core.browsing.workbench import Workbench
            from core.bundling.bundles import filing_plan
            from core.projects.desk import NOT_ARCHIVE

            taxonomy = self.filing.taxonomy
            names = ({c.code: c.name for c in taxonomy.classes}, {s.code: s.name for s in taxonomy.subclasses()})
            self._workbench = Workbench(
                self.catalog, self.blobs, lambda: self.audit,
                lambda: (filing_plan(self.filing), self.filing.assessor.rules.archival_code), lambda: names,
                self.catalogue, self.clock, hidden_trays=(NOT_ARCHIVE,))
        return self._workbench

    def reread(self, doc_id: str) -> FileReport:
        """Read a stored original again (after OCR was installed, a password removed …), as its writer."""
        with self._writer_lock():
            self.blobs.open()
            doc_id = self.show(doc_id).id
            line = self._ingestor().finish(doc_id, f"(stored original {doc_id})")
            self._indexer().index_pending()
        return line

    def original(self, doc_id: str) -> Original:
        """Where the stored bytes of one document are (for download); exact id only."""
        from core.browsing import listing

        return listing.original(self.catalog, self.blobs, doc_id)

    @property
    def store(self) -> SearchStore:
        """The search index of the configured engine, for reading (``core/indexing/search_index.py``)."""
        return self.index.store

    @property
    def reader(self) -> DocumentReader:
        if self._reader is None:
            from core.reading.reader import DocumentReader, ocr_options

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
        from core.watching.writer_spell import Writers

        with self._writer_lock():
            self.blobs.open()
            yield Writers(self._ingestor(read_here), self._indexer())

    def _writer_lock(self, rebuild: bool = False) -> AbstractContextManager[None]:
        """Be a writer of the archive (``core.storage.locks``): the home's lock file on SQLite, an
        advisory lock on PostgreSQL — shared by writers when the index is in the database too,
        exclusive for a ``rebuild`` of the index or beside a file index.
        """
        if not self.catalog.is_postgres:
            return writer_lock(self.settings.home)
        shared = self.settings.search_backend == "postgres" and not rebuild
        return writer_lock(self.settings.home, database=self.catalog.engine, shared=shared)

    def _ingestor(self, read_here: bool = True, *, isolated: bool = False) -> Ingestor:
        """``read_here=False``: the watcher's, whose reading happens in reader processes.

        ``isolated``: every read goes to a reader process even on the main thread (recovery: a
        file left unread by a crash may be what crashed the process).
        """
        from core.intake.ingestor import Ingestor

        if isolated or (read_here and not self._reads_here()):
            return Ingestor(self.catalog, self.blobs, None, self.settings.max_file_bytes, decide=self.filing.decide,
                            read_elsewhere=self._pooled.read)
        return Ingestor(self.catalog, self.blobs, self.reader if read_here else None, self.settings.max_file_bytes,
                        decide=self.filing.decide, time_limit=self.settings.watch_read_timeout,
                        memory_limit=self.settings.read_memory_mb * (1 << 20))

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
        """Take every file under the given paths; one report line per file, whatever happens.

        A batch of ``ingest_processes_from`` files or more, on the main thread, is read in reader
        processes on every core (``core/intake/in_readers.py``); smaller ones here, one by one.
        """
        from core.intake.walk import arrivals
        from schemas.ingest import IngestReport

        progress = progress or _Silent()
        batch = list(arrivals(request, self.settings.default_project))
        report = IngestReport()
        with self._writer_lock():
            self.blobs.open()
            self._recover()
            progress.start(len(batch))
            if self._reads_in_readers(len(batch)):
                for line in self._ingest_in_readers(batch, progress):
                    report.add(line)
                return report
            from core.intake.batch import take_batch

            take_batch(batch, self._ingestor(), self._indexer(), self.settings.index_batch_size, report, progress)
        return report

    def _reads_in_readers(self, files: int) -> bool:
        threshold = self.settings.ingest_processes_from
        return bool(threshold) and files >= threshold and threading.current_thread() is threading.main_thread()

    def _ingest_in_readers(self, batch: list[Arrival], progress: BatchProgress) -> list[FileReport]:
        from core.intake.in_readers import ReadersBatch

        pool = pool_for(self.settings, per_worker=IN_FLIGHT_PER_READER)
        pool.start()  # the readers build their pipelines while the first files are stored
        try:
            reading = ReadersBatch(self._ingestor(read_here=False), self._indexer(), pool,
                                   self.settings.index_batch_size, progress.advance)
            return reading.run(batch)
        finally:
            pool.shutdown()

    def _recover(self) -> None:
        """Finish what an interrupted run left: unread documents first, then the index."""
        with self.catalog.session() as session:
            unfinished = session.scalars(
                select(Document.id).where(Document.status.in_(DocumentStatus.UNFINISHED))
            ).all()
        if unfinished:
            # In a reader process, never here: the file the last run died on may be what killed it
            # (a converter crash, the OOM killer), and reading it here first would kill every
            # later run the same way. In the reader process a file that kills it twice is
            # quarantined with that reason and the batch goes on.
            logger.warning("finishing %d document(s) left unread by an interrupted run", len(unfinished))
            ingestor = self._ingestor(isolated=True)
            for doc_id in unfinished:
                ingestor.finish(doc_id, f"(stored original {doc_id})")
            if self._reads_here():
                self._pooled.close()  # the batch reads here; the reader process has done its part
        self._indexer().index_pending()

    def recover(self) -> None:
        """Finish an interrupted run (unread documents, then the index), as its own writer."""
        with self._writer_lock():
            self.blobs.open()
            self._recover()

    # --- classify (dry run) ----------------------------------------------------------------
    def classify_paths(self, paths: list[Path]) -> ClassifyReport:
        from core.intake.walk import require_paths, walk
        from schemas.documents import ClassifyReport

        require_paths(paths)
        report = ClassifyReport()
        for root in paths:
            for path, hints in walk(root):
                report.files.append(self._classify_one(path, hints))
        return report

    def _classify_one(self, path: Path, hints: tuple[str, ...]) -> FileClassification:
        from schemas import meta as M
        from schemas.documents import FileClassification

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
            candidates=verdict.candidates,
        )

    # --- read side -------------------------------------------------------------------------
    def search(self, query: SearchQuery, user: str | None = None) -> SearchResult:
        """Keyword search; with ``user`` the search goes on the audit trail (the API audits its own)."""
        from core.catalog.mapping import search_hit
        from schemas.search import SearchResult
        from search.query import QuerySyntaxError

        try:
            page = self.store.search(query)
        except QuerySyntaxError as exc:
            raise InvalidQuery(f"query {query.text!r}: {exc}", position=getattr(exc, "position", None)) from exc
        result = SearchResult(total=page.total, hits=[search_hit(hit) for hit in page.hits],
                              sort=page.sort, facets=page.facets)
        if user is not None:
            from core.searching import search_audit

            search_audit.record_search(self.audit, user, query, result)
        return result

    # --- search upkeep and audit work (core/indexing, core/searching) ------------------------
    def more_like_this(self, doc_id: str, limit: int = 10, user: str | None = None) -> SearchResult:
        """Documents most like one document (shared telling words), best first."""
        from core.catalog.mapping import search_hit
        from core.searching import search_audit
        from schemas.search import SearchQuery, SearchResult

        doc_id = self.show(doc_id).id  # raises DocumentNotFound for an unknown id; a prefix becomes the id
        page = self.store.more_like_this(doc_id, limit=limit)
        result = SearchResult(total=page.total, hits=[search_hit(hit) for hit in page.hits])
        if user is not None:
            search_audit.record_search(self.audit, user, SearchQuery(text=f"more-like:{doc_id}"), result)
        return result

    def export_search(self, query: SearchQuery, path: Path, user: str, audit_trail: bool = True,
                      link_base: str | None = None) -> ExportReport:
        """Every match of ``query`` (all pages) into a CSV/XLSX working paper; audited.

        ``audit_trail=False`` is for skins that write their own audit entry (the API, with the client);
        ``link_base`` is where the links point (the web UI's document pages; default the setting).
        """
        from core.searching import search_audit
        from schemas.search import ExportReport

        rows: list[list[object]] = []
        page_query = query.model_copy(update={"limit": 1000, "offset": 0, "facets": False})
        while True:
            result = self.search(page_query)
            rows.extend(search_audit.export_rows(result, link_base or self.settings.document_link_base))
            if not result.hits or len(rows) >= result.total:
                break
            page_query = page_query.model_copy(update={"offset": len(rows)})
        search_audit.write_export(path, rows)
        if audit_trail:
            search_audit.record_export(self.audit, user, query, path, len(rows))
        return ExportReport(path=str(path), rows=len(rows), total=result.total)

    @property
    def saved_searches(self) -> SavedSearches:
        from core.searching.search_audit import SavedSearches

        return SavedSearches(self.settings.home)

    def read_original(
        self, doc_id: str, user: str, purpose: str = "read", audit_trail: bool = True
    ) -> Original:
        """The stored original of ``doc_id``, with the read in its history and on the audit trail.

        ``audit_trail=False`` is for skins that write their own, richer audit entry (the API adds
        the client address); the document's history event is recorded either way.
        """
        from core.searching import search_audit

        found = self.original(doc_id)
        audit = self.audit if audit_trail else None
        search_audit.record_original_read(self.catalog, audit, user, found.doc_id, purpose)
        return found

    def check_index(self, repair: bool = False) -> IndexCheckReport:
        """Where the index and the catalog disagree; ``repair`` fixes it (under the writer lock)."""
        from core.indexing import upkeep as index_upkeep

        if not repair:
            return index_upkeep.check(self.catalog, self.store)
        with self._writer_lock(rebuild=True):
            return index_upkeep.repair(self.catalog, self.index.writable(), self._indexer())

    def show(self, doc_id: str) -> DocumentRecord:
        """One document; on a fresh replica, or on the primary when the replica lacks it (just taken in)."""
        from core.catalog.mapping import document_record

        try:
            with self.catalog.read_session() as session:
                return document_record(session, find_document(session, doc_id))
        except DocumentNotFound:
            if not self.catalog.reads.replicas:
                raise
        with self.catalog.session() as session:
            return document_record(session, find_document(session, doc_id))

    def status(self) -> WatchStatusReport:
        from core.watching.jobs import JobQueue
        from schemas.watch import WatchStatusReport

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
        from core.watching.watcher import FolderWatcher

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
        def build() -> Filing:
            from core.filing.filer import Filing

            return Filing(self.catalog, self.blobs, self.settings)

        return self._built("_filing", build)

    def completeness(self, project: str, rehash_originals: bool = True, cached: bool = False) -> CompletenessReport:
        """What the project's archive has and lacks, checked the way an archive inspector does.

        ``rehash_originals=False`` skips re-hashing every original in the 四性 fixity check (for a
        caller that verifies every byte itself, as the handover's copy does). ``cached=True`` is for
        a page shown on every view: it returns the report computed at the catalog's current
        generation; after a change it waits up to a second for the new one and, if that is not
        ready (a 10,000-document project takes many seconds), returns the previous report while
        the new one is computed in the background — ``report.generation`` says which state it shows.
        Originals altered on disk behind the catalog's back are noticed when the catalog next
        changes, or by an uncached call (the CLI, the handover).
        """
        if self.projects.is_tray(project):
            raise InputError(f"{project} is a tray of files waiting to be filed, not a project: it has no completeness",
                             project=project)
        if not cached:
            return self.filing.completeness(project, rehash_originals)
        generation = self.catalog.generation()

        def compute() -> CompletenessReport:  # only documents changed since the last report are read again
            report = self.filing.completeness(project, rehash_originals, fresh=False)
            report.generation = generation
            return report

        return self._views.get(("completeness", project, rehash_originals), generation, compute, stale_ok=True)

    def waive(self, project: str, item: str, reason: str, who: str) -> Waiver:
        return self.filing.waive(project, item, reason, who)

    def reclassify(self, doc_id: str, class_code: str, item_code: str | None = None,
                   who: str = "archivist") -> Classification:
        """Re-file (and confirm) a document; the search index follows on the next indexing pass."""
        with self._writer_lock():
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
        from core.bundling.bundles import HandoverWriter

        if self.projects.is_tray(project):
            raise InputError(f"{project} is a tray, not a project: move its files into a project first",
                             project=project)
        writer = HandoverWriter(self.catalog, self.blobs, self.filing, self.settings.agency)
        return writer.write(project, out, zip=zip, only=only, asset=asset, eep=eep)

    def verify_bundle(self, path: Path) -> VerifyBundleReport:
        """Check a handover bundle (folder or zip): bag checksums, manifest schema, listed files."""
        from core.bundling.bundles import check_bundle

        return check_bundle(path)

    def reindex(self, progress: BatchProgress | None = None) -> ReindexReport:
        """Rebuild the search index from the catalog (the index is derived data)."""
        from schemas.documents import ReindexReport

        progress = progress or _Silent()
        with self._writer_lock(rebuild=True):
            total = self.index.processed_count()
            progress.start(total)
            indexed = self.index.rebuild()
        return ReindexReport(documents=total, indexed=indexed)

    # --- moving the catalog (core/catalog/moving.py) ----------------------------------------
    def migrate_catalog(self, to_url: str, progress: Callable[[str, int], None] | None = None) -> CatalogMoveReport:
        """Copy this archive's catalog to ``to_url`` (resumable), then verify counts, checksums, audit chain."""
        from core.catalog.moving import copy_catalog

        target = Catalog(to_url)
        try:
            with self._writer_lock(rebuild=True):  # nothing is written to the source meanwhile
                moved = copy_catalog(self.catalog, target, progress)
            audit = AuditLog(target, head_file=self.settings.home / "audit.head").verify()
        finally:
            target.dispose()
        return moved.report(audit.valid, audit.problems)

    # --- keeping the archive intact: verify, backups, repair (core/fixity, core/backup) -------
    @property
    def safekeeping(self) -> Safekeeping:
        """``verify`` (and ``--repair-from``), the daily fixity slice, ``fixity_status`` for the
        dashboard, ``backup`` and ``verify_backup`` (``core/backup/safekeeping.py``).
        """
        from core.backup.safekeeping import Safekeeping

        return Safekeeping(self.catalog, self.blobs, self.settings, self.audit)

    @staticmethod
    def restore(source: Path, home: Path, *, force: bool = False, snapshot: str | None = None) -> RestoreReport:
        """Bring a backup back into a home: files in place, index rebuilt, audit chain checked
        (``core/backup/restoring.py``; imported when used).
        """
        from core.backup.restoring import restore_archive

        return restore_archive(source, home, force=force, snapshot=snapshot)

    # --- review queue (the web UI's review page) ---------------------------------------------
    def review_queue(self, project: str, limit: int = 50, offset: int = 0) -> DocumentPage:
        """A project's documents flagged for review or not filed, least confident first."""
        from core.browsing import listing

        return listing.review_queue(self.catalog, project, limit, offset)

    def bulk(self, action: str, doc_ids: list[str], value: str, reason: str, who: str) -> BulkReport:
        """更正类别 / 移到项目 / 确认归类 / 设置保管期限 on a selection, all or nothing in the catalog."""
        return self.projects.bulk(action, doc_ids, value, reason, who, refile=self.filing.refile)

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
        from core.oversight import OversightRoom

        return OversightRoom(self.catalog, lambda: self.audit, self.settings.home)

    # 阳光工程 disclosure (core/disclosure/, issue 18)
    @cached_property
    def disclosure(self) -> DisclosureRoom:
        """阳光工程 disclosure: drafts from the archive, redaction, approval, published packages, due list."""
        from core.disclosure import DisclosureRoom

        return DisclosureRoom(self.catalog, self.oversight, lambda: self.accounts, lambda: self.audit, self.settings.home)
