"""One batch of ``jiandang ingest``: take each file, index every so often, stop cleanly at a full disk.

Files are taken in order (``Ingestor.take``: store, read, record) and the index is written every
``index_every`` files and at the end. A full disk (``DiskFull`` from the store, the catalog or
the index) stops the batch where it is: what was recorded is indexed if the index still can be
written, the file being stored was not recorded (its half copy is gone), and the error says how
far the batch came; taking the same folder again later finishes it (done files are duplicates).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Protocol

from core.errors import DiskFull
from core.indexing.indexer import Indexer
from core.intake.ingestor import Arrival, Ingestor
from schemas.ingest import FileReport, IngestReport


class Progress(Protocol):
    def advance(self, report: FileReport) -> None: ...


def take_batch(batch: Sequence[Arrival], ingestor: Ingestor, indexer: Indexer, index_every: int,
               report: IngestReport, progress: Progress) -> None:
    since_index = 0
    for arrival in batch:
        try:
            line = ingestor.take(arrival)
        except DiskFull as full:
            with contextlib.suppress(DiskFull):
                indexer.index_pending()
            done = len(report.files)
            raise DiskFull(f"{full.message}（这一批 {len(batch)} 个文件已处理 {done} 个，其余 {len(batch) - done} 个"
                           "未动，再交一次即可接着处理）", **full.subject) from full
        report.add(line)
        progress.advance(line)
        since_index += 1
        if since_index >= index_every:
            indexer.index_pending()
            since_index = 0
    indexer.index_pending()
