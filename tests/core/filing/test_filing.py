"""Filing wired to a real archive: a generated project read and filed by jiandang itself, then checked.

Done-when of the completeness issue: completeness on a generated sample project reports exactly the
items the generator was told to leave out; a waiver removes an item and records who; a correction is
an event, confirms the document and changes the next prediction.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from core import ArchiveService, Settings
from core.catalog import Event
from core.catalog.models import Confirmation, Waiver
from core.demo.walkthrough import DEMO_PROFILE
from core.errors import InputError, ProjectNotFound
from samples import generate_sample_project
from schemas.ingest import IngestRequest, IngestSource
from tests.files import write_docx

PROJECT = "JD-2024-001"
OMITTED = frozenset({"A1-3", "A3-7", "A4-1", "B1-6", "C2-6", "C5-1", "C6-17", "C7-3", "D-9", "E1-12"})


@pytest.fixture(scope="module")
def archive(module_catalog: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ArchiveService]:
    root = tmp_path_factory.mktemp("样例")
    project = generate_sample_project(root / "src", code=PROJECT, omit_items=OMITTED, write_manifest=False)
    with ArchiveService(Settings(home=root / "档案室", index_batch_size=64)) as service:
        report = service.ingest(IngestRequest(paths=[project.root], project=PROJECT, source=IngestSource.CLI))
        assert report.counts.ingested == len(project.files)
        service.set_project_profile(PROJECT, who="测试", **DEMO_PROFILE)
        yield service


def test_completeness_reports_exactly_the_omitted_items(archive: ArchiveService) -> None:
    report = archive.completeness(PROJECT)
    assert set(report.missing) == OMITTED
    assert report.profile is not None and report.profile.building_type == "办公"
    statuses = {line.code: line.status for line in report.items}
    assert statuses["C5-26"] == "not_applicable" and statuses["E1-11"] == "not_applicable"
    assert all(check.passed for check in report.sixing if check.check != "metadata")
    assert report.revision_findings == []


def test_waiving_removes_the_item_and_records_who(archive: ArchiveService) -> None:
    waiver = archive.waive(PROJECT, "D-9", "通风空调未改造，无暖通竣工图", "李档案")
    assert waiver.who == "李档案"
    report = archive.completeness(PROJECT)
    assert "D-9" not in report.missing and set(report.missing) == OMITTED - {"D-9"}
    line = next(i for i in report.items if i.code == "D-9")
    assert line.status == "waived" and line.waiver is not None and line.waiver.who == "李档案"
    with archive.catalog.session() as session:
        row = session.scalar(select(Waiver).where(Waiver.item_code == "D-9"))
        assert row is not None and row.who == "李档案"
        events = session.scalars(select(Event).where(Event.kind == "waived")).all()
        assert events[-1].detail["who"] == "李档案"


def test_bad_waivers_and_unknown_projects_are_refused(archive: ArchiveService) -> None:
    with pytest.raises(InputError):
        archive.waive(PROJECT, "Z9-1", "没有这个条目", "李档案")
    with pytest.raises(ProjectNotFound):
        archive.completeness("NO-SUCH")


def _local_form(path: Path, number: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_docx(
        path, "消防设施月度巡查登记表",
        [f"巡查编号 XF-2024-{number:03d}", "巡查部位 地下车库 消防泵房 屋顶稳压设备",
         "消火栓箱 喷淋末端试水 防火卷帘 联动 检查情况 正常", f"巡查人 王强 日期 2024年{number}月5日"],
    )


def test_a_correction_is_an_event_and_changes_the_next_prediction(archive: ArchiveService, tmp_path: Path) -> None:
    first = _local_form(tmp_path / "一月" / "巡查表.docx", 1)
    report = archive.ingest(IngestRequest(paths=[first.parent], project="JD-LOCAL", source=IngestSource.CLI))
    doc_id = report.files[0].document_id
    assert doc_id is not None
    before = archive.show(doc_id).classification
    assert before.class_code != "C5"
    # the archivist files it, and confirms two other documents as they were filed
    archive.reclassify(doc_id, "C5", "C5-36", who="王档案")
    others = archive.completeness(PROJECT)
    for code in ("C2-7", "A1-1"):
        line = next(i for i in others.items if i.code == code)
        archive.reclassify(line.documents[0].id, code, who="王档案")
    record = archive.show(doc_id)
    assert record.classification.item_code == "C5-36" and not record.classification.needs_review
    assert any(e.kind == "reclassified" and e.detail["who"] == "王档案" for e in record.events)
    with archive.catalog.session() as session:
        assert session.get(Confirmation, doc_id) is not None

    second = _local_form(tmp_path / "二月" / "巡查表.docx", 2)
    dry = archive.classify_paths([second]).files[0]  # the dry run decides as ingest will
    report = archive.ingest(IngestRequest(paths=[second.parent], project="JD-LOCAL", source=IngestSource.CLI))
    after = archive.show(report.files[0].document_id or "").classification
    assert after.class_code == "C5" and after.item_code == "C5-36"
    assert any("学习模型" in reason and "采用" in reason for reason in after.reasons)
    assert (dry.class_code, dry.item_code, dry.doc_type, dry.reasons) == (
        after.class_code, after.item_code, after.doc_type, after.reasons)


def test_a_form_read_from_a_file_with_a_blank_signature_is_caught(archive: ArchiveService, tmp_path: Path) -> None:
    def notice(path: Path, chief: str, when: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_docx(
            path, "监理通知单",
            ["工程名称：市机关办公楼节能改造工程 编号：JLTZ-2024-009", "致：江城第三建筑工程有限公司（项目经理部）",
             "事由：关于外墙保温锚栓数量不足的通知", "内容：三层北立面岩棉板锚栓数量不足，请立即整改。",
             "华诚工程建设监理有限公司（项目监理机构章）"],
            table=[["单位/职务", "签字", "日期"], ["总监理工程师（签字）", chief, when]],
        )

    signed = notice(tmp_path / "已签" / "监理通知单.docx", "肖春生", "2024年5月4日")
    unsigned = notice(tmp_path / "未签" / "监理通知单（未签）.docx", "", "")
    for folder, project in ((signed.parent, "JD-SIGNED"), (unsigned.parent, "JD-BLANK")):
        archive.ingest(IngestRequest(paths=[folder], project=project, source=IngestSource.CLI))
    assert archive.completeness("JD-SIGNED").field_findings == []
    findings = archive.completeness("JD-BLANK").field_findings
    assert [f.check for f in findings] == ["signatures"]
    assert "签署栏空白" in findings[0].message and "总监理工程师" in findings[0].message
