"""One writer at a time per archive home, or per archive database.

The catalog (SQLite) and the Whoosh index both allow a single writer. Rather than letting two
``jiandang ingest`` runs race on the index lock, every writing command takes this advisory lock
first and waits for the other to finish. The kernel drops the lock when a process dies, so a
``kill -9`` never leaves the archive locked.

With the catalog on PostgreSQL the archive is no longer one folder: app nodes on several
machines share it, so the lock is a PostgreSQL advisory lock held on a connection of its own
(the server drops it when that connection dies, ``kill -9`` included). When every write goes
to the database (the ``postgres`` search backend) writers can work side by side and take it
*shared*: it then only keeps them out while a rebuild (``reindex``, ``check-index --repair``)
holds it exclusively. With a file index beside a PostgreSQL catalog, writers take it exclusively.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

from core.errors import StorageError

logger = logging.getLogger(__name__)


POLL_S = 0.2
WRITER_KEY = "hashtextextended('jiandang:writer', 0)"


@contextmanager
def writer_lock(home: Path, timeout_s: float = 3600.0, *, database: Engine | None = None,
                shared: bool = False) -> Iterator[None]:
    """Be a writer of the archive until the block ends (``database``: the PostgreSQL catalog's engine)."""
    if database is not None:
        with _advisory_writer_lock(database, timeout_s, shared):
            yield
        return
    with _home_writer_lock(home, timeout_s):
        yield


@contextmanager
def _advisory_writer_lock(engine: Engine, timeout_s: float, shared: bool) -> Iterator[None]:
    mode = "_shared" if shared else ""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        deadline = time.monotonic() + timeout_s
        announced = False
        while not connection.execute(text(f"SELECT pg_try_advisory_lock{mode}({WRITER_KEY})")).scalar():
            if not announced:
                logger.warning("another jiandang process is %s the archive at %s; waiting",
                               "rebuilding" if shared else "writing to", engine.url.render_as_string())
                announced = True
            if time.monotonic() > deadline:
                raise StorageError(f"timed out waiting for the writer lock of {engine.url.render_as_string()}")
            time.sleep(POLL_S)
        try:
            yield
        finally:
            connection.execute(text(f"SELECT pg_advisory_unlock{mode}({WRITER_KEY})"))


@contextmanager
def _home_writer_lock(home: Path, timeout_s: float) -> Iterator[None]:
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
                time.sleep(POLL_S)
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
