"""Reading one file at a time in a reader process: the time limit where the alarm cannot reach.

``core.reading.time_limit`` stops a read with ``SIGALRM``, which Python delivers to the main thread only,
and which code stuck in C does not see until it returns. An API upload is ingested on a task
thread, so an alarm cannot stop its reads at all. This module hands such reads to the watcher's
:class:`~core.reading.pool.ReadingPool` instead: the reader process enforces the limit with its own
alarm, and the pool kills a reader that is still busy after the grace period, quarantining the
file as "timed out after N s" like everywhere else. A converter that crashes its process is
isolated the same way (the file is retried alone, then quarantined with the reason).

One file is read at a time because the caller (``ArchiveService.ingest``) stores, reads and
records files in order under the writer lock, so the pool has a single worker: one more process
beside the API, not one per core. The pool starts on the first read (the API's start-up stays
cheap and a server that never takes an upload never pays for it) and stops with the service.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable

from core.reading.outcomes import ReadOutcome, ReadRequest
from core.reading.pool import ReadingPool

logger = logging.getLogger(__name__)

COLLECT_TICK = 1.0  # seconds per wait for the outcome; the pool wakes earlier to enforce a deadline


class PooledReader:
    """Reads :class:`ReadRequest` objects in a lazily started reader process; safe to share between threads."""

    def __init__(self, make_pool: Callable[[], ReadingPool]) -> None:
        self._make_pool = make_pool
        self._pool: ReadingPool | None = None
        self._lock = threading.Lock()  # the pool serves one caller thread at a time
        self._keys = itertools.count()

    @property
    def started(self) -> bool:
        return self._pool is not None

    def read(self, request: ReadRequest) -> ReadOutcome:
        """Read one stored original in a reader process; a hang or a crash comes back as an outcome."""
        with self._lock:
            if self._pool is None:
                logger.info("starting a reader process for reads off the main thread")
                self._pool = self._make_pool()
                self._pool.start()
            pool, key = self._pool, next(self._keys)
            try:
                pool.submit(key, request)
                while True:
                    for finished in pool.collect(COLLECT_TICK):
                        if finished.key == key:
                            return finished.outcome
            except BaseException:
                # The pool gave up (its readers die before reading anything) or the caller was
                # interrupted: throw this pool away so the next read starts a fresh one. The
                # document stays "received" and a later ingest's recovery reads it again.
                self._pool = None
                pool.abandon()
                raise

    def close(self) -> None:
        """Stop the reader process (if one was started); the next read would start a new one."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown()
