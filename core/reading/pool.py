"""Reader processes for the watcher (and for reads off the main thread): both cores convert, one
process writes, nothing is lost.

The watcher's loop stores every original (fingerprinted, fsynced, receipt committed) *before* it
hands the file to this pool, so whatever happens to a reader the bytes are safe and the document
row says ``received``; ``core.reading.pooled`` does the same for an API upload's files, one at a
time. The pool only turns :class:`~core.intake.ingestor.ReadRequest` objects into
:class:`~core.reading.reader.ReadOutcome` objects, and it always returns one per request:

- normally, the worker's outcome (the reading pipeline of ``core.reading.pipelines``, built once per
  worker by ``core.reading.worker.start_worker``);
- a file that runs past the time limit: the worker's own alarm returns "timed out after N s";
  if the worker is stuck where the alarm cannot reach (C code), the parent kills it after a
  grace period and returns the same reason;
- a worker that dies (a converter segfault, the OOM killer): the files it was reading are
  retried, a file that kills a worker again while read *alone* is returned as unreadable with
  the reason. Files that were merely queued or running beside the culprit are re-submitted
  without blame.

Back-pressure: at most ``capacity`` files are in flight (two per worker, so a worker never waits
for the parent between files); :meth:`ReadingPool.has_room` says when the loop may store and
submit the next one, so memory does not grow with the size of a drop.

The processes come from ``forkserver``: the server imports the reading stack once and each worker
is a fork of it, which starts fast and shares the imported code's pages.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Hashable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from core.errors import StorageError
from core.reading import worker
from core.reading.outcomes import ReadOutcome, ReadRequest
from core.reading.reader import DocumentReader, ocr_options
from core.reading.time_limit import timed_out
from core.settings import Settings
from ingest.ocr import OcrOptions
from schemas.ingest import QuarantineCode

logger = logging.getLogger(__name__)

MAX_CRASHES = 2  # a file that took down a reader this often (the last time alone) is quarantined
_PRELOAD = ["core.reading.worker"]


@dataclass
class _Flight:
    key: Hashable
    request: ReadRequest
    slot: int
    future: Future[ReadOutcome]
    crashes: int = 0
    alone: bool = False


@dataclass(frozen=True)
class Finished:
    """One request's outcome, returned with the key the caller submitted it under."""

    key: Hashable
    request: ReadRequest
    outcome: ReadOutcome


