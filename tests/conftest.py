"""Shared fixtures: an isolated archive home per test, and the service built on it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from core import ArchiveService, Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "档案室", index_batch_size=16)


@pytest.fixture
def service(settings: Settings) -> Iterator[ArchiveService]:
    with ArchiveService(settings) as svc:
        yield svc
