"""The archive's search index: the configured engine, opened on first use, rebuilt when outgrown.

Readers and writers treat an index of an older schema version differently: a reader is refused
(it must not write, and its answers could be wrong), while the first writer (ingest, recovery,
``check-index --repair``) recreates it empty and refills it from the catalog. ``jiandang reindex``
rebuilds it on purpose, resumably.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from core.catalog import Catalog, Document, DocumentStatus
from core.errors import SearchIndexError
from core.indexing import upkeep
from core.indexing.indexer import Indexer
from core.settings import Settings
from search import IndexVersionError, SearchStore, open_store

logger = logging.getLogger(__name__)


class SearchIndex:
    """One archive's index; ``store`` for reading, ``writable()`` and ``indexer()`` for writing."""

    def __init__(self, catalog: Catalog, settings: Settings) -> None:
        self._catalog = catalog
        self._settings = settings
        self._store: SearchStore | None = None

    def _open(self, recreate: bool = False) -> SearchStore:
        settings = self._settings
        return open_store(settings.search_backend, settings.index_path, recreate=recreate,
                          whoosh_postings_cache_mb=settings.whoosh_postings_cache_mb)

    @property
    def store(self) -> SearchStore:
        """The index of the configured engine (``search_backend``: whoosh or tantivy)."""
        if self._store is None:
            try:
                self._store = self._open()
            except IndexVersionError as exc:
                raise SearchIndexError(f"{exc}; run `jiandang reindex` to rebuild it from the catalog") from exc
            except Exception as exc:
                raise SearchIndexError(f"cannot open the search index: {exc}; run `jiandang reindex`") from exc
        return self._store

    def writable(self) -> SearchStore:
        """The index for writing; one of an older schema version is recreated and refilled."""
        try:
            return self.store
        except SearchIndexError as exc:
            old = exc.__cause__
            if not isinstance(old, IndexVersionError):
                raise
            self._store = self._open(recreate=True)
            upkeep.rebuilt_for_new_schema(self._catalog, old.found, old.expected)
            return self._store

    def indexer(self) -> Indexer:
        return Indexer(self._catalog, self.writable(), self._settings.index_batch_size)

    def processed_count(self) -> int:
        """How many documents a full rebuild writes (every processed one)."""
        with self._catalog.session() as session:
            return session.scalar(
                select(func.count()).select_from(Document).where(Document.status == DocumentStatus.PROCESSED)
            ) or 0

    def rebuild(self) -> int:
        """Rebuild from the catalog (call under the writer lock); returns how many were written.

        A rebuild starts from an empty index of the current schema version, whatever state (old
        version, damage) the old one was in. The marker makes it resumable: an interrupted rebuild
        goes on where it stopped (rows already written keep their ``indexed_at``), in batches of
        ``reindex_batch_size``, so memory stays bounded.
        """
        settings = self._settings
        marker = settings.home / upkeep.REBUILD_MARKER
        self._store = None
        if marker.exists() and upkeep.can_resume(settings.index_path, settings.search_backend):
            logger.warning("resuming an interrupted reindex")
        else:
            marker.write_text("rebuilding\n", encoding="utf-8")
            self._store = self._open(recreate=True)
            upkeep.mark_unindexed(self._catalog, None)
        indexed = self.indexer().index_pending(batch_size=settings.reindex_batch_size)
        marker.unlink(missing_ok=True)
        return indexed
