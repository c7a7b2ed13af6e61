"""Content-addressed store of originals: the bytes exactly as they arrived, never modified.

A file is streamed once: copied into a temporary file in the store while its sha256 is computed,
fsynced, then renamed to ``ab/cd/<sha256>``. A rename is atomic on one filesystem, so a crash
leaves either no blob or a complete one, never half a file; left-over temporaries are swept on
start. The store may be shared storage written by several app nodes at once: a temporary is
locked (``flock``, which NFS carries as a lock on the server) from the moment it exists while
it is written, and the sweep removes only temporaries that nobody holds (an empty one only once
it is a few seconds old: it may be between its creation and its lock), never another node's
upload in progress. Stored blobs are made read-only. Storing bytes that are already there is a no-op, which is
what makes re-ingest after a crash safe.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import logging
import os
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from core.storage.full import store_error

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
TMP_DIR_NAME = ".incoming"
EMPTY_GRACE_S = 10.0  # an unlocked empty temporary younger than this may be about to be locked


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    path: Path
    already_present: bool


def sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return _hash_stream(handle)


def _hash_stream(handle: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _abandoned(path: Path) -> bool:
    """A temporary whose writer is gone: nobody holds its lock (and, if empty, not brand new)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        info = os.fstat(fd)
        return info.st_size > 0 or time.time() - info.st_mtime >= EMPTY_GRACE_S
    except OSError:
        return False
    finally:
        os.close(fd)


class NotARegularFile(OSError):
    """The source is a link, a pipe, a socket or a device: never read."""


def _open_regular(source: Path) -> BinaryIO:
    """``source`` opened for reading only if it is a regular file (links not followed, pipes not waited on)."""
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotARegularFile(errno.EINVAL, "not a regular file", str(source))
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def fsync_path(path: Path) -> None:
    """Flush a file or a folder (a rename is durable once its folder is flushed)."""
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
            if _abandoned(leftover):
                logger.info("removing unfinished upload %s left by an earlier crash", leftover.name)
                leftover.unlink(missing_ok=True)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def put_file(self, source: Path) -> StoredBlob:
        """Store ``source`` unless its bytes are already here.

        Raises ``OSError`` when the *source* cannot be read (gone, no permission, not a regular
        file: a link, a pipe), and ``StorageError`` (``DiskFull`` for a full disk) when the
        *store* cannot be written; a copy that failed half-way is deleted, never named.

        The source is opened once, without following a link and without waiting on a pipe
        (``O_NOFOLLOW | O_NONBLOCK``), and must be a regular file: what the walk saw is what is
        read, even if the name was swapped for a link in between. A first pass hashes it, so a
        re-delivered file costs no write; a new file is then copied from the same handle while
        hashed again, and the blob is named after the hash of the bytes actually copied: a file
        rewritten between the two passes is stored as what was copied, never under a stale name.
        """
        with _open_regular(source) as src:
            known = _hash_stream(src)
            if self.exists(known):
                return StoredBlob(known, os.fstat(src.fileno()).st_size, self.path_for(known), already_present=True)
            src.seek(0)
            return self._copy_in(src, source)

    def _copy_in(self, src: BinaryIO, source: Path) -> StoredBlob:
        digest = hashlib.sha256()
        size = 0
        tmp_path: Path | None = None
        try:
            fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="in-")
            tmp_path = Path(tmp_name)
            fcntl.flock(fd, fcntl.LOCK_EX)  # held until closed: the sweep of another node leaves it alone
            with os.fdopen(fd, "wb") as dst:
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
            fsync_path(final.parent)
            return StoredBlob(sha, size, final, already_present=False)
        except OSError as error:
            if tmp_path is not None:
                tmp_path.unlink(missing_ok=True)
            raise store_error(error, tmp_path or self._tmp, f"storing 《{source.name}》") from error
        except BaseException:
            if tmp_path is not None:
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
