"""Projects as records: created on purpose, refused with a suggestion, moved into, renamed, merged; edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import ArchiveService
from core.errors import AlreadyExists, InputError, ProjectNotFound
from schemas.projects import DocumentEdit, NewProject, ProjectChange
from schemas.search import SearchQuery
from tests.core.workbench_archive import MAIN, OTHER, Archive, build

pytestmark = pytest.mark.integration


@pytest.fixture
def archive(service: ArchiveService, tmp_path: Path) -> Archive:
    return build(service, tmp_path / "收文")


def _codes(service: ArchiveService, project: str) -> dict[str, str]:
    filing = service.workbench.tree.filing(project)
    assert filing is not None
    return {doc_id: placed[0] for doc_id, placed in filing.codes.items()}


def test_inbox_is_a_tray_without_completeness_or_handover(archive: Archive, tmp_path: Path) -> None:
    service = archive.service
    inbox = service.projects.summary("INBOX")
    assert inbox.kind == "tray" and inbox.documents == 1
    with pytest.raises(InputError, match="tray"):
        service.completeness("INBOX")
    with pytest.raises(InputError, match="tray"):
        service.handover("INBOX", tmp_path / "bundle")
    assert service.completeness(MAIN, rehash_originals=False).items, "a project has its checklist"


def test_unknown_code_is_refused_with_the_nearest_codes(archive: Archive) -> None:
    with pytest.raises(ProjectNotFound) as refused:
        archive.service.projects.require("XM-2024-17")
    assert refused.value.subject["project"] == "XM-2024-17"
    assert MAIN in refused.value.subject["suggestion"] and "市民服务中心大楼" in refused.value.subject["suggestion"]
    with pytest.raises(AlreadyExists):
        archive.service.projects.add(NewProject(code=MAIN, name="重复"), who="tests")


def test_move_from_inbox_gives_a_code_updates_the_index_and_the_history(archive: Archive) -> None:
    service, doc = archive.service, archive.ids["竣工验收报告.pdf"]
    assert doc not in _codes(service, MAIN)
    report = service.projects.move([doc[:8]], MAIN, "档案员甲", "收件箱文件归入项目")
    assert report.moved == [doc]
    assert service.show(doc).project == MAIN
    assert _codes(service, MAIN)[doc].startswith(f"{MAIN}-"), "a 档号 in the project's scheme"
    hits = service.search(SearchQuery(text="竣工验收报告", project=MAIN)).hits
    assert [h.id for h in hits] == [doc], "the index knows the new project"
    moved = [e for e in service.show(doc).events if e.kind == "moved"]
    assert moved[-1].detail == {"from": "INBOX", "to": MAIN, "reason": "收件箱文件归入项目", "who": "档案员甲"}
    again = service.projects.move([doc], MAIN, "档案员甲")
    assert again.moved == [] and again.unchanged == [doc]


def test_rename_fixes_a_typo_and_codes_and_index_follow(archive: Archive) -> None:
    service = archive.service
    doc = archive.ids["设计变更通知单.pdf"]
    summary, changed = service.projects.change(MAIN, ProjectChange(code="XM-2024-018", name="市民服务中心"), "甲")
    assert summary.code == "XM-2024-018" and changed["code"] == [MAIN, "XM-2024-018"]
    assert _codes(service, "XM-2024-018")[doc].startswith("XM-2024-018-")
    assert [h.id for h in service.search(SearchQuery(text="设计变更通知单", project="XM-2024-018")).hits] == [doc]
    with pytest.raises(AlreadyExists):
        service.projects.change("XM-2024-018", ProjectChange(code=OTHER), "甲")


def test_merge_moves_every_document_and_removes_the_source(archive: Archive) -> None:
    service = archive.service
    before = service.projects.summary(MAIN).documents
    report = service.projects.merge(MAIN, OTHER, "甲")
    assert report.moved == before and not report.source_kept
    assert not service.projects.exists(MAIN)
    assert service.projects.summary(OTHER).documents == before
    tray = service.projects.merge("INBOX", OTHER, "甲")
    assert tray.source_kept and service.projects.summary("INBOX").documents == 0
    with pytest.raises(InputError):
        service.projects.merge(OTHER, "INBOX", "甲")


def test_edit_needs_a_reason_keeps_before_and_after_and_reindexes(archive: Archive) -> None:
    service, doc = archive.service, archive.ids["设计变更通知单.pdf"]
    with pytest.raises(InputError):
        service.projects.edit(doc, DocumentEdit(title="外墙保温变更"), "  ", "甲")
    with pytest.raises(InputError):
        service.projects.edit(doc, DocumentEdit(retention="100年"), "期限", "甲")
    report = service.projects.edit(doc, DocumentEdit(title="外墙保温岩棉板变更", number="结施-变-02A",
                                                     parties={"设计单位": "市建筑设计研究院"}, retention="30年",
                                                     secrecy="内部"), "编号误读", "档案员甲")
    assert report.changed["title"][1] == "外墙保温岩棉板变更" and report.changed["retention"] == [None, "30年"]
    record = service.show(doc)
    assert record.title == "外墙保温岩棉板变更" and record.fields.number == "结施-变-02A"
    assert record.fields.parties["设计单位"] == "市建筑设计研究院"
    assert record.retention == "30年" and record.secrecy == "内部"
    assert service.workbench.placement(MAIN, doc).retention == "30年", "the archivist's 保管期限 wins"
    assert [h.id for h in service.search(SearchQuery(text="岩棉板变更")).hits][:1] == [doc]
    edited = [e for e in record.events if e.kind == "edited"][-1]
    assert edited.detail["reason"] == "编号误读" and edited.detail["who"] == "档案员甲"


def test_dismiss_keeps_the_file_in_the_not_archive_tray(archive: Archive) -> None:
    service, doc = archive.service, archive.ids["空白.pdf"]
    assert service.workbench.quarantine().total == 1
    report = service.projects.dismiss(doc, "甲", "空白页")
    assert report.to == "NOT-ARCHIVE" and service.show(doc).project == "NOT-ARCHIVE"
    assert service.workbench.quarantine().total == 0
    assert service.projects.summary("NOT-ARCHIVE").kind == "tray"
