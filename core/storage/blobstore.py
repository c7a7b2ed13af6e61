"""Content-addressed store of originals: the bytes exactly as they arrived, never modified.

A file is streamed once: copied into a temporary file in the store while its sha256 is computed,
fsynced, then renamed to ``ab/cd/<sha256>``. A rename is atomic on one filesystem, so a crash
leaves either no blob or a complete one, never half a file; left-over temporaries are swept on
start. Stored blobs are made read-only. Storing bytes that are already there is a no-op, which is
what makes re-ingest after a crash safe.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
TMP_DIR_NAME = ".incoming"


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    path: Path
    already_present: bool


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BlobStore:
    """Immutable originals under ``root``, addressed by sha256."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._tmp = root / TMP_DIR_NAME

    def open(self) -> None:
        """Create the layout and sweep temporaries a crash left behind."""
        self._tmp.mkdir(parents=True, exist_ok=True)
        for leftover in self._tmp.iterdir():
            logger.info("removing unfinished upload %s left by an earlier crash", leftover.name)
            leftover.unlink(missing_ok=True)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def put_file(self, source: Path) -> StoredBlob:
        """Store ``source`` unless its bytes are already here. Raises OSError if unreadable.

        A first read hashes the file, so a re-delivered file costs no write. A new file is then
        copied while hashed again, and the blob is named after the hash of the bytes actually
        copied: a file rewritten between the two reads is stored as what was copied, never under
        a stale name.
        """
        known = sha256_of(source)
        if self.exists(known):
            return StoredBlob(known, source.stat().st_size, self.path_for(known), already_present=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="in-")
        tmp_path = Path(tmp_name)
        try:
            with source.open("rb") as src, os.fdopen(fd, "wb") as dst:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    dst.write(chunk)
                    size += len(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            sha = digest.hexdigest()
            final = self.path_for(sha)
            if final.exists():
                tmp_path.unlink()
                return StoredBlob(sha, size, final, already_present=True)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp_path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            os.replace(tmp_path, final)
            _fsync_dir(final.parent)
            return StoredBlob(sha, size, final, already_present=False)
        except BaseException:
            tmp_path.unlink(missing_ok=True)
            raise

    def verify(self, sha256: str) -> bool:
        """True when the stored bytes still hash to their name (fixity)."""
        path = self.path_for(sha256)
        return path.exists() and sha256_of(path) == sha256

    def iter_hashes(self):  # type: ignore[no-untyped-def]
        for path in self.root.glob("??/??/*"):
            if path.is_file():
                yield path.name
