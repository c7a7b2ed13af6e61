"""The backup folder: snapshots beside one shared, content-addressed store of originals.

::

    DEST/
      LATEST                      name of the newest complete snapshot (replaced last, atomically)
      backup.lock                 one backup (or check) at a time
      originals/ab/cd/<sha256>    every original any snapshot needs, written once, never changed
      originals/.incoming/        copies in progress (swept at the next start)
      snapshots/<UTC stamp>/      manifest.json, catalog.sqlite3, audit.head, settings, saved searches
      snapshots/.partial-<stamp>/ a snapshot being written (swept at the next start)

A snapshot folder only gets its final name when everything it needs is in place, and ``LATEST``
only moves after that; so a backup killed at any moment leaves the previous snapshot the latest
one, and the originals it had already copied (each complete and checked before its rename) are
not copied again by the next run.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.errors import InputError, StorageError
from core.storage.atomic_files import replace_text
from core.storage.blobstore import BlobStore, fsync_path

logger = logging.getLogger(__name__)

FORMAT = "jiandang-backup"
VERSION = 1
MANIFEST = "manifest.json"
CATALOG_FILE = "catalog.sqlite3"
AUDIT_HEAD = "audit.head"
PARTIAL_PREFIX = ".partial-"
INCOMING = ".incoming"


class BackupFolder:
    """One backup destination."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.originals = root / "originals"
        self.snapshots = root / "snapshots"
        self.incoming = self.originals / INCOMING

    def blob(self, sha256: str) -> Path:
        """Where an original lives here: the same layout as the archive's own store."""
        return BlobStore(self.originals).path_for(sha256)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the folder's lock; a second backup into the same folder is refused, not queued."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / "backup.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StorageError(f"another backup is writing to {self.root}", path=str(self.root)) from None
            yield
        finally:
            os.close(fd)

    def prepare(self) -> None:
        """Create the layout and sweep what an interrupted backup left (call under the lock)."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        self.snapshots.mkdir(parents=True, exist_ok=True)
        for leftover in self.incoming.iterdir():
            logger.info("removing an unfinished copy %s left by an interrupted backup", leftover.name)
            leftover.unlink(missing_ok=True)
        for partial in self.snapshots.glob(PARTIAL_PREFIX + "*"):
            logger.info("removing the unfinished snapshot %s left by an interrupted backup", partial.name)
            shutil.rmtree(partial, ignore_errors=True)

    def new_snapshot(self) -> tuple[str, Path]:
        """A fresh snapshot name (UTC time, sortable) and its partial folder."""
        name = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        partial = self.snapshots / f"{PARTIAL_PREFIX}{name}"
        partial.mkdir(parents=True)
        return name, partial

    def publish(self, name: str, partial: Path) -> Path:
        """Give a complete snapshot its name, then make it the latest."""
        final = self.snapshots / name
        _fsync_tree(partial)
        os.replace(partial, final)
        fsync_path(self.snapshots)
        replace_text(self.root / "LATEST", name + "\n")
        fsync_path(self.root)
        return final

    def latest(self) -> str:
        marker = self.root / "LATEST"
        if not marker.is_file():
            raise InputError(f"{self.root} is not a jiandang backup (no LATEST snapshot)", path=str(self.root))
        return marker.read_text(encoding="utf-8").strip()

    def snapshot(self, name: str | None = None) -> tuple[str, Path, dict[str, Any]]:
        """(name, folder, manifest) of a snapshot (the latest by default)."""
        name = name or self.latest()
        folder = self.snapshots / name
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InputError(f"snapshot {folder} has no readable {MANIFEST} ({error})", path=str(folder)) from error
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise InputError(f"{folder} is not a jiandang backup snapshot of version {VERSION}", path=str(folder))
        return name, folder, manifest


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    replace_text(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))



def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_file():
            fsync_path(path)
    fsync_path(folder)
