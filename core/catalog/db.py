"""Engine and session set-up for the catalog, and migration on open.

SQLite is the embedded default: WAL journal (readers never block the writer), ``synchronous=FULL``
(a committed receipt survives power loss) and a busy timeout so a second process waits instead of
failing. Any other SQLAlchemy URL (PostgreSQL) is used as given.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from core.errors import DiskFull, StorageError

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    try:
        # WAL is a property of the database file: set once, it stays. Switching needs a moment
        # with no other connection open; if a reader is in, the next connection will do it.
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as exc:
        logger.debug("journal mode not switched yet: %s", exc)
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Catalog:
    """Owns the engine; hands out sessions. One per service instance, never a global."""

    def __init__(self, url: str) -> None:
        self.url = url
        is_sqlite = url.startswith("sqlite")
        self.engine: Engine = create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False} if is_sqlite else {},
        )
        if is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def migrate(self) -> None:
        """Bring the schema to the newest revision (idempotent, safe on every start)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except Exception as exc:  # alembic raises many types; the user needs one clear message
            raise StorageError(f"catalog migration failed for {self.url}: {exc}") from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on any error.

        A full disk (SQLite's ``SQLITE_FULL``) rolls the unit back and becomes ``DiskFull``
        naming the catalog file: nothing of the unit was recorded.
        """
        try:
            with self._sessions() as session, session.begin():
                yield session
        except OperationalError as exc:
            if getattr(exc.orig, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
                where = self.url.removeprefix("sqlite:///")
                raise DiskFull(f"磁盘已满：目录（catalog）{where} 写不进去，这次的改动已整体撤销、没有登记；"
                               "腾出空间后再运行一次即可接着处理", path=where) from exc
            raise

    def dispose(self) -> None:
        self.engine.dispose()
