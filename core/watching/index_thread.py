"""The watcher's index writer on its own thread: readers never wait for a search-index commit.

Profiling a 279-file drop showed the writer process spending about half its time in Whoosh
commits (analysis and postings, seconds per 64 documents), during which the loop could not hand
new files to the reader processes and both cores idled. Here the commits run on one thread of the
same process while the loop keeps storing, feeding readers and recording outcomes. There is
still exactly one index writer (this thread), and the catalog stays the truth: a document is
written to the index only after its row says ``processed``, as in ``core.indexing.indexer``.
"""

from __future__ import annotations

import logging
import threading

from core.indexing.indexer import Indexer

logger = logging.getLogger(__name__)


class BackgroundIndexer:
    """Runs ``Indexer.index_pending`` on request, one pass at a time, on a daemon thread."""

    def __init__(self, indexer: Indexer) -> None:
        self._indexer = indexer
        self._lock = threading.Lock()
        self._wanted = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._closing = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="jiandang-index-writer", daemon=True)
        self._thread.start()

    def request(self) -> None:
        """Index whatever is recorded by now (returns at once; passes never overlap)."""
        with self._lock:
            self._idle.clear()
            self._wanted.set()

    def flush(self) -> None:
        """Index everything recorded so far and wait for it; re-raises a failure of the thread."""
        self.request()
        self._idle.wait()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._closing = True
            self._wanted.set()
            self._thread.join(30)

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            with self._lock:
                self._wanted.clear()
            if self._closing:
                return
            try:
                self._indexer.index_pending()
            except BaseException as error:  # surfaced to the loop by flush()
                logger.exception("writing to the search index failed")
                self._error = error
            with self._lock:
                if not self._wanted.is_set():
                    self._idle.set()
