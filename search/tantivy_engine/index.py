"""Opening, creating and version-checking the tantivy index directory.

The same sentinel as the Whoosh index (``index_version``), marked with the engine's name, so a
directory built by the other engine or by another schema version is refused instead of read.
Recreating removes everything in the directory: tantivy's files are derived data, and stale
segment files of another schema must not survive next to the new index.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import tantivy

from search import index_version
from search.index_version import IndexVersionError
from search.tantivy_engine.schema import BACKEND, SCHEMA_VERSION, build_schema

logger = logging.getLogger(__name__)


def _exists(path: Path) -> bool:
    return (path / "meta.json").is_file()


def create_index(path: Path) -> tantivy.Index:
    """A new, empty index with the current schema, replacing whatever was in the directory."""
    path.mkdir(parents=True, exist_ok=True)
    index_version.forget_version(path)
    for entry in path.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    created = tantivy.Index(build_schema(), path=str(path), reuse=False)
    index_version.write_version(path, SCHEMA_VERSION, BACKEND)
    logger.info("created tantivy search index at %s (schema version %d)", path, SCHEMA_VERSION)
    return created


def open_index(path: Path, recreate: bool = False) -> tantivy.Index:
    """Open the index at ``path``, creating it when absent; refuse (or recreate) other versions."""
    path.mkdir(parents=True, exist_ok=True)
    if recreate or (not _exists(path) and not any(path.iterdir())):
        return create_index(path)
    found = index_version.read_version(path, BACKEND)
    if found != SCHEMA_VERSION or not _exists(path):
        raise IndexVersionError(path, found, SCHEMA_VERSION)
    return tantivy.Index(build_schema(), path=str(path), reuse=True)


def index_schema_current(path: Path) -> bool:
    """Whether a tantivy index exists at ``path`` with the schema version this program writes."""
    return _exists(path) and index_version.read_version(path, BACKEND) == SCHEMA_VERSION
