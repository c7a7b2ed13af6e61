"""One writer at a time per archive home.

The catalog (SQLite) and the Whoosh index both allow a single writer. Rather than letting two
``jiandang ingest`` runs race on the index lock, every writing command takes this advisory lock
first and waits for the other to finish. The kernel drops the lock when a process dies, so a
``kill -9`` never leaves the archive locked.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import StorageError

logger = logging.getLogger(__name__)


@contextmanager
def writer_lock(home: Path, timeout_s: float = 3600.0) -> Iterator[None]:
    path = home / "writer.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout_s
        announced = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not announced:
                    logger.warning("another jiandang process is writing to %s; waiting", home)
                    announced = True
                if time.monotonic() > deadline:
                    raise StorageError(f"timed out waiting for the writer lock {path}") from None
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """A short exclusive lock for a read-modify-write of one small file (threads and processes alike).

    ``flock`` belongs to the open file, so two threads of one server opening the lock file each get
    their own and exclude each other, as a CLI process and the server do.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
