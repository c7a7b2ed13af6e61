"""The folder watcher's loop: events in, stability decisions, durable jobs, files taken in once.

Threads and processes: watchdog's observer threads only put ``(path, kind)`` on a
``queue.Queue``; ONE loop thread (the caller of :meth:`FolderWatcher.run`) owns the stability
trackers (not thread-safe), the job queue, the batches, the catalog and the index writer; reader
processes (``core.reading.pool``) do the conversion, on every core. Order of work for a file, each
step durable before the next:

1. seen (event, startup scan or periodic rescan) → a ``queued`` job row (unique per root+path);
2. the tracker says READY → the original is stored (fingerprinted, fsynced), then its receipt
   and the row's move to ``processing`` are committed together, in this process;
3. a reader process converts, cleans, extracts fields and classifies the *stored* copy (never
   the share: a file replaced meanwhile cannot mix into it);
4. the outcome comes back → the document is recorded and, in the same commit, the row becomes
   ``done`` / ``quarantined`` with the size and mtime that were stored (two fsynced commits per
   file, not four: see ``core.watching.jobs``) → only then the after-archive action (move/delete)
   may touch the source; the index is written (on the index-writer thread, while the loop goes
   on) every ``index_batch_size`` documents and whenever the loop goes idle.

A crash before the commit of 2 leaves the row ``queued``: the file is taken again, and the
content-addressed store makes the second copy a no-op. A crash between 2 and 4 leaves
``processing`` rows and ``received`` documents; the next start re-reads those documents (in the
reader processes) and re-queues the rows. Stopping
(Ctrl-C, SIGTERM: the caller sets ``stop``) finishes the files being read and leaves the rest
queued. At most ``pool.capacity`` files are between steps 2 and 4 at any time, whatever the size
of the drop.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.catalog import Document, DocumentStatus, JobState
from core.catalog.history import record
from core.intake.ingestor import Arrival, Ingestor, duplicate_line, printable_path, readable_name
from core.reading.outcomes import ReadOutcome
from core.reading.pool import Finished, ReadingPool, pool_for
from core.watching.batches import BatchBook, ClosedBatch
from core.watching.files import RootRules
from core.watching.jobs import Claim, JobQueue, Sighting
from core.watching.lock import watcher_lock
from core.watching.writer_spell import Archive, WriterSpell
from ingest.watch import Decision, DecisionKind, FolderObserver, StabilityTracker, choose_mode, validate_file
from schemas.ingest import FileReport, IngestSource, IngestStatus
from schemas.watch import WatchReport, WatchRoot

logger = logging.getLogger(__name__)

CONTENT_KINDS = frozenset({"created", "modified", "closed_write", "moved_in"})
BatchCallback = Callable[[ClosedBatch], None]
BUSY_TICK = 0.05  # how long the loop waits for reader outcomes before looking at events again


@dataclass
class _Work:
    """A file between "stored" and "recorded": what the loop needs when its outcome comes back."""

    root: Path
    decision: Decision
    claim: Claim
    path_text: str
    taken: tuple[int, int] | None
    sha256: str | None


class FolderWatcher:
    """Watches roots until ``stop`` is set (or, with ``once``, until what was there is taken in)."""

    def __init__(
        self,
        service: Archive,
        roots: list[WatchRoot],
        *,
        once: bool = False,
        rescan_interval: float = 60.0,
        on_batch: BatchCallback | None = None,
        keep_lines: bool = True,
        clock: Callable[[], float] = time.monotonic,
        pool: ReadingPool | None = None,
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
        self._pool = pool or pool_for(service.settings)
        self._ready: deque[tuple[Path, Decision]] = deque()  # decided, not yet stored
        self._deferred: dict[Path, tuple[Path, Decision]] = {}  # a newer decision for a path in flight
        self._in_flight: dict[Path, _Work] = {}
        self._twins: dict[str, list[_Work]] = {}  # document id being read → more files with its bytes
        self._recovering: deque[str] = deque()  # documents an interrupted run stored but never read
        self._recovering_in_flight: set[str] = set()
        self._spell = WriterSpell(service)  # holds the writer lock while there is work
        self.report = WatchReport()

    # --- public ----------------------------------------------------------------------------
    def run(self, stop: threading.Event) -> WatchReport:
        """Run the loop; returns the report of every batch closed while running."""
        with watcher_lock(self._service.settings.home):
            failed = True
            try:
                self._pool.start()
                self._start()
                next_rescan = self._clock() + self._rescan_interval
                while not stop.is_set():
                    self._drain_events(self._wait_time(next_rescan))
                    self._decide()
                    self._feed(stop)
                    self._collect(0.0)
                    self._settle_if_idle()
                    self._emit(self._batches.close_quiet(self._clock()))
                    if not self._once and self._clock() >= next_rescan:
                        self._scan()
                        next_rescan = self._clock() + self._rescan_interval
                    if self._once and self._idle() and not any(t.undecided() for t in self._trackers.values()):
                        break
                failed = False
            finally:
                for observer in self._observers:
                    observer.stop()
                self._finish_in_flight(wait=not failed)
                self._pool.shutdown()
                self._emit(self._batches.close_quiet(self._clock(), force=True))
        return self.report

    # --- start-up --------------------------------------------------------------------------
    def _start(self) -> None:
        roots = [str(path) for path in self._rules]
        self._jobs.requeue_interrupted(roots)
        self._queue_recovery()
        for path, rules in self._rules.items():
            root = rules.root
            mode = "polling" if self._once else choose_mode(path, root.mode.value)
            self._trackers[path] = StabilityTracker(
                validate=validate_file, clock=self._clock, mode=mode, window=root.stability_window,
                max_attempts=root.max_attempts, gate=rules.released if root.done_markers else None,
            )
            if not self._once:
                observer = FolderObserver([path], mode, root.poll_interval, self._put, rules.ignore_for_events)
                observer.start()  # before the scan, so nothing lands unseen in between
                self._observers.append(observer)
        for path in self._rules:
            for queued in self._jobs.queued_paths(str(path)):
                if not Path(queued).exists():
                    self._jobs.forget(str(path), queued)
        self._scan()

    def _queue_recovery(self) -> None:
        """Documents stored but never read (a crash mid-read) are read again, by the reader processes.

        Not in this process: a file that crashed a reader would then crash the watcher at every
        start. The pool retries it and quarantines it with a reason instead.
        """
        with self._service.catalog.session() as session:
            unfinished = session.scalars(
                select(Document.id).where(Document.status.in_(DocumentStatus.UNFINISHED))
            ).all()
        if unfinished:
            logger.warning("finishing %d document(s) left unread by an interrupted run", len(unfinished))
        self._recovering.extend(unfinished)

    def _put(self, path: Path, kind: str) -> None:
        self._events.put((path, kind))  # on watchdog's thread: nothing else happens here

    def _scan(self) -> None:
        """Startup scan and periodic reconciliation: anything on disk not yet settled is tracked."""
        now = self._clock()
        for root, rules in self._rules.items():
            tracker = self._trackers[root]
            found = {printable_path(p): (p, size, mtime) for p, size, mtime in rules.scan()
                     if p not in tracker and p not in self._in_flight}
            sightings = [Sighting(key, size, mtime) for key, (_p, size, mtime) in found.items()]
            for wanted in self._jobs.note_seen(str(root), sightings):
                path = found[wanted][0]
                tracker.observe(path, "seen", now)
                if path in tracker:
                    self._batches.waiting(rules.root, path, now)

    # --- events ----------------------------------------------------------------------------
    def _wait_time(self, next_rescan: float) -> float:
        if self._in_flight or self._recovering_in_flight:
            return 0.0  # outcomes are waited for in _collect
        if (self._ready or self._recovering) and self._pool.has_room():
            return 0.0
        now = self._clock()
        due = [t.next_due(now) for t in self._trackers.values()]
        soonest = min([d for d in due if d is not None] + [now + 0.5, next_rescan])
        return min(0.5, max(0.01, soonest - now))

    def _drain_events(self, timeout: float) -> None:
        try:
            item = self._events.get(timeout=timeout) if timeout > 0 else self._events.get_nowait()
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
        rules = self._rules[root]
        tracker = self._trackers[root]
        if rules.is_done_marker(path):
            if kind in CONTENT_KINDS:
                released = tracker.release(rules.released_by(path))
                if released:
                    logger.info("%s: done-marker seen, %d file(s) released", printable_path(path), released)
            return
        noted = False
        if kind in CONTENT_KINDS and path not in tracker:
            try:
                stat = path.stat()
            except OSError:
                return
            key = printable_path(path)
            wanted = self._jobs.note_seen(str(root), [Sighting(key, stat.st_size, stat.st_mtime_ns)])
            if not wanted:
                tracker.mark_settled(path, (stat.st_size, stat.st_mtime_ns))
                return
            noted = True
        tracker.observe(path, kind)
        if path in tracker:
            self._batches.waiting(rules.root, path, self._clock())
        elif noted and path not in self._in_flight:
            # The file went away between our stat and the tracker's: no decision will ever come
            # for it, so its fresh job row must not linger as "queued".
            self._jobs.forget(str(root), printable_path(path))

    def _root_of(self, path: Path) -> Path | None:
        for root in self._rules:
            if root in path.parents:
                return root
        return None

    # --- decisions -------------------------------------------------------------------------
    def _decide(self) -> None:
        for root, tracker in self._trackers.items():
            for decision in tracker.due():
                if decision.kind == DecisionKind.VANISHED:
                    if decision.path in self._in_flight:
                        continue  # the stored copy is being read; its outcome settles the row
                    self._jobs.forget(str(root), printable_path(decision.path))
                    self._batches.decided(self._rules[root].root, decision.path, None, None, self._clock())
                else:
                    self._ready.append((root, decision))

    def _feed(self, stop: threading.Event) -> None:
        """Store and hand over files while the pool has room (back-pressure: no more than that)."""
        while not stop.is_set() and self._pool.has_room():
            if self._recovering:
                self._start_recovery(self._recovering.popleft())
            elif self._ready and not self._recovering_in_flight:
                root, decision = self._ready.popleft()
                if decision.path in self._in_flight:
                    self._deferred[decision.path] = (root, decision)  # newer content: after this one
                    continue
                self._start_file(root, decision)
            else:
                return

    def _writer(self) -> Ingestor:
        return self._spell.ingestor()

    def _start_recovery(self, doc_id: str) -> None:
        ingestor = self._writer()
        request = ingestor.read_request(doc_id)
        found = ingestor.precheck(request)
        if found is not None:
            ingestor.record(doc_id, f"(stored original {doc_id})", found)
            return
        self._recovering_in_flight.add(doc_id)
        self._pool.submit(("recover", doc_id), request)

    def _start_file(self, root: Path, decision: Decision) -> None:
        rules = self._rules[root]
        path, now = decision.path, self._clock()
        ingestor = self._writer()
        key = printable_path(path)
        batch = self._batches.batch_for(rules.root, path, now)
        arrival = Arrival(path=path, batch_id=batch.batch_id, source=IngestSource.WATCH,
                          project_code=rules.project_for(path), folder_hints=rules.folder_hints(path))
        claims: list[Claim] = []

        def claim(session: Session | None = None) -> None:
            claims.append(self._jobs.claim(str(root), key, decision.size, _ns(decision.mtime), batch.batch_id,
                                           session=session))

        stored = ingestor.store(arrival, also=claim)  # the job is claimed in the receipt's commit
        if not claims:  # nothing was received (unreadable source, changed while copied)
            claim()
        work = _Work(root, decision, claims[0], stored.path_text, stored.taken, stored.sha256)
        if stored.changed:
            self._jobs.requeue(str(root), key)
            self._trackers[root].observe(path, "modified")  # tracked afresh until quiet again
            return
        if stored.report is not None:
            self._conclude(work, stored.report)
            return
        assert stored.request is not None
        found = ingestor.precheck(stored.request)
        if found is not None:
            self._record(work, stored.request.document_id, found)
            return
        doc_id = stored.request.document_id
        if doc_id in self._twins:
            self._twins[doc_id].append(work)  # the same bytes are being read: a duplicate, once read
            return
        self._twins[doc_id] = []
        self._in_flight[path] = work
        self._pool.submit(path, stored.request)

    def _collect(self, timeout: float) -> None:
        if not (self._in_flight or self._recovering_in_flight):
            return
        for finished in self._pool.collect(BUSY_TICK if timeout == 0.0 else timeout):
            self._land(finished)

    def _land(self, finished: Finished) -> None:
        ingestor = self._writer()
        key = finished.key
        if isinstance(key, tuple):  # ("recover", doc_id)
            doc_id = key[1]
            self._recovering_in_flight.discard(doc_id)
            ingestor.record(doc_id, f"(stored original {doc_id})", finished.outcome)
            self._spell.count_recorded()
            return
        assert isinstance(key, Path)
        work = self._in_flight.pop(key)
        doc_id = finished.request.document_id
        self._record(work, doc_id, finished.outcome)
        for twin in self._twins.pop(doc_id, []):
            self._conclude(twin, duplicate_line(twin.path_text, doc_id, finished.request.name))
        deferred = self._deferred.pop(key, None)
        if deferred is not None:
            self._ready.appendleft(deferred)

    def _record(self, work: _Work, doc_id: str, outcome: ReadOutcome) -> None:
        """Record the reading and settle the job row in one commit, then do what follows it."""
        line = self._writer().record(doc_id, work.path_text, outcome,
                                     then=lambda session, line: self._settle(work, line, session))
        self._after_settled(work, line)

    def _conclude(self, work: _Work, line: FileReport) -> None:
        """Settle the job of a file that needed no reading (a duplicate, an unreadable source)."""
        with self._service.catalog.session() as session:
            line = self._settle(work, line, session)
        self._after_settled(work, line)

    def _settle(self, work: _Work, line: FileReport, session: Session) -> FileReport:
        """The job's outcome (and a new-version link), in ``session``; returns the line to report."""
        path, decision = work.decision.path, work.decision
        sha = work.sha256 if line.document_id else None
        if decision.kind == DecisionKind.GIVE_UP:
            line = FileReport(path=line.path, status=IngestStatus.QUARANTINED, document_id=line.document_id,
                              reason=f"《{readable_name(path.name)}》: {decision.reason}")
        state = JobState.QUARANTINED if line.status == IngestStatus.QUARANTINED else JobState.DONE
        self._jobs.finish(str(work.root), work.path_text, state=state, document_id=line.document_id, sha256=sha,
                          reason=line.reason, taken=work.taken, session=session)
        previous = work.claim.previous_document_id
        if previous and line.document_id and previous != line.document_id:
            record(session, line.document_id, "new_version", previous_document_id=previous, path=work.path_text)
            record(session, previous, "superseded", by_document_id=line.document_id, path=work.path_text)
        return line

    def _after_settled(self, work: _Work, line: FileReport) -> None:
        """Only once the outcome is committed: touch the source, count the file for its batch."""
        rules, path = self._rules[work.root], work.decision.path
        if line.document_id:
            rules.after_archive(path)
        self._batches.decided(rules.root, path, line, work.sha256 if line.document_id else None, self._clock())
        self._spell.count_recorded()

    def _idle(self) -> bool:
        return not (self._ready or self._in_flight or self._recovering or self._recovering_in_flight
                    or self._deferred)

    def _settle_if_idle(self) -> None:
        """Nothing left to do: make everything searchable and let go of the writer lock."""
        if self._spell.holding and self._idle():
            self._spell.release()

    def _finish_in_flight(self, wait: bool = True) -> None:
        """Stopping: files already handed to readers are finished; decided-but-unstored stay queued.

        After a failure (``wait=False``) nothing is waited for: the rows of files being read stay
        ``processing`` and their documents ``received``, which the next start finishes.
        """
        if self._ready:
            logger.info("stopping: %d decided file(s) left queued for the next start", len(self._ready))
        self._ready.clear()
        self._deferred.clear()
        self._recovering.clear()
        try:
            while wait and (self._in_flight or self._recovering_in_flight):
                self._collect(0.5)
        finally:
            self._spell.release()

    # --- catalog touches -------------------------------------------------------------------
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
