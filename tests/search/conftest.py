"""A small, real on-disk index of Chinese construction documents shared by the search tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from search import WhooshDocumentStore
from tests.search.corpus import sample_documents


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("检索") / "索引"
    WhooshDocumentStore(index_path=str(path)).write_documents(sample_documents())
    return path


@pytest.fixture(scope="module")
def store(index_dir: Path) -> WhooshDocumentStore:
    """The sample index, opened again from disk (so every search test also tests reopening)."""
    return WhooshDocumentStore(index_path=str(index_dir))
