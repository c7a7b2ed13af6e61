"""One real archive holding a generated project per seed (real PDF/DOCX/XLSX files, ingested by the
real service), shared by the oversight tests of this package.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core import ArchiveService, Settings
from samples.oversight import SEEDS, Scenario, generate_oversight_projects
from schemas.ingest import IngestRequest
from tests.conftest import own_database

# project code → seed; two projects share the builder of the cross-project split (C10, agency-wide)
PLAN = {f"OV-{name}": name for name in SEEDS}
PLAN["OV-C10-across-2"] = "C10-across"
PLAN["OV-corrected"] = "clean"  # changed by the corrections test only


@dataclass(frozen=True)
class Seeded:
    home: Path
    source: Path
    scenarios: dict[str, Scenario]

    def service(self) -> ArchiveService:
        return ArchiveService(Settings(home=self.home, index_batch_size=64))


@pytest.fixture(scope="package")
def package_catalog(request: pytest.FixtureRequest) -> Iterator[None]:
    """This package's shared archive gets a catalog of its own (``own_database`` in ``tests/conftest.py``)."""
    yield from own_database(request)


@pytest.fixture(scope="package")
def seeded(package_catalog: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    base = tmp_path_factory.mktemp("oversight")
    source = base / "收文"
    scenarios = generate_oversight_projects(source, PLAN, seed=17)
    world = Seeded(home=base / "档案室", source=source, scenarios=scenarios)
    with world.service() as service:
        for code in PLAN:
            report = service.ingest(IngestRequest(paths=[source / code], project=code))
            assert report.counts.quarantined == 0, [line.reason for line in report.files if line.reason]
    yield world
