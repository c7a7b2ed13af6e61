"""The page's completeness report reads again only the documents that changed, and says exactly what a
report computed from scratch says: after a re-filing, a move, an edit and a waiver.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core import ArchiveService
from core.catalog import Project
from schemas.completeness import CompletenessReport
from schemas.projects import DocumentEdit
from tests.core.workbench_archive import MAIN, OTHER, Archive, build

pytestmark = pytest.mark.integration


@pytest.fixture
def archive(service: ArchiveService, tmp_path: Path) -> Archive:
    return build(service, tmp_path / "收文")


def _reused(service: ArchiveService) -> CompletenessReport:
    return service.filing.completeness(MAIN, fresh=False)


def _fresh(service: ArchiveService) -> CompletenessReport:
    return service.filing.completeness(MAIN, fresh=True)


def _kept(service: ArchiveService) -> dict[str, object]:
    """The facts the book holds for MAIN, by document id (identity tells what was read again)."""
    with service.catalog.session() as session:
        project_id = session.scalar(select(Project.id).where(Project.code == MAIN))
        return {f.document.id: f for f in service.filing.facts.documents(session, project_id, True)}


def test_only_the_changed_document_is_read_again(archive: Archive) -> None:
    service = archive.service
    _reused(service)
    before = _kept(service)
    changed = archive.ids["施工组织设计.pdf"]
    service.reclassify(changed, "C1", "C1-1", who="档案员甲")
    after = _kept(service)
    assert after[changed] is not before[changed], "the re-filed document was read again"
    assert all(after[d] is before[d] for d in before if d != changed), "every other document was not"


def test_a_reused_report_equals_a_fresh_one_after_each_kind_of_change(archive: Archive) -> None:
    service = archive.service
    assert _reused(service) == _fresh(service)
    steps = [
        lambda: service.reclassify(archive.ids["设计变更通知单.pdf"], "C2", "C2-6", who="档案员甲"),
        lambda: service.projects.edit(archive.ids["监理月报.docx"], DocumentEdit(title="监理月报（四月）"), "更正题名",
                                      "档案员甲"),
        lambda: service.projects.move([archive.ids["隐蔽工程验收记录.xlsx"]], OTHER, "档案员甲", "归错项目"),
        lambda: service.projects.move([archive.ids["竣工验收报告.pdf"]], MAIN, "档案员甲", "收件箱文件归入"),
        lambda: service.waive(MAIN, "A1-1", "立项文件由主管部门保存", "档案员甲"),
    ]
    for step in steps:
        _reused(service)  # the book holds the state before the change
        step()
        assert _reused(service) == _fresh(service)


def test_a_fresh_report_opens_every_original_again(archive: Archive) -> None:
    """An original altered behind the catalog's back is found by the fresh report (the CLI, the handover)."""
    service = archive.service
    doc = service.show(archive.ids["施工组织设计.pdf"])
    assert all(check.passed for check in _reused(service).sixing if check.check == "fixity")
    stored = service.blobs.path_for(doc.sha256)
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes() + b"%% altered")
    fixity = next(check for check in _fresh(service).sixing if check.check == "fixity")
    assert not fixity.passed and fixity.problems[0].document_id == doc.id
