"""A small, real index of Chinese construction documents shared by the search tests.

Every test that takes ``store`` (or ``store_class``) runs once per search backend: all three
engines must pass the same Chinese search, filter, facet and lifecycle tests. For ``postgres``
the index lives in tables of a real PostgreSQL (the ``pg_server`` of tests/conftest.py); the
folder a test names stands for a set of tables of its own, so opening "the same folder" again
reopens the same tables, as for the engines that keep a folder.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from search import BACKENDS, PostgresDocumentStore, SearchStore
from tests.pgserver import PgServer
from tests.search.corpus import sample_documents


@pytest.fixture(scope="session")
def search_database(pg_server: PgServer) -> str:
    """One database for every postgres index of the run (each index: tables of its own)."""
    return pg_server.create_database("search_tests")


def postgres_factory(database: str, opened: list[PostgresDocumentStore]) -> Callable[..., PostgresDocumentStore]:
    def open_at(index_path: str, recreate: bool = False, **options: Any) -> PostgresDocumentStore:
        prefix = "s" + hashlib.sha1(str(index_path).encode()).hexdigest()[:12]
        store = PostgresDocumentStore(database, table_prefix=prefix, recreate=recreate, **options)
        opened.append(store)
        return store

    return open_at


@pytest.fixture(scope="module", params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def store_class(backend: str, request: pytest.FixtureRequest) -> Iterator[Callable[..., SearchStore]]:
    """How the backend under test opens an index: ``store_class(index_path=…, recreate=…)``."""
    if backend != "postgres":
        yield BACKENDS[backend]
        return
    opened: list[PostgresDocumentStore] = []
    yield postgres_factory(request.getfixturevalue("search_database"), opened)
    for store in opened:
        store.close()


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory, store_class: Callable[..., SearchStore]) -> Path:
    path = tmp_path_factory.mktemp("检索") / "索引"
    store_class(index_path=str(path)).write_documents(sample_documents())
    return path


@pytest.fixture(scope="module")
def store(index_dir: Path, store_class: Callable[..., SearchStore]) -> SearchStore:
    """The sample index, opened again (so every search test also tests reopening)."""
    return store_class(index_path=str(index_dir))
