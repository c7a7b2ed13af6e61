"""One watcher per archive home, and a lease that says which watcher owns a job.

Two watchers on one home would both believe they own the job table: the second one's start-up
would re-queue the first one's in-flight files, and the same file would be taken twice. So a
watcher holds ``watcher.lock`` (flock) in its home from start to end, and a second one fails at
once with a message naming the host and process that hold it. The kernel releases the lock
when the process dies, so a ``kill -9`` never leaves a stale lock behind.

Several app nodes (each with its own home) may share one PostgreSQL catalog and watch the same
share. Then the job table is shared and "re-queue what was in flight" must not touch another
live node's files. Every watcher therefore has a :class:`Lease`: an owner name (host, process,
random tag) that it writes on the jobs it claims, kept alive by a PostgreSQL advisory lock on
a connection of its own. Another watcher asks whether an owner is alive by trying that lock:
it gets it only when the owner's connection is gone (its process died, ``kill -9`` included),
and only then puts the owner's jobs back. On SQLite the catalog belongs to one home, so the
flock alone makes the watcher the only owner there is.
"""

from __future__ import annotations

import fcntl
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, text

from core.catalog import Catalog
from core.errors import StorageError

LOCK_NAME = "watcher.lock"
_KEY = "hashtextextended('jiandang:watcher:' || :owner, 0)"


class Lease:
    """This watcher's owner name and, on PostgreSQL, the connection holding it alive."""

    def __init__(self, owner: str, connection: Connection | None = None) -> None:
        self.owner = owner
        self._connection = connection

    @property
    def shared(self) -> bool:
        """Other nodes may be watching the same catalog (it is a PostgreSQL server)."""
        return self._connection is not None

    def alive(self, owner: str | None) -> bool:
        """Is the watcher named ``owner`` still running (somewhere)?"""
        if owner is None:
            return False
        if owner == self.owner:
            return True
        if self._connection is None:
            return False  # SQLite: this home's only watcher is this one
        taken = self._connection.execute(text(f"SELECT pg_try_advisory_lock({_KEY})"), {"owner": owner}).scalar()
        if taken:
            self._connection.execute(text(f"SELECT pg_advisory_unlock({_KEY})"), {"owner": owner})
        return not taken


def owner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@contextmanager
def watcher_lock(home: Path, catalog: Catalog | None = None) -> Iterator[Lease]:
    """Hold the home's watcher lock and this watcher's lease, or raise ``StorageError``."""
    path = home / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)  # not inheritable: reader processes do not get it
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            written = os.pread(fd, 256, 0).decode("utf-8", "replace").split("\n")
            pid = written[0].strip() or "unknown"
            host = written[1].split()[0] if len(written) > 1 and written[1].strip() else "this machine"
            raise StorageError(
                f"another watcher (process {pid}) on {host} is already watching for the archive at {home}; "
                "stop it first, or give this one another JIANDANG_HOME", path=str(path)
            ) from None
        owner = owner_name()
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n{socket.gethostname()} {owner}\n".encode(), 0)
        if catalog is None or not catalog.is_postgres:
            yield Lease(owner)
            return
        with catalog.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"SELECT pg_advisory_lock({_KEY})"), {"owner": owner})
            yield Lease(owner, connection)
    finally:
        os.close(fd)
