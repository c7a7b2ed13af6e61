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
Files in flight are bounded by the pool's capacity (four per reader here, ``IN_FLIGHT_PER_READER``:
two keep a reader busy, the other two let outcomes gather while this process commits, so each
commit carries more files), so memory does not grow with the batch. The report keeps the input
order; progress follows completion.

Group commit: the files the pool has room for are stored with one commit for all their receipts,
and the outcomes that land together are recorded with one commit (``Ingestor.store_many``,
``Ingestor.record_many``). On the main thread this process spent most of its time in two fsynced
commits per file while the readers waited; a line is still reported only after its commit.
Each group's rows are selected in one query and flushed once, at its commit (``Ingestor``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import islice

from core.indexing.indexer import Indexer
from core.intake.ingestor import Arrival, Ingestor, duplicate_line, readable_name, settled_twin_line
from core.reading.outcomes import ReadOutcome
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
                    group = list(islice(pending, self._pool.room()))
                    exhausted = not group
                    self._start(group)
                if exhausted and self._pool.in_flight == 0:
                    break
                self._land(self._pool.collect(COLLECT_TICK))
        except BaseException:
            self._pool.abandon()  # readers may be stuck in C; what was stored stays, unread
            raise
        self._indexer.index_pending()
        return [line for line in self._lines if line is not None]

    def _start(self, group: Sequence[tuple[int, Arrival]]) -> None:
        """Store a group of files (one commit), settle those that need no reader, submit the rest."""
        if not group:
            return
        stored_group = self._ingestor.store_many([arrival for _index, arrival in group])
        prechecked: list[tuple[int, tuple[str, str, ReadOutcome]]] = []
        settled: dict[str, str] = {}  # document settled by the precheck in this group → its file's name
        for (index, arrival), stored in zip(group, stored_group, strict=True):
            if stored.report is not None:
                self._done(index, stored.report)
                continue
            assert stored.request is not None
            request = stored.request
            if request.document_id in settled:  # a twin of an empty or oversized file of this group:
                # the line it would have had if stored after that file was recorded
                self._done(index, settled_twin_line(stored.path_text, request.document_id, request.size,
                                                    readable_name(arrival.path.name), settled[request.document_id]))
                continue
            found = self._ingestor.precheck(request)
            if found is not None:
                settled[request.document_id] = request.name
                prechecked.append((index, (request.document_id, stored.path_text, found)))
                continue
            self._paths[index] = stored.path_text
            if request.document_id in self._twins:  # the same bytes are being read: a duplicate, once read
                self._twins[request.document_id].append(index)
                continue
            self._twins[request.document_id] = []
            self._pool.submit(index, request)
        lines = self._ingestor.record_many([reading for _index, reading in prechecked])
        for (index, _reading), line in zip(prechecked, lines, strict=True):
            self._done(index, line)

    def _land(self, finished: Sequence[Finished]) -> None:
        """Record the outcomes that landed together (one commit), then report them and their twins."""
        readings = []
        for landed in finished:
            assert isinstance(landed.key, int)
            readings.append((landed.request.document_id, self._paths.pop(landed.key), landed.outcome))
        lines = self._ingestor.record_many(readings)
        for landed, line in zip(finished, lines, strict=True):
            assert isinstance(landed.key, int)
            self._done(landed.key, line)
            doc_id = landed.request.document_id
            for twin in self._twins.pop(doc_id, []):
                self._done(twin, duplicate_line(self._paths.pop(twin), doc_id, landed.request.name))

    def _done(self, index: int, line: FileReport) -> None:
        self._lines[index] = line
        self._advance(line)
        self._since_index += 1
        if self._since_index >= self._index_every:
            self._indexer.index_pending()
            self._since_index = 0
