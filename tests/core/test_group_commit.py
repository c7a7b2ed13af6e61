"""Group commit (``Ingestor.store_many``, ``Ingestor.record_many``): several files, one commit, and
what one file at a time would have recorded.

``jiandang ingest`` in reader processes stores the files the pool has room for together and records
the outcomes that land together; these tests hold the two to the single-file behaviour: the same
bytes twice in one group, a full disk half-way through a group, several outcomes in one commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from haystack import Document as ReadDocument
from sqlalchemy import func, select

from core import ArchiveService
from core.catalog import Document, Receipt
from core.errors import DiskFull
from core.intake.ingestor import Arrival, Ingestor
from core.reading.outcomes import ReadOutcome
from core.storage.blobstore import BlobStore
from schemas import meta as M
from schemas.ingest import IngestSource, IngestStatus, QuarantineCode

pytestmark = pytest.mark.integration


def _ingestor(service: ArchiveService) -> Ingestor:
    service.blobs.open()  # as ``ingest`` does before its first file
    return Ingestor(service.catalog, service.blobs, None, service.settings.max_file_bytes)


def _arrivals(folder: Path, texts: dict[str, str]) -> list[Arrival]:
    folder.mkdir(parents=True, exist_ok=True)
    arrivals = []
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        arrivals.append(Arrival(folder / name, "batch-1", IngestSource.CLI, "JD-09"))
    return arrivals


def _count(service: ArchiveService, model: type) -> int:
    with service.catalog.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_the_same_bytes_twice_in_one_group_are_one_document_and_its_duplicate(
        service: ArchiveService, tmp_path: Path) -> None:
    arrivals = _arrivals(tmp_path / "收文", {"日志.txt": "施工日志 第1天", "日志-副本.txt": "施工日志 第1天",
                                             "通知.txt": "监理通知单 第3号"})
    stored = _ingestor(service).store_many(arrivals)
    assert [s.report for s in stored] == [None, None, None]
    first, twin, other = (s.request for s in stored)
    assert first is not None and twin is not None and other is not None
    assert first.document_id == twin.document_id != other.document_id
    with service.catalog.session() as session:
        outcomes = dict(session.execute(select(Receipt.source_path, Receipt.outcome)).all())
    assert outcomes == {str(arrivals[0].path): IngestStatus.INGESTED.value,
                        str(arrivals[1].path): IngestStatus.DUPLICATE.value,
                        str(arrivals[2].path): IngestStatus.INGESTED.value}
    assert _count(service, Document) == 2


def test_a_full_disk_half_way_through_a_group_keeps_the_receipts_of_the_files_before_it(
        service: ArchiveService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arrivals = _arrivals(tmp_path / "收文", {"一.txt": "施工日志 第1天", "二.txt": "施工日志 第2天",
                                             "三.txt": "施工日志 第3天"})
    real_put = BlobStore.put_file

    def fills_up_on_the_second(store: BlobStore, source: Path):  # type: ignore[no-untyped-def]
        if source.name == "二.txt":
            raise DiskFull("磁盘已满", path=str(store.root))
        return real_put(store, source)

    monkeypatch.setattr(BlobStore, "put_file", fills_up_on_the_second)
    with pytest.raises(DiskFull):
        _ingestor(service).store_many(arrivals)
    with service.catalog.session() as session:
        received = session.scalars(select(Receipt.source_path)).all()
    assert received == [str(arrivals[0].path)], "stored before the full disk: recorded, read by the next run"


def test_outcomes_recorded_together_give_one_line_each_in_order(service: ArchiveService, tmp_path: Path) -> None:
    arrivals = _arrivals(tmp_path / "收文", {"甲.txt": "施工日志 甲", "乙.txt": "施工日志 乙"})
    ingestor = _ingestor(service)
    stored = ingestor.store_many(arrivals)
    readings = [(s.request.document_id, s.path_text,  # type: ignore[union-attr]
                 ReadOutcome(code=QuarantineCode.NO_TEXT, reason=f"{s.path_text}: no text"))
                for s in stored]
    lines = ingestor.record_many(readings)
    assert [(line.path, line.status) for line in lines] == [(str(a.path), IngestStatus.QUARANTINED) for a in arrivals]
    with service.catalog.session() as session:
        statuses = session.scalars(select(Document.status)).all()
    assert statuses == ["quarantined", "quarantined"]


def test_sheets_of_one_drawing_recorded_together_are_chained_by_revision(
        service: ArchiveService, tmp_path: Path) -> None:
    """Recorded in one transaction (the ORM flushing once, at the commit), each sheet's chain still
    sees the sheets recorded before it in the group; arrival order differs from revision order.
    """
    revisions = ["B", "A", "C"]
    arrivals = _arrivals(tmp_path / "图纸", {f"结施-03 {rev}版.txt": f"结施-03 基础平面布置图 {rev}版" for rev in revisions})
    ingestor = _ingestor(service)
    stored = ingestor.store_many(arrivals)
    readings = []
    for rev, one in zip(revisions, stored, strict=True):
        assert one.request is not None
        meta = {M.FIELDS: {"drawing_number": "结施-03", "revision": rev}, M.TITLE: "基础平面布置图"}
        readings.append((one.request.document_id, one.path_text,
                         ReadOutcome(document=ReadDocument(content=f"基础平面布置图 {rev}版", meta=meta))))
    lines = ingestor.record_many(readings)
    assert [line.status for line in lines] == [IngestStatus.INGESTED] * 3
    ids = {rev: line.document_id for rev, line in zip(revisions, lines, strict=True)}
    with service.catalog.session() as session:
        after = dict(session.execute(select(Document.id, Document.superseded_by)).all())
    assert (after[ids["A"]], after[ids["B"]], after[ids["C"]]) == (ids["B"], ids["C"], None)
