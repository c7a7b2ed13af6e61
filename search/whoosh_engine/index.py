"""Opening, creating and version-checking the Whoosh index directory.

Whoosh pickles the schema (analyzers included) into the index, and an index built by another
version of our analysis would answer queries wrongly without any error. So the sentinel of
``index_version`` records ``SCHEMA_VERSION``; an index with another version (or none) is refused
with a message that says how to rebuild it, unless the caller asks to recreate it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from whoosh import index
from whoosh.index import FileIndex

from search import index_version
from search.index_version import SENTINEL_NAME, IndexVersionError
from search.whoosh_engine.schema import SCHEMA_VERSION, build_schema

__all__ = ["SENTINEL_NAME", "IndexVersionError", "create_index", "index_schema_current", "open_index"]

logger = logging.getLogger(__name__)


def read_version(path: Path) -> int | None:
    """The schema version recorded beside the Whoosh index, or None when missing or unreadable."""
    return index_version.read_version(path)


def create_index(path: Path) -> FileIndex:
    """A new, empty index with the current schema (replacing whatever index was there).

    The old sentinel goes first and the new one is written last, so a crash in between leaves an
    index with no recorded version, which is refused on open, never one with a wrong version.
    """
    path.mkdir(parents=True, exist_ok=True)
    index_version.forget_version(path)
    created = index.create_in(str(path), build_schema())
    index_version.write_version(path, SCHEMA_VERSION)
    logger.info("created search index at %s (schema version %d)", path, SCHEMA_VERSION)
    return created


def open_index(path: Path, recreate: bool = False) -> FileIndex:
    """Open the index at ``path``, creating it when absent; refuse (or recreate) other versions."""
    path.mkdir(parents=True, exist_ok=True)
    # A sentinel without a Whoosh index is another engine's index: refused, not silently emptied.
    if recreate or not (index.exists_in(str(path)) or (path / SENTINEL_NAME).exists()):
        return create_index(path)
    found = read_version(path)
    if found != SCHEMA_VERSION or not index.exists_in(str(path)):
        raise IndexVersionError(path, found, SCHEMA_VERSION)
    return index.open_dir(str(path))


def index_schema_current(path: Path) -> bool:
    """Whether an index exists at ``path`` with the schema version this program writes."""
    return index.exists_in(str(path)) and read_version(path) == SCHEMA_VERSION
