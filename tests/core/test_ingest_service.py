"""ArchiveService.ingest end to end: stored, read, classified, indexed — and nothing lost."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core import ArchiveService, Settings
from core.catalog import Document, Receipt
from schemas.ingest import IngestRequest, IngestStatus, QuarantineCode
from schemas.search import SearchQuery
from tests.files import write_docx, write_encrypted_pdf, write_image_only_pdf, write_pdf, write_xlsx

pytestmark = pytest.mark.integration

CHANGE_ORDER = [
    "设计变更通知单",
    "工程名称：市机关办公楼节能改造工程",
    "编号：结施-变-03",
    "变更原因：原设计地下室外墙防水卷材规格调整",
    "变更内容：地下室外墙防水卷材由3mm改为4mm SBS改性沥青防水卷材",
    "设计单位：市建筑设计研究院有限公司",
    "日期：2024年5月17日",
]


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    """A contractor's delivery with one file of each format and a sub-folder."""
    root = tmp_path / "施工单位移交 2024-05"
    (root / "C 施工文件").mkdir(parents=True)
    write_pdf(root / "C 施工文件" / "设计变更通知单（结施-变-03）.pdf", CHANGE_ORDER)
    write_docx(
        root / "C 施工文件" / "隐蔽工程验收记录.docx",
        "隐蔽工程验收记录",
        ["工程名称：市机关办公楼节能改造工程", "隐检项目：地下室外墙防水层", "检查结论：符合设计要求，同意隐蔽"],
        [["隐检部位", "地下室外墙 1-8/A-F 轴"], ["依据", "结施-03、设计变更 结施-变-03"]],
    )
    write_xlsx(
        root / "检验批质量验收记录.xlsx",
        "防水卷材检验批质量验收记录",
        [["工程名称", "市机关办公楼节能改造工程"], ["验收部位", "屋面"], ["监理验收结论", "合格"]],
    )
    (root / "会议纪要.txt").write_bytes("第一次工地会议纪要\n监理例会 会议纪要：讨论屋面防水施工安排".encode("gbk"))
    return root


def _ingest(service: ArchiveService, *paths: Path, project: str = "JD-2024-001"):
    return service.ingest(IngestRequest(paths=list(paths), project=project))


def test_every_file_is_reported_stored_and_searchable(service: ArchiveService, drop: Path) -> None:
    report = _ingest(service, drop)
    assert len(report.files) == 4
    assert report.counts.ingested == 4, report.model_dump()
    for line in report.files:
        stored = service.blobs.path_for(hashlib.sha256(Path(line.path).read_bytes()).hexdigest())
        assert stored.read_bytes() == Path(line.path).read_bytes()
    hits = service.search(SearchQuery(text="防水卷材")).hits
    assert {h.original_name for h in hits} >= {"设计变更通知单（结施-变-03）.pdf", "检验批质量验收记录.xlsx"}
    assert service.search(SearchQuery(text="墙")).total >= 2, "single characters must match"


def test_second_ingest_adds_receipts_only(service: ArchiveService, drop: Path) -> None:
    first = _ingest(service, drop)
    second = _ingest(service, drop)
    assert second.counts.duplicate == 4 and second.counts.ingested == 0
    assert [f.document_id for f in first.files] == [f.document_id for f in second.files]
    with service.catalog.session() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 4
        assert session.scalar(select(func.count()).select_from(Receipt)) == 8
    assert service.store.count_documents() == 4


def test_show_tells_the_history(service: ArchiveService, drop: Path) -> None:
    line = _ingest(service, drop).files[0]
    _ingest(service, Path(line.path))
    record = service.show(line.document_id)
    kinds = [e.kind for e in record.events]
    assert kinds[:2] == ["received", "converted"]
    assert {"classified", "indexed", "received_again"} <= set(kinds)
    assert len(record.receipts) == 2
    assert service.show(line.document_id[:8]).id == line.document_id


