"""The archive's search index: the configured engine, opened on first use, rebuilt when outgrown.

Readers and writers treat an index of an older schema version differently: a reader is refused
(it must not write, and its answers could be wrong), while the first writer (ingest, recovery,
``check-index --repair``) recreates it empty and refills it from the catalog. ``jiandang reindex``
rebuilds it on purpose, resumably.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from core.catalog import Catalog, Document, DocumentStatus
from core.errors import ConfigError, SearchIndexError
from core.settings import Settings
from search.backends import open_store
from search.index_version import IndexVersionError

if TYPE_CHECKING:  # the writing side (Haystack documents) is imported by the writers only
    from core.indexing.indexer import Indexer
    from search import SearchStore

logger = logging.getLogger(__name__)


class SearchIndex:
    """One archive's index; ``store`` for reading, ``writable()`` and ``indexer()`` for writing."""

    def __init__(self, catalog: Catalog, settings: Settings) -> None:
        self._catalog = catalog
        self._settings = settings
        self._store: SearchStore | None = None
        self._opening = threading.Lock()

    def _open(self, recreate: bool = False) -> SearchStore:
        settings = self._settings
        database, replicas = self.database()
        return open_store(settings.search_backend, settings.index_path, recreate=recreate,
                          whoosh_postings_cache_mb=settings.whoosh_postings_cache_mb,
                          database=database, read_databases=replicas, replica_fresh=self._catalog.reads.fresh)

    def database(self) -> tuple[str | None, list[str]]:
        """Where the ``postgres`` backend's tables are: the catalog's database (and its replicas)."""
        settings = self._settings
        if settings.search_backend != "postgres":
            return None, []
        if not self._catalog.is_postgres:
            raise ConfigError(
                "search_backend = \"postgres\" keeps the index in the catalog's PostgreSQL database, but "
                "database_url is not a PostgreSQL URL; set database_url, or choose search_backend tantivy",
                setting="search_backend")
        return self._catalog.url, list(settings.database_read_urls)

    @property
    def store(self) -> SearchStore:
        """The index of the configured engine (``search_backend``: whoosh or tantivy)."""
        if self._store is None:
            with self._opening:  # the server's warm-up thread and a first request may both ask
                if self._store is None:
                    try:
                        self._store = self._open()
                    except IndexVersionError as exc:
                        raise SearchIndexError(
                            f"{exc}; run `jiandang reindex` to rebuild it from the catalog") from exc
                    except ConfigError:
                        raise
                    except Exception as exc:
                        raise SearchIndexError(
                            f"cannot open the search index: {exc}; run `jiandang reindex`") from exc
        return self._store

    def writable(self) -> SearchStore:
        """The index for writing; one of an older schema version is recreated and refilled."""
        try:
            return self.store
        except SearchIndexError as exc:
            old = exc.__cause__
            if not isinstance(old, IndexVersionError):
                raise
            from core.indexing import upkeep

            self._store = self._open(recreate=True)
            upkeep.rebuilt_for_new_schema(self._catalog, old.found, old.expected)
            return self._store

    def close(self) -> None:
        """Let go of the store's connections (the postgres store's pools; the others hold none)."""
        store, self._store = self._store, None
        closing = getattr(store, "close", None)
        if callable(closing):
            closing()

    def indexer(self) -> Indexer:
        from core.indexing.indexer import Indexer

        in_catalog = self._settings.search_backend == "postgres"
        return Indexer(self._catalog, self.writable(), self._settings.index_batch_size, in_catalog=in_catalog,
                       where=self._settings.index_path)

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
        from core.indexing import upkeep

        settings = self._settings
        marker = settings.home / upkeep.REBUILD_MARKER
        self.close()
        if marker.exists() and upkeep.can_resume(settings.index_path, settings.search_backend, self.database()[0]):
            logger.warning("resuming an interrupted reindex")
        else:
            marker.write_text("rebuilding\n", encoding="utf-8")
            self._store = self._open(recreate=True)
            upkeep.mark_unindexed(self._catalog, None)
        indexed = self.indexer().index_pending(batch_size=settings.reindex_batch_size)
        marker.unlink(missing_ok=True)
        return indexed
