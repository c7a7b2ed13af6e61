"""Plain SQL on a test's catalog, whichever engine it is (SQLite file, or PostgreSQL with
``JIANDANG_TEST_CATALOG=postgres``): what tests read or forge behind the archive's back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from core import Settings
from core.catalog.engines import normalise_url


def catalog_url(home: Path) -> str:
    """The catalog of the archive at ``home`` (``JIANDANG_DATABASE_URL`` when the test run sets one)."""
    return normalise_url(Settings(home=home).catalog_url)


def catalog_ready(home: Path) -> bool:
    """Has a process created (migrated) the catalog of ``home`` yet?"""
    return bool(count(home, "SELECT count(*) FROM alembic_version"))


def rows(home: Path, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Run one statement (named ``:params``) in its own transaction; the rows it returns, if any."""
    engine = create_engine(catalog_url(home))
    try:
        with engine.begin() as connection:
            result = connection.execute(text(sql), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def count(home: Path, sql: str, **params: Any) -> int:
    """A ``SELECT count(*) …``; 0 while the catalog or its tables do not exist yet."""
    if catalog_url(home).startswith("sqlite") and not (home / "catalog.sqlite3").exists():
        return 0
    try:
        return rows(home, sql, **params)[0][0]
    except (OperationalError, ProgrammingError):
        return 0
