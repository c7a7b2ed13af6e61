"""A small, real on-disk index of Chinese construction documents shared by the search tests.

Every test that takes ``store`` (or ``store_class``) runs once per search backend: both engines
must pass the same Chinese search, filter, facet and lifecycle tests.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from search import BACKENDS, SearchStore
from tests.search.corpus import sample_documents


@pytest.fixture(scope="module", params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def store_class(backend: str) -> type:
    """The document store class of the backend under test."""
    return BACKENDS[backend]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory, store_class: type) -> Path:
    path = tmp_path_factory.mktemp("检索") / "索引"
    store_class(index_path=str(path)).write_documents(sample_documents())
    return path


@pytest.fixture(scope="module")
def store(index_dir: Path, store_class: type) -> SearchStore:
    """The sample index, opened again from disk (so every search test also tests reopening)."""
    return store_class(index_path=str(index_dir))
