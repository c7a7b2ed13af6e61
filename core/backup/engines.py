"""The catalog's consistent snapshot, behind one seam per database engine.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the database page by page
inside one read transaction, so the copy is the catalog as it was at one instant, while ingest
goes on writing (WAL: readers never block the writer, nor the writer them). The copy is then
checked (``PRAGMA integrity_check``) and switched to a rollback journal, so the snapshot is one
self-contained file.

PostgreSQL: not taken here. A logical dump (``pg_dump --format=custom``) or a base backup with
WAL archiving (``pg_basebackup``) is the documented way, and belongs to whoever runs the
database server; ``jiandang backup`` says so and stops rather than copying something that is
not a consistent snapshot.

A snapshot is read back (by ``verify-backup`` and ``restore``) through :class:`SnapshotReader`,
read-only and ``immutable``, so checking a backup never changes a byte of it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy.engine import make_url

from core.errors import StorageError
from core.security.audit import ChainRow

# Said in Chinese to whoever runs `jiandang backup` on a PostgreSQL catalog, before anything is
# written to the destination: the documented path (README "Several servers" → "Backups"), so no
# one takes a backup of the originals alone for a backup of the archive.
POSTGRES_REFUSAL = (
    "目录库在 PostgreSQL 中，jiandang backup 只能备份 SQLite 目录库，本次未写出任何备份。"
    "请用数据库自己的工具备份目录库和检索索引：pg_dump --format=custom（一致的逻辑备份），"
    "或 pg_basebackup 加 WAL 归档（可按时间点恢复）；原件目录用共享存储的快照或 rsync 复制"
    "（按内容寻址、从不修改，增量复制即完整）。恢复顺序：先数据库，再原件，然后运行 jiandang check-index"
    "（见 README“Several servers (PostgreSQL)”中的“Backups”）。"
)


class CatalogEngine(Protocol):
    """What a backup needs from the catalog's database engine."""

    name: str

    def snapshot(self, target: Path) -> None:
        """Write a consistent copy of the whole catalog to ``target`` (a new file)."""


@dataclass(frozen=True)
class SqliteEngine:
    path: Path
    name: str = "sqlite"

    def snapshot(self, target: Path) -> None:
        source = sqlite3.connect(self.path, timeout=60)  # read-write: a WAL database needs its -shm
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # all pages in one step: one read transaction, one instant
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise StorageError(f"the catalog snapshot {target} failed its integrity check: {verdict}",
                                   path=str(target))
            copy.execute("PRAGMA journal_mode=DELETE")
            copy.commit()
        except sqlite3.Error as error:
            raise StorageError(f"could not snapshot the catalog {self.path} to {target}: {error}",
                               path=str(target)) from error
        finally:
            copy.close()
            source.close()


def engine_for(catalog_url: str) -> CatalogEngine:
    """The backup engine of a catalog URL; PostgreSQL is refused with what to use instead."""
    url = make_url(catalog_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise StorageError("an in-memory catalog cannot be backed up")
        return SqliteEngine(Path(url.database))
    if url.get_backend_name() == "postgresql":
        raise StorageError(POSTGRES_REFUSAL, url=url.render_as_string(hide_password=True))
    raise StorageError(f"no backup engine for a {url.get_backend_name()} catalog")


class SnapshotReader:
    """A snapshot's catalog, read-only and immutable (checking a backup never writes to it)."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise StorageError(f"the catalog snapshot {path} is missing", path=str(path))
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SnapshotReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def originals(self) -> Iterator[tuple[str, str, int, str]]:
        """(document id, sha256, size, original name) of every document, in id order."""
        yield from self._db.execute("SELECT id, sha256, size, original_name FROM documents ORDER BY id")

    def count(self, table: str) -> int:
        return int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def audit_rows(self) -> list[ChainRow]:
        return [tuple(row) for row in self._db.execute(  # type: ignore[misc]
            "SELECT seq, at, actor, action, target, detail, prev_hash, entry_hash FROM audit_log ORDER BY seq")]

    def audit_hash(self, seq: int) -> str | None:
        row = self._db.execute("SELECT entry_hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        return str(row[0]) if row else None

    def audit_head(self) -> tuple[int, str] | None:
        row = self._db.execute("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def integrity(self) -> str:
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])