class ReadingPool:
    """A process pool of readers with per-file time limits and crash isolation; one caller thread."""

    def __init__(
        self,
        *,
        workers: int,
        time_limit: float,
        memory_limit: int | None = None,
        taxonomy_override: str | None = None,
        review_threshold: float = 0.5,
        ocr: OcrOptions | None = None,
        clock: Callable[[], float] = time.monotonic,
        make_reader: worker.MakeReader = DocumentReader,
        per_worker: int = 2,
    ) -> None:
        """``make_reader`` builds each worker's reader (pickled by reference, so a module-level
        callable); the default is the real reading pipeline. ``per_worker``: files in flight per
        reader (two keep a reader busy; a caller that stores and records in groups asks for more,
        so that more outcomes land, and more files are stored, per commit).
        """
        self.workers = max(1, workers)
        self.capacity = max(2, per_worker) * self.workers
        self.time_limit = time_limit
        self.memory_limit = memory_limit  # bytes one read may add in its reader (core.reading.memory)
        self.grace = max(2.0, time_limit * 0.2)
        self._initargs = (taxonomy_override, review_threshold, ocr, make_reader)
        self._clock = clock
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(_PRELOAD)
        self._slots: Any = self._context.RawArray("d", 2 * self.capacity)
        self._free = list(range(self.capacity))
        self._flights: dict[Future[ReadOutcome], _Flight] = {}
        self._retry: deque[_Flight] = deque()  # innocent bystanders of a crash: go again first
        self._isolate: deque[_Flight] = deque()  # suspects of a crash: go again one at a time
        self._killed: dict[int, str] = {}  # slot → reason, for workers the pool killed itself
        self._executor: ProcessPoolExecutor | None = None
        self.restarts = 0
        self._blameless_crashes = 0

    # --- lifecycle -----------------------------------------------------------------------
    def start(self) -> None:
        """Start the workers now (they build their pipelines while the watcher scans)."""
        executor = self._ensure_executor()
        for _ in range(self.workers):
            executor.submit(worker.warm_up)

    def shutdown(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def abandon(self) -> None:
        """Stop at once: kill the processes still reading (those files stay stored, unread) and let go.

        For a caller that gives up mid-read (an error, an interrupt): ``shutdown`` would wait for a
        reader that may be stuck in C for ever.
        """
        for pid in self.readers().values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> ReadingPool:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.shutdown()

    # --- work ----------------------------------------------------------------------------
    @property
    def in_flight(self) -> int:
        return len(self._flights) + len(self._retry) + len(self._isolate)

    def readers(self) -> dict[Hashable, int]:
        """Which process is reading which submitted file right now (key → pid)."""
        return {f.key: int(self._slots[2 * f.slot]) for f in self._flights.values() if self._slots[2 * f.slot] > 0}

    def has_room(self) -> bool:
        """May the caller submit another file now? (bounded work in flight; none while isolating)"""
        return self.room() > 0

    def room(self) -> int:
        """How many files the caller may submit now (a caller storing them as a group asks this)."""
        return 0 if self._isolate else max(0, self.capacity - self.in_flight)

    def submit(self, key: Hashable, request: ReadRequest) -> None:
        if not self._free:
            raise RuntimeError("the reading pool is full; check has_room() first")
        self._launch(_Flight(key, request, self._free.pop(), Future()))

    def collect(self, timeout: float) -> list[Finished]:
        """Outcomes finished within ``timeout`` seconds (possibly none); also enforces time limits."""
        self._resubmit()
        if not self._flights:
            return []
        done, _ = wait(list(self._flights), timeout=self._wait_time(timeout), return_when=FIRST_COMPLETED)
        finished: list[Finished] = []
        broken = False
        for future in done:
            flight = self._flights[future]
            try:
                outcome = future.result()
            except BrokenProcessPool:
                broken = True
                continue
            except BaseException as error:
                outcome = ReadOutcome(code=QuarantineCode.UNREADABLE,
                                      reason=f"《{flight.request.name}》: reader failed ({type(error).__name__}: {error})")
            finished.append(self._land(flight, outcome))
        if broken:
            finished.extend(self._recover_from_crash())
        else:
            self._enforce_time_limits()
        self._resubmit()
        return finished

    # --- internals -----------------------------------------------------------------------
    def _ensure_executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=self._context, initializer=worker.start_worker,
                initargs=(*self._initargs, self._slots, os.getpid()),
            )
        return self._executor

    def _launch(self, flight: _Flight) -> None:
        self._slots[2 * flight.slot] = 0.0
        self._slots[2 * flight.slot + 1] = 0.0
        try:
            flight.future = self._ensure_executor().submit(
                worker.read_stored, flight.request, flight.slot, self.time_limit, self.memory_limit)
        except BrokenProcessPool as error:
            # The pool broke before this file was handed over (a worker died at start-up, say):
            # the file takes the same road as one whose reader died, through ``collect``.
            failed: Future[ReadOutcome] = Future()
            failed.set_exception(error)
            flight.future = failed
        self._flights[flight.future] = flight

    def _land(self, flight: _Flight, outcome: ReadOutcome) -> Finished:
        del self._flights[flight.future]
        self._free.append(flight.slot)
        self._killed.pop(flight.slot, None)
        return Finished(flight.key, flight.request, outcome)

    def _resubmit(self) -> None:
        while self._retry:
            self._launch(self._retry.popleft())
        if self._isolate and not self._flights:
            flight = self._isolate.popleft()
            flight.alone = True
            logger.info("reading %s again on its own after a reader crash", flight.request.name)
            self._launch(flight)

    def _wait_time(self, timeout: float) -> float:
        """Wake up in time to enforce the earliest hard deadline."""
        now = self._clock()
        deadlines = [started + self.time_limit + self.grace for _pid, started in self._running()]
        soonest = min(deadlines, default=now + timeout)
        return max(0.0, min(timeout, soonest - now))

    def _running(self) -> list[tuple[int, float]]:
        return [(int(self._slots[2 * f.slot]), self._slots[2 * f.slot + 1])
                for f in self._flights.values() if self._slots[2 * f.slot] > 0]

    def _enforce_time_limits(self) -> None:
        now = self._clock()
        for flight in list(self._flights.values()):
            pid, started = int(self._slots[2 * flight.slot]), self._slots[2 * flight.slot + 1]
            if pid <= 0 or flight.slot in self._killed or now - started < self.time_limit + self.grace:
                continue
            reason = timed_out(flight.request.name, self.time_limit).reason or ""
            logger.warning("%s: the reader did not stop at the time limit; killing process %d", reason, pid)
            self._killed[flight.slot] = reason
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def _recover_from_crash(self) -> list[Finished]:
        """A worker died: settle the killed file, retry the bystanders, isolate the suspects."""
        executor, self._executor = self._executor, None
        codes = _exit_codes(executor)
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        self.restarts += 1
        finished: list[Finished] = []
        flights = list(self._flights.values())
        for flight in flights:  # finished just before the crash: a normal outcome
            if flight.future.done() and flight.future.exception() is None:
                finished.append(self._land(flight, flight.future.result()))
        flights = list(self._flights.values())
        killed = [f for f in flights if f.slot in self._killed]
        suspects = [] if killed else [f for f in flights if self._slots[2 * f.slot] > 0]
        if not killed and not suspects:
            self._blameless_crashes += 1
            if self._blameless_crashes >= 3:
                raise StorageError("the reader processes keep dying before reading anything; "
                                   "see the log above for the reason (taxonomy file, memory)")
        else:
            self._blameless_crashes = 0
        for flight in flights:
            del self._flights[flight.future]
            if flight in killed:
                self._free.append(flight.slot)
                reason = self._killed.pop(flight.slot)
                finished.append(Finished(flight.key, flight.request,
                                         ReadOutcome(code=QuarantineCode.UNREADABLE, reason=reason)))
            elif flight in suspects:
                certain = flight.alone or len(suspects) == 1  # nobody else was reading
                flight.crashes += int(certain)
                if flight.crashes >= MAX_CRASHES:
                    self._free.append(flight.slot)
                    reason = (f"《{flight.request.name}》: the reader process died while reading it "
                              f"({_how_it_died(codes)}; tried {flight.crashes} times)")
                    logger.warning("%s; quarantined", reason)
                    finished.append(Finished(flight.key, flight.request,
                                             ReadOutcome(code=QuarantineCode.UNREADABLE, reason=reason)))
                else:
                    logger.warning("a reader died while reading %s; it will be read again on its own",
                                   flight.request.name)
                    self._isolate.append(flight)
            else:
                self._retry.append(flight)
        return finished


