"""Engine and session set-up for the catalog, and migration on open.

SQLite is the embedded default: WAL journal (readers never block the writer), ``synchronous=FULL``
(a committed receipt survives power loss) and a busy timeout so a second process waits instead of
failing. PostgreSQL (``postgresql+psycopg://…``, see ``engines``) is checked at start (reachable,
UTF8 with a Chinese-aware ctype, schema not newer than this program) and migrated under an
advisory lock, so app nodes starting together migrate once. Read-only work may go to streaming
replicas (``read_urls``, see ``replicas``).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from core.catalog import engines
from core.catalog.generation import READ_GENERATION, install_generation_bump
from core.catalog.replicas import ReadRouter
from core.errors import ArchiveError, ConfigError, DiskFull, InputError, StorageError

if TYPE_CHECKING:
    from alembic.config import Config

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


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the settings its dialect needs."""
    if engines.dialect_of(url) == engines.SQLITE:
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # pre_ping: a node keeps working after the server restarts or fails over
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                         connect_args={"connect_timeout": 10, "application_name": "jiandang",
                                       "options": "-c timezone=UTC"})  # naive times (from SQLite) mean UTC


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
    """Owns the engines; hands out sessions. One per service instance, never a global."""

    def __init__(self, url: str, read_urls: Sequence[str] = (), max_replica_lag: float = 5.0) -> None:
        self.url = engines.normalise_url(url)
        self.dialect = engines.dialect_of(self.url)
        self.engine: Engine = make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        install_generation_bump(self._sessions)
        self.reads = ReadRouter(self.engine, [make_engine(engines.normalise_url(u)) for u in read_urls],
                                max_replica_lag)

    @property
    def is_postgres(self) -> bool:
        return self.dialect == engines.POSTGRES

    def migrate(self) -> None:
        """Check the database, then bring the schema to the newest revision (idempotent, on every start).

        A catalog already at the newest revision is recognised without Alembic (whose import
        alone is about 0.3 s of every command's start-up): the revision ids in the migration
        files against the ``alembic_version`` row. Anything else, or any doubt, runs Alembic.
        PostgreSQL's start checks run either way.
        """
        if self._at_head():
            if self.is_postgres:
                with self.engine.connect() as connection:
                    engines.check_postgres(connection, self.url)
                self.reads.check_at_start()
            return
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        try:
            with self.engine.begin() as connection:
                if self.is_postgres:
                    engines.check_postgres(connection, self.url)
                    engines.serialize(connection, "migrate")  # nodes starting together migrate once
                self._refuse_newer_schema(connection, config)
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
            self.reads.check_at_start()
        except ArchiveError:
            raise
        except OperationalError as exc:
            raise engines.unreachable(self.url, exc) from exc
        except Exception as exc:  # alembic raises many types; the user needs one clear message
            explained = engines.explain_migration_error(self.url, exc)
            if explained is not None:
                raise explained from exc
            raise StorageError(f"catalog migration failed for {engines.safe_url(self.url)}: {exc}") from exc

    def _refuse_newer_schema(self, connection: Connection, config: Config) -> None:
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        current = MigrationContext.configure(connection).get_current_revision()
        if current is None:
            return
        try:
            ScriptDirectory.from_config(config).get_revision(current)
        except Exception:
            raise ConfigError(
                f"the catalog at {engines.safe_url(self.url)} (setting database_url) has schema revision "
                f"{current!r}, newer than this program knows: it was migrated by a newer jiandang; upgrade this "
                "one (never run an older program on it)", setting="database_url") from None

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
        """A unit of work on the primary: committed when the block ends, rolled back on any error.

        A full disk (SQLite's ``SQLITE_FULL``) rolls the unit back and becomes ``DiskFull``
        naming the catalog file: nothing of the unit was recorded. A value the database cannot
        hold becomes ``InputError`` (``unstorable``).
        """
        try:
            with self._sessions() as session, session.begin():
                yield session
        except DataError as exc:
            raise unstorable(exc) from exc
        except OperationalError as exc:
            if getattr(exc.orig, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
                where = self.url.removeprefix("sqlite:///")
                raise DiskFull(f"磁盘已满：目录（catalog）{where} 写不进去，这次的改动已整体撤销、没有登记；"
                               "腾出空间后再运行一次即可接着处理", path=where) from exc
            raise

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A read-only unit of work, on a replica that is not too far behind, else on the primary."""
        try:
            with self.reads.session() as session:
                yield session
        except DataError as exc:
            raise unstorable(exc) from exc

    def serialize(self, session: Session, *names: str) -> None:
        """Hold advisory locks on ``names`` for the rest of ``session``'s transaction (PostgreSQL)."""
        engines.serialize(session, *names)

    def generation(self) -> int:
        """The catalog's generation now (``core/catalog/generation.py``): a view computed at this
        number is current until it moves.
        """
        with self.engine.connect() as connection:
            return int(connection.execute(READ_GENERATION).scalar() or 0)

    def dispose(self) -> None:
        self.engine.dispose()
        self.reads.dispose()


def unstorable(error: DataError) -> InputError:
    """A value the database refuses (a NUL in a text, which PostgreSQL's text cannot hold; a number
    out of its column's range) came from the caller: say so as invalid input, not a server error.

    The API refuses a NUL in a query or a path at its edge (``api/nul.py``); this covers every other
    way in (a JSON body, a command-line argument), on either catalog.
    """
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return InputError(f"输入的值无法存入目录（catalog）：{detail}", reason="unstorable")
