"""``jiandang ingest`` on every core: this process stores and records, reader processes read.

Why: reading (PDF/DOCX/XLSX conversion, cleaning, fields, the rule classifier) is most of the
work of a born-digital file, and on the main thread it left the second core idle (31.7
documents/s). A batch large enough to pay for the readers' start-up (about 2.6 s, hidden behind
the first files' storing) is read in the watcher's pool (``core.reading.pool``) instead.

Nothing-lost is the same as on the main thread: a file is stored and its receipt committed
*before* a reader sees it, so a crash anywhere leaves a ``received`` row the next run finishes;
the per-file time limit is the pool's (the reader's own alarm, then a kill after a grace
period: stricter than the main thread's alarm, which cannot stop a converter stuck in C); a
reader that dies costs only its file (read again alone, then quarantined with the reason).
Files in flight are bounded by the pool's capacity (two per reader), so memory does not grow
with the batch. The report keeps the input order; progress follows completion.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from core.indexing.indexer import Indexer
from core.intake.ingestor import Arrival, Ingestor, duplicate_line
from core.reading.pool import Finished, ReadingPool
from schemas.ingest import FileReport

COLLECT_TICK = 0.5  # seconds per wait for outcomes; the pool wakes earlier to enforce a deadline


class ReadersBatch:
    """One batch: store → submit while the pool has room → record each outcome as it lands."""

    def __init__(self, ingestor: Ingestor, indexer: Indexer, pool: ReadingPool, index_every: int,
                 advance: Callable[[FileReport], None]) -> None:
        self._ingestor = ingestor
        self._indexer = indexer
        self._pool = pool
        self._index_every = index_every
        self._advance = advance
        self._lines: list[FileReport | None] = []
        self._paths: dict[int, str] = {}  # files being read (or waiting for a twin): their report path
        self._twins: dict[str, list[int]] = {}  # document being read → later files with its bytes
        self._since_index = 0

    def run(self, batch: Sequence[Arrival]) -> list[FileReport]:
        self._lines = [None] * len(batch)
        pending = iter(enumerate(batch))
        exhausted = False
        try:
            while True:
                while not exhausted and self._pool.has_room():
                    item = next(pending, None)
                    if item is None:
                        exhausted = True
                        break
                    self._start(*item)
                if exhausted and self._pool.in_flight == 0:
                    break
                for finished in self._pool.collect(COLLECT_TICK):
                    self._land(finished)
        except BaseException:
            self._pool.abandon()  # readers may be stuck in C; what was stored stays, unread
            raise
        self._indexer.index_pending()
        return [line for line in self._lines if line is not None]

    def _start(self, index: int, arrival: Arrival) -> None:
        stored = self._ingestor.store(arrival)
        if stored.report is not None:
            self._done(index, stored.report)
            return
        assert stored.request is not None
        request = stored.request
        found = self._ingestor.precheck(request)
        if found is not None:
            self._done(index, self._ingestor.record(request.document_id, stored.path_text, found))
            return
        self._paths[index] = stored.path_text
        if request.document_id in self._twins:  # the same bytes are being read: a duplicate, once read
            self._twins[request.document_id].append(index)
            return
        self._twins[request.document_id] = []
        self._pool.submit(index, request)

    def _land(self, finished: Finished) -> None:
        index = finished.key
        assert isinstance(index, int)
        doc_id = finished.request.document_id
        self._done(index, self._ingestor.record(doc_id, self._paths.pop(index), finished.outcome))
        for twin in self._twins.pop(doc_id, []):
            self._done(twin, duplicate_line(self._paths.pop(twin), doc_id, finished.request.name))

    def _done(self, index: int, line: FileReport) -> None:
        self._lines[index] = line
        self._advance(line)
        self._since_index += 1
        if self._since_index >= self._index_every:
            self._indexer.index_pending()
            self._since_index = 0
