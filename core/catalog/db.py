"""Engine and session set-up for the catalog, and migration on open.

SQLite is the embedded default: WAL journal (readers never block the writer), ``synchronous=FULL``
(a committed receipt survives power loss) and a busy timeout so a second process waits instead of
failing. Any other SQLAlchemy URL (PostgreSQL) is used as given.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from core.catalog.generation import READ_GENERATION, install_generation_bump
from core.errors import StorageError

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


_REVISION_LINE = re.compile(r"""^(down_)?revision\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def head_revisions() -> set[str]:
    """The newest revision ids, read from the migration files (a revision nobody revises).

    A file this simple reading cannot follow (a merge revision's tuple) only makes the set
    wrong in the safe direction: the catalog then looks behind and Alembic runs.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for down, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")):
            (parents if down else revisions).add(value)
    return revisions - parents


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
        install_generation_bump(self._sessions)

    def migrate(self) -> None:
        """Bring the schema to the newest revision (idempotent, safe on every start).

        A catalog already at the newest revision is recognised without Alembic (whose import
        alone is about 0.3 s of every command's start-up): the revision ids in the migration
        files against the ``alembic_version`` row. Anything else, or any doubt, runs Alembic.
        """
        if self._at_head():
            return
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except Exception as exc:  # alembic raises many types; the user needs one clear message
            raise StorageError(f"catalog migration failed for {self.url}: {exc}") from exc

    def _at_head(self) -> bool:
        heads = head_revisions()
        if not heads:
            return False
        try:
            with self.engine.connect() as connection:
                found = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
        except Exception:  # no table yet (a new catalog), or anything unexpected: let Alembic decide
            return False
        return found == heads

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def generation(self) -> int:
        """The catalog's generation now (``core/catalog/generation.py``): a view computed at this
        number is current until it moves.
        """
        with self.engine.connect() as connection:
            return int(connection.execute(READ_GENERATION).scalar() or 0)

    def dispose(self) -> None:
        self.engine.dispose()
