"""The watcher as the archive's one writer, for a busy spell at a time.

The writer lock is shared with ``jiandang ingest``, reindexing and the API's uploads, so the
watcher holds it only while it has work: the first file of a drop takes it (with an ingestor and
an index-writer thread), and it is let go once everything recorded is indexed and the loop goes
idle. The watcher gets these from the archive it feeds (``Archive``, which the service is) and
never imports the service itself.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, ExitStack
from typing import NamedTuple, Protocol

from core.catalog import Catalog
from core.indexing.indexer import Indexer
from core.intake.ingestor import Ingestor
from core.settings import Settings
from core.watching.index_thread import BackgroundIndexer


class Writers(NamedTuple):
    """What the archive's one writer uses: the ingestor (store, read, record) and the indexer."""

    ingestor: Ingestor
    indexer: Indexer


class Archive(Protocol):
    """What the watcher needs from the archive it feeds; ``ArchiveService`` is one.

    ``writing(read_here=False)`` makes the caller the archive's one writer until the block ends
    and gives it the writers, with an ingestor that leaves reading to the watcher's processes.
    """

    settings: Settings
    catalog: Catalog

    def writing(self, *, read_here: bool = True) -> AbstractContextManager[Writers]: ...


class WriterSpell:
    """Holds the writer lock while there is work; indexes every ``batch_size`` recorded files."""

    def __init__(self, archive: Archive) -> None:
        self._archive = archive
        self._busy = ExitStack()
        self._ingestor: Ingestor | None = None
        self._indexer: BackgroundIndexer | None = None
        self._since_index = 0

    @property
    def holding(self) -> bool:
        return self._ingestor is not None

    def ingestor(self) -> Ingestor:
        """Take the writer lock (once per busy spell) and the catalog/index writers with it."""
        if self._ingestor is None:
            writers = self._busy.enter_context(self._archive.writing(read_here=False))
            self._ingestor = writers.ingestor
            self._indexer = BackgroundIndexer(writers.indexer)
            self._since_index = 0
        return self._ingestor

    def count_recorded(self) -> None:
        """One more document recorded: the index thread is asked to write every batch's worth."""
        self._since_index += 1
        if self._since_index >= self._archive.settings.index_batch_size:
            self.index_pending()

    def index_pending(self) -> None:
        if self._indexer is not None:
            self._indexer.request()
        self._since_index = 0

    def release(self) -> None:
        """Everything recorded is indexed (waited for), then the writer lock goes."""
        indexer, self._indexer, self._ingestor = self._indexer, None, None
        try:
            if indexer is not None:
                indexer.close()
        finally:
            self._busy.close()
