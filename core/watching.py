"""The folder watcher's loop: events in, stability decisions, durable jobs, files taken in once.

Threads: watchdog's observer threads only put ``(path, kind)`` on a ``queue.Queue``; ONE loop
thread (the caller of :meth:`FolderWatcher.run`) owns the stability trackers (not thread-safe),
the job queue, the batches and the ingestor. Order of work for a file, each step durable before
the next:

1. seen (event, startup scan or periodic rescan) → a ``queued`` job row (unique per root+path);
2. the tracker says READY → row ``processing`` → ``Ingestor.take`` stores, reads and commits;
3. row ``done`` / ``quarantined`` with document id and sha256 → only then the after-archive
   action (move/delete) may touch the source.

A crash between 2 and 3 leaves ``processing`` rows; the next start re-queues them and the
content-addressed store makes the second take a no-op for bytes already stored. Stopping (Ctrl-C,
SIGTERM: the caller sets ``stop``) finishes the current file and leaves the rest queued.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from core.catalog import Document, JobState
from core.history import record
from core.ingestion import Arrival
from core.locks import writer_lock
from core.watch_batches import BatchBook, ClosedBatch
from core.watch_files import RootRules
from core.watch_jobs import JobQueue, Sighting
from ingest.watch import Decision, DecisionKind, FolderObserver, StabilityTracker, choose_mode, validate_file
from schemas.ingest import FileReport, IngestSource, IngestStatus
from schemas.watch import WatchReport, WatchRoot

if TYPE_CHECKING:
    from core.service import ArchiveService

logger = logging.getLogger(__name__)

CONTENT_KINDS = frozenset({"created", "modified", "closed_write", "moved_in"})
BatchCallback = Callable[[ClosedBatch], None]


class FolderWatcher:
    """Watches roots until ``stop`` is set (or, with ``once``, until what was there is taken in)."""

    def __init__(
        self,
        service: ArchiveService,
        roots: list[WatchRoot],
        *,
        once: bool = False,
        rescan_interval: float = 60.0,
        on_batch: BatchCallback | None = None,
        keep_lines: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._service = service
        self._rules = {root.path: RootRules(root, service.settings.default_project) for root in roots}
        self._once = once
        self._rescan_interval = rescan_interval
        self._on_batch = on_batch
        self._keep_lines = keep_lines
        self._clock = clock
        self._events: queue.Queue[tuple[Path, str]] = queue.Queue()
        self._jobs = JobQueue(service.catalog)
        self._batches = BatchBook(lambda root: root.stability_window, self._flag_mismatch)
        self._trackers: dict[Path, StabilityTracker] = {}
        self._observers: list[FolderObserver] = []
        self.report = WatchReport()

    # --- public ----------------------------------------------------------------------------
    def run(self, stop: threading.Event) -> WatchReport:
        """Run the loop; returns the report of every batch closed while running."""
        self._start()
        try:
            next_rescan = self._clock() + self._rescan_interval
            while not stop.is_set():
                self._drain_events(self._wait_time(next_rescan))
                self._decide(stop)
                self._emit(self._batches.close_quiet(self._clock()))
                if not self._once and self._clock() >= next_rescan:
                    self._scan()
                    next_rescan = self._clock() + self._rescan_interval
                if self._once and not any(len(t) for t in self._trackers.values()):
                    break
        finally:
            for observer in self._observers:
                observer.stop()
            self._emit(self._batches.close_quiet(self._clock(), force=True))
        return self.report

    # --- start-up --------------------------------------------------------------------------
    def _start(self) -> None:
        self._service.recover()  # finish what an interrupted run left, under the writer lock
        roots = [str(path) for path in self._rules]
        self._jobs.requeue_interrupted(roots)
        for path, rules in self._rules.items():
            root = rules.root
            mode = "polling" if self._once else choose_mode(path, root.mode.value)
            self._trackers[path] = StabilityTracker(
                validate=validate_file, clock=self._clock, mode=mode, window=root.stability_window,
                max_attempts=root.max_attempts,
            )
            if not self._once:
                observer = FolderObserver([path], mode, root.poll_interval, self._put, rules.ignore)
                observer.start()  # before the scan, so nothing lands unseen in between
                self._observers.append(observer)
        for path in self._rules:
            for queued in self._jobs.queued_paths(str(path)):
                if not Path(queued).exists():
                    self._jobs.forget(str(path), queued)
        self._scan()

    def _put(self, path: Path, kind: str) -> None:
        self._events.put((path, kind))  # on watchdog's thread: nothing else happens here

    def _scan(self) -> None:
        """Startup scan and periodic reconciliation: anything on disk not yet settled is tracked."""
        now = self._clock()
        for root, rules in self._rules.items():
            tracker = self._trackers[root]
            sightings = [Sighting(str(p), size, mtime) for p, size, mtime in rules.scan() if p not in tracker]
            for wanted in self._jobs.note_seen(str(root), sightings):
                path = Path(wanted)
                tracker.observe(path, "seen", now)
                if path in tracker:
                    self._batches.waiting(rules.root, path, now)

    # --- events ----------------------------------------------------------------------------
    def _wait_time(self, next_rescan: float) -> float:
        now = self._clock()
        due = [t.next_due(now) for t in self._trackers.values()]
        soonest = min([d for d in due if d is not None] + [now + 0.5, next_rescan])
        return min(0.5, max(0.01, soonest - now))

    def _drain_events(self, timeout: float) -> None:
        try:
            item = self._events.get(timeout=timeout)
        except queue.Empty:
            return
        while True:
            self._observe(*item)
            try:
                item = self._events.get_nowait()
            except queue.Empty:
                return

    def _observe(self, path: Path, kind: str) -> None:
        root = self._root_of(path)
        if root is None:
            return
        tracker = self._trackers[root]
        noted = False
        if kind in CONTENT_KINDS and path not in tracker:
            try:
                stat = path.stat()
            except OSError:
                return
            wanted = self._jobs.note_seen(str(root), [Sighting(str(path), stat.st_size, stat.st_mtime_ns)])
            if not wanted:
                tracker.mark_settled(path, (stat.st_size, stat.st_mtime_ns))
                return
            noted = True
        tracker.observe(path, kind)
        if path in tracker:
            self._batches.waiting(self._rules[root].root, path, self._clock())
        elif noted:
            # The file went away between our stat and the tracker's: no decision will ever come
            # for it, so its fresh job row must not linger as "queued".
            self._jobs.forget(str(root), str(path))

    def _root_of(self, path: Path) -> Path | None:
        for root in self._rules:
            if root in path.parents:
                return root
        return None

    # --- decisions -------------------------------------------------------------------------
    def _decide(self, stop: threading.Event) -> None:
        decisions = [(root, d) for root, tracker in self._trackers.items() for d in tracker.due()]
        if not decisions:
            return
        service = self._service
        with writer_lock(service.settings.home):
            ingestor, indexer = service._ingestor(), service._indexer()
            since_index = 0
            for position, (root, decision) in enumerate(decisions):
                if stop.is_set():
                    self._requeue_rest(decisions[position:])
                    break
                try:
                    self._settle(root, decision, ingestor)
                except Exception:
                    # One file must not stop the watcher: its row stays ``processing`` and the
                    # next rescan (or restart) takes it again.
                    logger.exception("taking in %s failed; it will be retried", decision.path)
                since_index += 1
                if since_index >= service.settings.index_batch_size:
                    indexer.index_pending()
                    since_index = 0
            indexer.index_pending()

    def _requeue_rest(self, rest: list[tuple[Path, Decision]]) -> None:
        """Stopping: decided but untaken files stay ``queued`` rows; the next start takes them."""
        logger.info("stopping: %d decided file(s) left queued for the next start", len(rest))

    def _settle(self, root: Path, decision: Decision, ingestor) -> None:  # type: ignore[no-untyped-def]
        rules = self._rules[root]
        path, now = decision.path, self._clock()
        if decision.kind == DecisionKind.VANISHED:
            self._jobs.forget(str(root), str(path))
            self._batches.decided(rules.root, path, None, None, now)
            return
        batch = self._batches.batch_for(rules.root, path, now)
        claim = self._jobs.claim(str(root), str(path), decision.size, _ns(decision.mtime), batch.batch_id)
        arrival = Arrival(path=path, batch_id=batch.batch_id, source=IngestSource.WATCH,
                          project_code=rules.project_for(path), folder_hints=rules.folder_hints(path))
        line = ingestor.take(arrival)
        sha = self._sha_of(line.document_id)
        if decision.kind == DecisionKind.GIVE_UP:
            line = FileReport(path=line.path, status=IngestStatus.QUARANTINED, document_id=line.document_id,
                              reason=f"《{path.name}》: {decision.reason}")
        state = JobState.QUARANTINED if line.status == IngestStatus.QUARANTINED else JobState.DONE
        self._jobs.finish(str(root), str(path), state=state, document_id=line.document_id, sha256=sha,
                          reason=line.reason)
        if claim.previous_document_id and line.document_id and claim.previous_document_id != line.document_id:
            self._record_version(claim.previous_document_id, line.document_id, str(path))
        if line.document_id:
            rules.after_archive(path)
        self._batches.decided(rules.root, path, line, sha, self._clock())

    # --- catalog touches -------------------------------------------------------------------
    def _sha_of(self, document_id: str | None) -> str | None:
        if document_id is None:
            return None
        with self._service.catalog.session() as session:
            return session.scalar(select(Document.sha256).where(Document.id == document_id))

    def _record_version(self, previous: str, current: str, path: str) -> None:
        """A changed file at a watched path is a new document and a new version of the old one."""
        with self._service.catalog.session() as session:
            record(session, current, "new_version", previous_document_id=previous, path=path)
            record(session, previous, "superseded", by_document_id=current, path=path)

    def _flag_mismatch(self, root: str, path: str, document_id: str | None, reason: str) -> None:
        self._jobs.flag(root, path, reason)
        if document_id:
            with self._service.catalog.session() as session:
                record(session, document_id, "manifest_mismatch", path=path, reason=reason)

    def _emit(self, closed: list[ClosedBatch]) -> None:
        for batch in closed:
            self.report.batches.append(batch.summary)
            for line in batch.lines:
                if self._keep_lines:
                    self.report.add(line)
                else:
                    counts = self.report.counts
                    setattr(counts, line.status.value, getattr(counts, line.status.value) + 1)
            if self._on_batch is not None:
                self._on_batch(batch)


def _ns(mtime: float | None) -> int | None:
    return None if mtime is None else int(mtime)
