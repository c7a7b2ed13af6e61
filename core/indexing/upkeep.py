"""Keeping the derived search index honest: drift checks, repairs, and rebuilds on a schema change.

The catalog is the truth. Drift is any disagreement between the two: a processed document the
index lacks (a crash before the commit, an index restored from an old backup), an index entry
with no processed catalog row (a document deleted or quarantined later), or a row that says
``indexed_at`` although the index does not have it. Repair removes the strays and marks the
missing rows unindexed, so the ordinary batched ``Indexer.index_pending`` writes them again.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import select, update

from core.catalog import Catalog, Document, DocumentStatus
from core.catalog.history import record
from core.indexing.indexer import Indexer
from schemas.search import IndexCheckReport
from search import SearchStore, index_schema_current

logger = logging.getLogger(__name__)

REBUILD_MARKER = "reindex.pending"  # in home while `jiandang reindex` runs; left behind by a crash
INDEX_REBUILT = "index_rebuilt"
INDEX_REPAIRED = "index_repaired"
_CHUNK = 500  # ids per UPDATE … WHERE id IN (…), well under SQLite's variable limit


def can_resume(index_path: Path, backend: str = "whoosh") -> bool:
    """An interrupted rebuild can go on only in an index of the current engine and schema version."""
    return index_schema_current(index_path, backend)


def _catalog_ids(catalog: Catalog) -> tuple[set[str], set[str]]:
    """(processed ids, processed ids marked indexed)."""
    with catalog.session() as session:
        rows = session.execute(
            select(Document.id, Document.indexed_at).where(Document.status == DocumentStatus.PROCESSED)
        ).all()
    return {doc_id for doc_id, _ in rows}, {doc_id for doc_id, at in rows if at is not None}


def check(catalog: Catalog, store: SearchStore) -> IndexCheckReport:
    """Compare the ids of the catalog's processed documents with the ids in the index."""
    processed, marked = _catalog_ids(catalog)
    indexed = store.all_ids()
    missing = sorted(processed - indexed)
    return IndexCheckReport(
        catalog=len(processed),
        index=len(indexed),
        missing_from_index=missing,
        not_in_catalog=sorted(indexed - processed),
        stale=sorted(marked - indexed),
        in_sync=not missing and not (indexed - processed),
    )


def mark_unindexed(catalog: Catalog, ids: list[str] | None) -> None:
    """Clear ``indexed_at`` for these ids (all rows when None) so the indexer writes them again."""
    with catalog.session() as session:
        if ids is None:
            session.execute(update(Document).values(indexed_at=None))
            return
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            session.execute(update(Document).where(Document.id.in_(chunk)).values(indexed_at=None))


def repair(catalog: Catalog, store: SearchStore, indexer: Indexer) -> IndexCheckReport:
    """Fix what ``check`` finds, then check again; the report is the state before the repair."""
    found = check(catalog, store)
    if found.in_sync:
        return found
    if found.not_in_catalog:
        store.delete_documents(found.not_in_catalog)
    mark_unindexed(catalog, found.missing_from_index)
    written = indexer.index_pending()
    with catalog.session() as session:
        record(session, None, INDEX_REPAIRED, missing=len(found.missing_from_index),
               removed=len(found.not_in_catalog), written=written)
    after = check(catalog, store)
    logger.info("index repaired: %d written, %d strays removed; in sync: %s",
                written, len(found.not_in_catalog), after.in_sync)
    return found.model_copy(update={"repaired": after.in_sync})


def rebuilt_for_new_schema(catalog: Catalog, found: int | None, expected: int) -> None:
    """After the index was recreated for a new schema version: every row must be written again."""
    mark_unindexed(catalog, None)
    with catalog.session() as session:
        record(session, None, INDEX_REBUILT, reason="schema version changed", found=found, expected=expected)
    logger.warning("search index schema %s ≠ %s: recreated; re-indexing every document", found, expected)
