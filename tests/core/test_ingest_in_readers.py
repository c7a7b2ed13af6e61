"""`jiandang ingest` of a big batch reads in reader processes: same report, same catalog, nothing lost.

The batch is made small here by lowering ``ingest_processes_from``; the same drop ingested on the
main thread must give the same lines (in input order) and the same documents.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from core import ArchiveService, Settings
from core.catalog import Document
from schemas.ingest import IngestRequest, IngestStatus, QuarantineCode
from tests.files import write_docx, write_encrypted_pdf, write_pdf, write_xlsx

pytestmark = pytest.mark.integration


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    root = tmp_path / "移交"
    (root / "C").mkdir(parents=True)
    for n in range(6):
        write_pdf(root / "C" / f"设计变更通知单{n}.pdf", ["设计变更通知单", f"编号：结施-变-{n:02d}", "变更内容：屋面防水"])
        write_docx(root / f"监理通知{n}.docx", "监理通知单", ["工程名称：市机关办公楼节能改造工程", f"第{n}号"])
    write_xlsx(root / "检验批.xlsx", "检验批质量验收记录", [["工程名称", "市机关办公楼节能改造工程"], ["结论", "合格"]])
    (root / "副本").mkdir()
    (root / "副本" / "设计变更通知单0-副本.pdf").write_bytes((root / "C" / "设计变更通知单0.pdf").read_bytes())
    (root / "空文件.docx").write_bytes(b"")
    write_encrypted_pdf(root / "加密合同.pdf", ["施工合同"])
    (root / "坏文件.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    return root


def _run(home: Path, drop: Path, threshold: int,
         catalog: dict[str, str] | None = None) -> tuple[list[tuple[str, str, str | None]], dict[str, str]]:
    settings = Settings(home=home, ingest_processes_from=threshold, watch_workers=2, index_batch_size=4,
                        **(catalog or {}))
    with ArchiveService(settings) as service:
        report = service.ingest(IngestRequest(paths=[drop], project="JD-01"))
        with service.catalog.session() as session:
            rows = dict(session.execute(select(Document.id, Document.status)).all())
        assert service.store.count_documents() == sum(1 for s in rows.values() if s == "processed")
        assert service.recover() is None  # nothing left unread
        with service.catalog.session() as session:
            assert dict(session.execute(select(Document.id, Document.status)).all()) == rows
    lines = [(Path(line.path).name, line.status.value, line.document_id) for line in report.files]
    return lines, {k: str(v) for k, v in rows.items()}


def test_readers_give_the_main_threads_report_and_catalog(tmp_path: Path, drop: Path,
                                                          another_catalog: Callable[[], dict[str, str]]) -> None:
    in_readers = _run(tmp_path / "a", drop, threshold=2)
    here = _run(tmp_path / "b", drop, threshold=0, catalog=another_catalog())
    assert in_readers == here
    lines = in_readers[0]
    statuses = {name: status for name, status, _ in lines}
    assert statuses["设计变更通知单0-副本.pdf"] == IngestStatus.DUPLICATE.value
    assert statuses["空文件.docx"] == statuses["加密合同.pdf"] == statuses["坏文件.xlsx"] == "quarantined"
    assert sum(1 for _, status, _ in lines if status == "ingested") == 13


def test_a_reader_quarantines_with_the_reason(tmp_path: Path, drop: Path) -> None:
    settings = Settings(home=tmp_path / "c", ingest_processes_from=2, watch_workers=2)
    with ArchiveService(settings) as service:
        report = service.ingest(IngestRequest(paths=[drop], project="JD-01"))
        encrypted = next(line for line in report.files if line.path.endswith("加密合同.pdf"))
        assert encrypted.reason and "加密合同.pdf" in encrypted.reason
        record = service.show(encrypted.document_id or "")
        assert record.status == "quarantined" and record.quarantine_reason == encrypted.reason
        with service.catalog.session() as session:
            codes = session.scalars(select(Document.quarantine_code).where(Document.status == "quarantined")).all()
        assert QuarantineCode.ENCRYPTED.value in codes and QuarantineCode.EMPTY.value in codes


def test_twins_of_files_that_need_no_reader_in_one_group_get_the_main_threads_lines(
    tmp_path: Path, another_catalog: Callable[[], dict[str, str]]
) -> None:
    """Empty and oversized files are settled without a reader; a twin stored in the same group
    (before that file was recorded) is still an empty file or a duplicate, as one at a time.
    """
    drop = tmp_path / "收文"
    drop.mkdir()
    (drop / "a大文件.txt").write_text("施工日志 " * 20, encoding="utf-8")
    (drop / "b大文件-副本.txt").write_text("施工日志 " * 20, encoding="utf-8")
    (drop / "c空.txt").write_bytes(b"")
    (drop / "d空.txt").write_bytes(b"")
    lines = {}
    for threshold in (2, 0):
        settings = Settings(home=tmp_path / f"home{threshold}", ingest_processes_from=threshold, watch_workers=2,
                            max_file_bytes=16, **(another_catalog() if threshold == 0 else {}))
        with ArchiveService(settings) as service:
            report = service.ingest(IngestRequest(paths=[drop], project="JD-01"))
        lines[threshold] = [(Path(line.path).name, line.status.value, line.reason) for line in report.files]
    assert lines[2] == lines[0]
    assert [status for _, status, _ in lines[2]] == ["quarantined", "duplicate", "quarantined", "quarantined"]
