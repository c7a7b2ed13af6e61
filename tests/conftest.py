"""Shared fixtures: an isolated archive home per test, the service built on it, real PostgreSQL servers.

``pg_server`` starts one throwaway PostgreSQL for the whole run (``tests/pgserver.py``) when a test
asks for it; ``pg_url`` gives each test a fresh database on it. With ``JIANDANG_TEST_CATALOG=postgres``
every test runs with PostgreSQL as the catalog: each gets a fresh database (copied from one that is
already migrated) through ``JIANDANG_DATABASE_URL``, which every ``Settings`` built in the test, and
every ``jiandang`` process it starts, reads.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from core import ArchiveService, Settings
from tests import pgserver

PG_CATALOG = os.environ.get("JIANDANG_TEST_CATALOG", "sqlite").lower() == "postgres"
_TEMPLATE = "jiandang_migrated"
_names = itertools.count(1)


def pytest_report_header(config: pytest.Config) -> str:
    return f"catalog under test: {'PostgreSQL (JIANDANG_TEST_CATALOG=postgres)' if PG_CATALOG else 'SQLite'}"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pgserver.PgServer]:
    """One real PostgreSQL for the run; skipped (with the reason) only when it cannot be installed."""
    reason = pgserver.available()
    if reason is not None:
        if PG_CATALOG:
            pytest.fail(f"JIANDANG_TEST_CATALOG=postgres but {reason}")
        pytest.skip(reason)
    server = pgserver.PgServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: pgserver.PgServer) -> str:
    """A database with every migration applied, copied for each test (faster than migrating each)."""
    from core.catalog import Catalog

    url = pg_server.create_database(_TEMPLATE)
    catalog = Catalog(url)
    catalog.migrate()
    catalog.dispose()
    return _TEMPLATE


@pytest.fixture
def pg_url(pg_server: pgserver.PgServer, pg_template: str) -> Iterator[str]:
    """A fresh, migrated database of its own for this test; dropped afterwards."""
    name = f"t{os.getpid()}_{next(_names)}"
    url = pg_server.create_database(name, template=pg_template)
    yield url
    pg_server.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_empty_url(pg_server: pgserver.PgServer) -> Iterator[str]:
    """A fresh database with nothing in it (for migration tests)."""
    name = f"e{os.getpid()}_{next(_names)}"
    url = pg_server.create_database(name)
    yield url
    pg_server.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _scratch_settings_restored() -> Iterator[None]:
    """A command run in this process points TMPDIR and the caches into its archive's home
    (``core/storage/confine.py``); the next test (and the processes it starts) must not inherit that.
    """
    import tempfile

    saved = {name: os.environ.get(name) for name in ("TMPDIR", "SQLITE_TMPDIR", "XDG_CACHE_HOME")}
    saved_tempdir = tempfile.tempdir
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    tempfile.tempdir = saved_tempdir


@pytest.fixture(autouse=PG_CATALOG)
def _catalog_on_postgres(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``JIANDANG_TEST_CATALOG=postgres``: this test's catalog is a fresh PostgreSQL database."""
    if PG_CATALOG and "pg_url" not in request.fixturenames:
        monkeypatch.setenv("JIANDANG_DATABASE_URL", request.getfixturevalue("pg_url"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "档案室", index_batch_size=16)


@pytest.fixture
def service(settings: Settings) -> Iterator[ArchiveService]:
    with ArchiveService(settings) as svc:
        yield svc
