"""ArchiveService: the one facade the CLI and the API both call.

It owns the catalog, the store of originals, the reading pipeline and the search index, built from
one ``Settings`` object. Skins parse input, call one method here and print or return the result;
they never touch the catalog or the index themselves.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from sqlalchemy import func, select

from core.blobstore import BlobStore
from core.catalog import Catalog, Document, DocumentStatus
from core.errors import DocumentNotFound, InputError, InvalidQuery, PathNotFound, SearchIndexError
from core.indexing import Indexer
from core.ingestion import Arrival, Ingestor
from core.locks import writer_lock
from core.mapping import document_record, search_hit
from core.reading import DocumentReader
from core.settings import Settings
from core.watch_jobs import JobQueue
from core.watching import BatchCallback, FolderWatcher
from schemas import meta as M
from schemas.documents import (
    Classification,
    ClassifyReport,
    DocumentRecord,
    FileClassification,
    ReindexReport,
)
from schemas.ingest import FileReport, IngestReport, IngestRequest
from schemas.search import SearchQuery, SearchResult
from schemas.watch import WatchReport, WatchRoot, WatchStatusReport
from search import IndexVersionError, QuerySyntaxError, WhooshDocumentStore

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
        self._store: WhooshDocumentStore | None = None
        self._reader: DocumentReader | None = None

    # --- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> ArchiveService:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.catalog.dispose()

    @property
    def store(self) -> WhooshDocumentStore:
        if self._store is None:
            try:
                self._store = WhooshDocumentStore(index_path=str(self.settings.index_path))
            except IndexVersionError as exc:
                raise SearchIndexError(f"{exc}; run `jiandang reindex` to rebuild it from the catalog") from exc
            except Exception as exc:
                raise SearchIndexError(f"cannot open the search index: {exc}; run `jiandang reindex`") from exc
        return self._store

    @property
    def reader(self) -> DocumentReader:
        if self._reader is None:
            override = self.settings.taxonomy_override
            self._reader = DocumentReader(
                taxonomy_override=str(override) if override else None,
                review_threshold=self.settings.review_threshold,
            )
        return self._reader

    def _ingestor(self) -> Ingestor:
        return Ingestor(self.catalog, self.blobs, self.reader, self.settings.max_file_bytes)

    def _indexer(self) -> Indexer:
        return Indexer(self.catalog, self.store, self.settings.index_batch_size)

    # --- ingest ----------------------------------------------------------------------------
    def ingest(self, request: IngestRequest, progress: BatchProgress | None = None) -> IngestReport:
        """Take every file under the given paths; one report line per file, whatever happens."""
        progress = progress or _Silent()
        arrivals = list(self._arrivals(request))
        report = IngestReport()
        with writer_lock(self.settings.home):
            self.blobs.open()
            self._recover()
            ingestor, indexer = self._ingestor(), self._indexer()
            progress.start(len(arrivals))
            since_index = 0
            for arrival in arrivals:
                line = ingestor.take(arrival)
                report.add(line)
                progress.advance(line)
                since_index += 1
                if since_index >= self.settings.index_batch_size:
                    indexer.index_pending()
                    since_index = 0
            indexer.index_pending()
        return report

    def _arrivals(self, request: IngestRequest) -> Iterator[Arrival]:
        batch_id = uuid.uuid4().hex
        project = request.project or self.settings.default_project
        missing = [str(p) for p in request.paths if not p.exists()]
        if missing:
            raise PathNotFound(f"no such file or folder: {', '.join(missing)}", path=missing[0])
        for root in request.paths:
            for path, hints in _walk(root):
                yield Arrival(path=path, batch_id=batch_id, source=request.source, project_code=project,
                              folder_hints=hints)

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
        with writer_lock(self.settings.home):
            self.blobs.open()
            self._recover()

    # --- classify (dry run) ----------------------------------------------------------------
    def classify_paths(self, paths: list[Path]) -> ClassifyReport:
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise PathNotFound(f"no such file or folder: {', '.join(missing)}", path=missing[0])
        report = ClassifyReport()
        for root in paths:
            for path, hints in _walk(root):
                report.files.append(self._classify_one(path, hints))
        return report

    def _classify_one(self, path: Path, hints: tuple[str, ...]) -> FileClassification:
        if path.stat().st_size == 0:
            return FileClassification(path=str(path), error=f"《{path.name}》: empty file (0 bytes)")
        outcome = self.reader.read(path, path.name, {M.FOLDER_HINTS: list(hints)})
        if outcome.document is None:
            return FileClassification(path=str(path), error=outcome.reason)
        verdict = Classification.model_validate(outcome.document.meta.get(M.CLASSIFICATION) or {})
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
    def search(self, query: SearchQuery) -> SearchResult:
        try:
            page = self.store.search(query)
        except QuerySyntaxError as exc:
            raise InvalidQuery(f"query {query.text!r}: {exc}", position=getattr(exc, "position", None)) from exc
        return SearchResult(total=page.total, hits=[search_hit(hit) for hit in page.hits])

    def show(self, doc_id: str) -> DocumentRecord:
        with self.catalog.session() as session:
            doc = session.get(Document, doc_id)
            if doc is None:
                matches = session.scalars(select(Document).where(Document.id.startswith(doc_id))).all()
                if len(matches) != 1:
                    raise DocumentNotFound(f"no document with id {doc_id!r}", doc_id=doc_id)
                doc = matches[0]
            return document_record(session, doc)

    def status(self) -> WatchStatusReport:
        with self.catalog.session() as session:
            counts = dict(
                session.execute(select(Document.status, func.count()).group_by(Document.status)).all()
            )
        # --- watched folders: job queue per root (core/watching.py) ---
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
        # --- end watched folders ---

    def reindex(self, progress: BatchProgress | None = None) -> ReindexReport:
        """Rebuild the search index from the catalog (the index is derived data)."""
        progress = progress or _Silent()
        with writer_lock(self.settings.home):
            with self.catalog.session() as session:
                total = session.scalar(
                    select(func.count()).select_from(Document).where(Document.status == DocumentStatus.PROCESSED)
                ) or 0
            progress.start(total)
            # The index is derived data: a rebuild starts from an empty index of the current
            # schema version, whatever state (old version, damage) the old one was in.
            self._store = WhooshDocumentStore(index_path=str(self.settings.index_path), recreate=True)
            indexed = self._indexer().rebuild()
        return ReindexReport(documents=total, indexed=indexed)


def _walk(root: Path) -> Iterable[tuple[Path, tuple[str, ...]]]:
    """Every regular file under ``root`` in a stable order, with its folder names as hints."""
    if root.is_file():
        yield root, (root.parent.name,) if root.parent.name else ()
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        here = Path(dirpath)
        relative = here.relative_to(root).parts
        hints = tuple(reversed((root.name, *relative)))
        for name in sorted(filenames):
            path = here / name
            if path.is_file():
                yield path, hints