@pytest.mark.parametrize(
    ("name", "make", "code"),
    [
        ("空文件.pdf", lambda p: p.write_bytes(b""), QuarantineCode.EMPTY),
        ("损坏的竣工图.pdf", lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj <</Type /Catalog"), QuarantineCode.CORRUPT),
        ("加密合同.pdf", lambda p: write_encrypted_pdf(p, ["施工合同"]), QuarantineCode.ENCRYPTED),
        ("扫描件.pdf", write_image_only_pdf, QuarantineCode.NO_TEXT),
        ("汇报.ppt", lambda p: p.write_bytes(b"slides"), QuarantineCode.UNSUPPORTED),
        ("图纸.dwg", lambda p: p.write_bytes(b"PK\x03\x04 a zip, not a drawing"), QuarantineCode.CORRUPT),
        ("坏表格.xlsx", lambda p: p.write_bytes(b"PK\x03\x04 not really a zip"), QuarantineCode.CORRUPT),
    ],
)
def test_bad_files_are_quarantined_with_a_specific_reason(
    service: ArchiveService, tmp_path: Path, name: str, make, code: QuarantineCode
) -> None:
    folder = tmp_path / "坏文件"
    folder.mkdir()
    make(folder / name)
    write_pdf(folder / "正常文件.pdf", CHANGE_ORDER)
    report = _ingest(service, folder)
    bad = next(f for f in report.files if f.path.endswith(name))
    assert bad.status is IngestStatus.QUARANTINED
    assert name in (bad.reason or ""), "the reason names the file"
    record = service.show(bad.document_id)
    assert record.status == "quarantined"
    with service.catalog.session() as session:
        assert session.get(Document, bad.document_id).quarantine_code == code.value
    good = next(f for f in report.files if f.path.endswith("正常文件.pdf"))
    assert good.status is IngestStatus.INGESTED, "the batch goes on"


def test_oversized_file_is_quarantined(tmp_path: Path, drop: Path) -> None:
    with ArchiveService(Settings(home=tmp_path / "小档案室", max_file_bytes=1024)) as small:
        report = _ingest(small, drop / "C 施工文件" / "隐蔽工程验收记录.docx")
    assert report.files[0].status is IngestStatus.QUARANTINED
    assert "exceeds the limit" in report.files[0].reason


def test_reindex_rebuilds_the_index_from_the_catalog(service: ArchiveService, drop: Path, settings: Settings) -> None:
    _ingest(service, drop)
    before = service.search(SearchQuery(text="防水")).model_dump()
    service.store.delete_all_documents()
    assert service.search(SearchQuery(text="防水")).total == 0
    counts = service.reindex()
    assert counts.indexed == counts.documents == 4
    assert service.search(SearchQuery(text="防水")).model_dump() == before


def test_missing_path_is_an_input_error(service: ArchiveService, tmp_path: Path) -> None:
    from core.errors import PathNotFound

    with pytest.raises(PathNotFound, match="不存在的文件夹"):
        _ingest(service, tmp_path / "不存在的文件夹")


def test_ingest_quarantines_a_file_that_reads_too_long_and_goes_on(service: ArchiveService, tmp_path: Path) -> None:
    """``jiandang ingest`` keeps the watcher's per-file limit: a drawing pypdf chews on for seconds is
    quarantined as timed out, and the files after it are still taken.
    """
    warm = tmp_path / "预热"
    warm.mkdir()
    (warm / "开工令.txt").write_text("工程开工令：准予开工。", encoding="utf-8")
    service.ingest(IngestRequest(paths=[warm], project="限时-01"))  # lazy dictionaries load outside the limit
    batch = tmp_path / "图纸 第二批"
    batch.mkdir()
    lines = [f"一层平面图 轴线 {i} 钢筋混凝土框架梁 KL{i} 截面 300×600 配筋说明" for i in range(38 * 400)]
    slow = write_pdf(batch / "一层平面图（CAD 导出）.pdf", lines)
    (batch / "设计变更通知单.txt").write_text("设计变更通知单：三层梁配筋调整。", encoding="utf-8")
    service.settings.watch_read_timeout = 1.0
    report = service.ingest(IngestRequest(paths=[batch], project="限时-01"))
    by_name = {Path(line.path).name: line for line in report.files}
    timed_out = by_name[slow.name]
    assert timed_out.status == "quarantined" and "timed out after 1 s" in timed_out.reason
    assert timed_out.document_id, "the bytes are stored anyway: nothing lost"
    assert by_name["设计变更通知单.txt"].status == "ingested"


def test_duplicate_lines_say_which_document_they_repeat(service: ArchiveService, tmp_path: Path) -> None:
    folder = tmp_path / "移交 第一批"
    folder.mkdir()
    text = "工程竣工验收报告：质量合格，同意验收。"
    (folder / "竣工验收报告.txt").write_text(text, encoding="utf-8")
    (folder / "竣工验收报告（副本）.txt").write_text(text, encoding="utf-8")
    first = service.ingest(IngestRequest(paths=[folder], project="重复-01"))
    [original] = [line for line in first.files if line.status == IngestStatus.INGESTED]
    [copy] = [line for line in first.files if line.status == IngestStatus.DUPLICATE]
    assert copy.reason == f"same content as document {original.document_id} (《{Path(original.path).name}》)"
    again = service.ingest(IngestRequest(paths=[folder], project="重复-01"))
    assert {line.status for line in again.files} == {IngestStatus.DUPLICATE}
    assert {line.reason for line in again.files} == {f"already archived from this path as document {original.document_id}"}
