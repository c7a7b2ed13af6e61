"""Opening, creating and version-checking the Whoosh index directory.

Whoosh pickles the schema (analyzers included) into the index, and an index built by another
version of our analysis would answer queries wrongly without any error. So a small JSON sentinel
beside the index records ``SCHEMA_VERSION``; an index with another version (or none) is refused
with a message that says how to rebuild it, unless the caller asks to recreate it.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from whoosh import index
from whoosh.index import FileIndex

from search.whoosh_schema import SCHEMA_VERSION, build_schema

logger = logging.getLogger(__name__)

SENTINEL_NAME = "jiandang-index.json"


class IndexVersionError(RuntimeError):
    """The index on disk was built with another schema version; it must be rebuilt."""

    def __init__(self, path: Path, found: int | None, expected: int) -> None:
        found_text = "no recorded version" if found is None else f"schema version {found}"
        super().__init__(
            f"the search index at {path} has {found_text}, but this program uses schema version "
            f"{expected}; rebuild it (open with recreate=True, e.g. `jiandang reindex`)"
        )
        self.path = path
        self.found = found
        self.expected = expected


def read_version(path: Path) -> int | None:
    """The schema version recorded beside the index, or None when missing or unreadable."""
    try:
        data = json.loads((path / SENTINEL_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = data.get("schema_version") if isinstance(data, dict) else None
    return version if isinstance(version, int) else None


def _write_version(path: Path) -> None:
    target = path / SENTINEL_NAME
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps({"schema_version": SCHEMA_VERSION}), encoding="utf-8")
    os.replace(temporary, target)


def create_index(path: Path) -> FileIndex:
    """A new, empty index with the current schema (replacing whatever index was there).

    The old sentinel goes first and the new one is written last, so a crash in between leaves an
    index with no recorded version, which is refused on open, never one with a wrong version.
    """
    path.mkdir(parents=True, exist_ok=True)
    (path / SENTINEL_NAME).unlink(missing_ok=True)
    created = index.create_in(str(path), build_schema())
    _write_version(path)
    logger.info("created search index at %s (schema version %d)", path, SCHEMA_VERSION)
    return created


def open_index(path: Path, recreate: bool = False) -> FileIndex:
    """Open the index at ``path``, creating it when absent; refuse (or recreate) other versions."""
    path.mkdir(parents=True, exist_ok=True)
    if recreate or not index.exists_in(str(path)):
        return create_index(path)
    found = read_version(path)
    if found != SCHEMA_VERSION:
        raise IndexVersionError(path, found, SCHEMA_VERSION)
    return index.open_dir(str(path))


def index_schema_current(path: Path) -> bool:
    """Whether an index exists at ``path`` with the schema version this program writes."""
    return index.exists_in(str(path)) and read_version(path) == SCHEMA_VERSION
