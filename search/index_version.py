"""The schema-version sentinel every index directory carries, whatever engine built it.

An index built by another version of our analysis (or by the other engine) would answer queries
wrongly without any error. A small JSON file beside the index records the schema version and,
for every engine but the original Whoosh one, the engine's name; an index whose sentinel does not
match what this program writes is refused with a message that says how to rebuild it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

SENTINEL_NAME = "jiandang-index.json"
DEFAULT_BACKEND = "whoosh"  # sentinels written before there was a second engine name none


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


def read_version(path: Path, backend: str = DEFAULT_BACKEND) -> int | None:
    """The schema version recorded beside the index by ``backend``; None when missing, unreadable
    or written by another engine (so switching engines on one directory forces a rebuild).
    """
    try:
        data = json.loads((path / SENTINEL_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("backend", DEFAULT_BACKEND) != backend:
        return None
    version = data.get("schema_version")
    return version if isinstance(version, int) else None


def write_version(path: Path, version: int, backend: str = DEFAULT_BACKEND) -> None:
    """Record ``version`` atomically (write a temporary file, then rename it into place)."""
    record: dict[str, object] = {"schema_version": version}
    if backend != DEFAULT_BACKEND:
        record["backend"] = backend
    target = path / SENTINEL_NAME
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(record), encoding="utf-8")
    os.replace(temporary, target)


def forget_version(path: Path) -> None:
    """Remove the sentinel first when recreating, so a crash midway leaves an index that is refused."""
    (path / SENTINEL_NAME).unlink(missing_ok=True)
