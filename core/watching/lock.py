"""One watcher per archive home: a lock file held (flock) for the watcher's whole life.

Two watchers on one home would both believe they own the job table: the second one's start-up
re-queues the first one's in-flight files, and the same file gets taken twice. The writer lock
(``core.storage.locks``) cannot prevent that, because a watcher lets go of it between drops so that
``jiandang ingest`` can run. So a watcher also holds ``watcher.lock`` from start to end, and a
second one fails at once with a message naming the process that holds it. The kernel releases
the lock when the process dies, so a ``kill -9`` never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import StorageError

LOCK_NAME = "watcher.lock"


@contextmanager
def watcher_lock(home: Path) -> Iterator[None]:
    """Hold the home's watcher lock, or raise ``StorageError`` if another watcher has it."""
    path = home / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)  # not inheritable: reader processes do not get it
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            raise StorageError(
                f"another watcher (process {holder}) is already watching for the archive at {home}; "
                "stop it first, or give this one another JIANDANG_HOME", path=str(path)
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)
