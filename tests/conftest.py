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
from collections.abc import Callable, Iterator
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With PostgreSQL as the catalog, a ``sqlite_only`` test is skipped and says why: what it tests
    (the catalog's file, its disk, SQLite's snapshot) does not exist there. It needs a reason, so a
    skip never hides a test that should pass on both.
    """
    for item in items:
        mark = item.get_closest_marker("sqlite_only")
        if mark is None:
            continue
        reason = mark.kwargs.get("reason") or (mark.args[0] if mark.args else "")
        if not reason:
            raise pytest.UsageError(f"{item.nodeid}: sqlite_only needs a reason (why the test is SQLite's alone)")
        if PG_CATALOG:
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


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


def own_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """The body of ``module_catalog``, ``session_catalog`` and each package's ``package_catalog``:
    for an archive built once per module, package or run (its fixture asks for one of these first).

    With SQLite nothing is needed: the archive's catalog is a file in its home. With
    ``JIANDANG_TEST_CATALOG=postgres`` the module (package) gets a fresh database of its own, named
    in ``JIANDANG_DATABASE_URL`` until it ends, and the tests using the archive keep it (they do not
    get one each): without this, the archive would be built before any test's database is set, on
    SQLite, and the PostgreSQL pass would not be testing PostgreSQL there at all.
    """
    if not PG_CATALOG:
        yield
        return
    server: pgserver.PgServer = request.getfixturevalue("pg_server")
    name = f"m{os.getpid()}_{next(_names)}"
    url = server.create_database(name, template=request.getfixturevalue("pg_template"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JIANDANG_DATABASE_URL", url)
        yield
    server.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def module_catalog(request: pytest.FixtureRequest) -> Iterator[None]:
    """A catalog for this module's shared archive (``own_database``)."""
    yield from own_database(request)


@pytest.fixture(scope="session")
def session_catalog(request: pytest.FixtureRequest) -> Iterator[None]:
    """A catalog for the run's one shared archive (the browser walk-through's site)."""
    yield from own_database(request)


@pytest.fixture(autouse=PG_CATALOG)
def _catalog_on_postgres(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``JIANDANG_TEST_CATALOG=postgres``: this test's catalog is a fresh PostgreSQL database
    (or its module's or package's, when it uses an archive built once for them: ``own_database``).
    """
    if PG_CATALOG and not {"pg_url", "module_catalog", "package_catalog", "session_catalog"} & set(request.fixturenames):
        monkeypatch.setenv("JIANDANG_DATABASE_URL", request.getfixturevalue("pg_url"))


@pytest.fixture
def another_catalog(request: pytest.FixtureRequest) -> Iterator[Callable[[], dict[str, str]]]:
    """For a test with a second archive beside its first: what that archive's ``Settings`` add
    (``Settings(home=…, **another_catalog())``). With SQLite nothing (each home has its own catalog
    file); with PostgreSQL as the catalog, a fresh database, for the two archives would otherwise
    share the test's one. (Never ``database_url=None``: an explicit None means SQLite.)
    """
    made: list[str] = []

    def new() -> dict[str, str]:
        if not PG_CATALOG:
            return {}
        server: pgserver.PgServer = request.getfixturevalue("pg_server")
        made.append(f"a{os.getpid()}_{next(_names)}")
        return {"database_url": server.create_database(made[-1], template=request.getfixturevalue("pg_template"))}

    yield new
    for name in made:
        request.getfixturevalue("pg_server").sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "档案室", index_batch_size=16)


@pytest.fixture
def service(settings: Settings) -> Iterator[ArchiveService]:
    with ArchiveService(settings) as svc:
        yield svc