def pool_for(settings: Settings, workers: int | None = None,
             make_reader: worker.MakeReader = DocumentReader, per_worker: int = 2) -> ReadingPool:
    """The reader processes of this installation: its time limit, taxonomy, review threshold and OCR.

    ``workers``: how many processes (default: the ``watch_workers`` setting, 0 meaning one per core).
    """
    override = settings.taxonomy_override
    return ReadingPool(
        workers=workers or settings.watch_workers or os.cpu_count() or 1,
        time_limit=settings.watch_read_timeout,
        memory_limit=settings.read_memory_mb * (1 << 20),
        taxonomy_override=str(override) if override else None,
        review_threshold=settings.review_threshold,
        ocr=ocr_options(settings),  # the same cache and cross-process OCR slots as ``ingest``
        make_reader=make_reader,
        per_worker=per_worker,
    )


def _exit_codes(executor: ProcessPoolExecutor | None) -> list[int]:
    """Exit codes of the dead pool's processes, when the executor still knows them (best effort)."""
    processes = getattr(executor, "_processes", None) or {}
    return [p.exitcode for p in processes.values() if p.exitcode is not None]


def _how_it_died(codes: list[int]) -> str:
    for code in codes:
        if code < 0 and -code != signal.SIGTERM:
            return f"killed by {signal.Signals(-code).name}"
    return "exited abruptly"
