"""One real archive holding a generated project with personal data planted in its documents (real
PDF/DOCX files, ingested by the real service), plus the accounts the workflow needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core import ArchiveService, Settings
from samples.oversight import generate_oversight_projects
from samples.personal_data import Planted, plant_personal_data
from schemas.ingest import IngestRequest
from tests.conftest import own_database

CODE = "DS-2025-001"
PASSWORD = "公开测试口令-2025"
ARCHIVIST, SECOND_ARCHIVIST, APPROVER, AUDITOR = "档案员甲", "档案员丙", "分管领导乙", "审计丁"


@dataclass(frozen=True)
class PlantedArchive:
    home: Path
    source: Path
    planted: list[Planted]

    def service(self) -> ArchiveService:
        return ArchiveService(Settings(home=self.home, index_batch_size=64))


def build(base: Path, code: str = CODE) -> PlantedArchive:
    source = base / "收文"
    scenarios = generate_oversight_projects(source, {code: "clean"}, seed=18)
    scenario = scenarios[code]
    planted = plant_personal_data(source / code, seed=18, project_name=scenario.name, owner=scenario.owner)
    world = PlantedArchive(home=base / "档案室", source=source, planted=planted)
    with world.service() as service:
        report = service.ingest(IngestRequest(paths=[source / code], project=code))
        assert report.counts.quarantined == 0, [line.reason for line in report.files if line.reason]
        for name, role in ((ARCHIVIST, "archivist"), (SECOND_ARCHIVIST, "archivist"), (APPROVER, "approver"),
                           (AUDITOR, "auditor")):
            service.accounts.add_user(name, role, PASSWORD)
    return world


@pytest.fixture(scope="package")
def package_catalog(request: pytest.FixtureRequest) -> Iterator[None]:
    """This package's shared archive gets a catalog of its own (``own_database`` in ``tests/conftest.py``)."""
    yield from own_database(request)


@pytest.fixture(scope="package")
def planted_archive(package_catalog: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlantedArchive]:
    yield build(tmp_path_factory.mktemp("disclosure"))
