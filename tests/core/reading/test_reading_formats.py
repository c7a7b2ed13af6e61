"""Scans, photos, drawings and legacy formats through the whole archive: stored, read, catalogued
with their text status and reading details, searchable by their OCR'd text, never lost.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from core import ArchiveService, Settings
from schemas.ingest import IngestRequest, IngestStatus, TextStatus
from schemas.search import SearchQuery
from tests.formats import site_photo, write_dxf, write_ofd
from tests.scans import render_scan, require_cjk_font, write_scanned_pdf

pytestmark = pytest.mark.integration


def _drop(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    scan = render_scan(["钢筋隐蔽工程验收记录", "工程名称：滨江花园3#楼", "编号：YS-2024-031"], seed=4)
    files = {
        "scan": write_scanned_pdf(folder / "钢筋隐蔽验收 #1 (扫描件) 50%.pdf", [scan]),
        "dwg": folder / "总平面图 'A'&B.dwg",
        "photo": folder / "基坑开挖 现场照片.jpg",
        "ofd": write_ofd(folder / "初步设计批复.ofd", [[(25, 30, "关于滨江花园项目初步设计的批复")]]),
        "dxf": write_dxf(folder / "结施-03.dxf"),
    }
    files["dwg"].write_bytes(b"AC1027" + b"\x00" * 64)
    files["photo"].write_bytes(site_photo())
    return files


def _record_for(service: ArchiveService, report, path: Path):
    [line] = [line for line in report.files if line.path == str(path)]
    assert line.status is IngestStatus.INGESTED, line.reason
    return service.show(line.document_id)


def test_scans_photos_drawings_and_ofd_are_catalogued_and_searchable(service: ArchiveService, tmp_path: Path):
    require_cjk_font()
    files = _drop(tmp_path / "收件箱")

    report = service.ingest(IngestRequest(paths=[tmp_path / "收件箱"], project="BJ-2024"))

    assert report.counts.quarantined == 0
    scan = _record_for(service, report, files["scan"])
    assert scan.text_status is None
    assert scan.reading["ocr"]["pages"][0]["confidence"] > 0.8
    assert "lines" not in scan.reading["ocr"]["pages"][0]  # boxes stay in the catalog, not in `show`
    hits = service.search(SearchQuery(text="钢筋隐蔽工程验收记录")).hits
    assert [hit.id for hit in hits] == [scan.id]
    assert list(service.settings.ocr_cache_path.rglob("*.jsonl")), "OCR results are cached under the home"

    dwg = _record_for(service, report, files["dwg"])
    assert dwg.status == "processed" and dwg.text_status == TextStatus.NO_TEXT_EXTRACTED
    photo = _record_for(service, report, files["photo"])
    assert photo.text_status == TextStatus.NO_TEXT_FOUND
    assert photo.reading["photo"]["taken_at"] == "2024-05-16T08:15:42"
    ofd = _record_for(service, report, files["ofd"])
    assert ofd.title == "关于滨江花园项目初步设计的批复"
    dxf = _record_for(service, report, files["dxf"])
    assert dxf.fields.drawing_number == "结施-03"
    assert dxf.reading["title_block"]["drawing_title"] == "基础平面布置图"


def test_without_ocr_installed_a_scan_is_catalogued_not_quarantined(tmp_path: Path, monkeypatch):
    require_cjk_font()
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    folder = tmp_path / "扫描"
    folder.mkdir()
    scan = write_scanned_pdf(folder / "竣工验收备案表.pdf", [render_scan(["竣工验收备案表"])])

    with ArchiveService(Settings(home=tmp_path / "档案室")) as service:
        report = service.ingest(IngestRequest(paths=[folder], project="BJ-2024"))
        record = _record_for(service, report, scan)

    assert record.status == "processed"
    assert record.text_status == TextStatus.OCR_NOT_INSTALLED
    converted = next(event for event in record.events if event.kind == "converted")
    assert converted.detail["text_status"] == "ocr_not_installed"


def test_ocr_switched_off_in_the_settings_keeps_scans_with_that_status(tmp_path: Path):
    require_cjk_font()
    folder = tmp_path / "扫描"
    folder.mkdir()
    scan = write_scanned_pdf(folder / "施工许可证.pdf", [render_scan(["建筑工程施工许可证"])])

    with ArchiveService(Settings(home=tmp_path / "档案室", ocr_enabled=False)) as service:
        report = service.ingest(IngestRequest(paths=[folder], project="BJ-2024"))
        record = _record_for(service, report, scan)

    assert record.status == "processed"
    assert record.text_status == TextStatus.OCR_DISABLED
    assert record.reading["ocr"]["unavailable"] == "OCR is switched off in the settings"


def test_a_newer_revision_supersedes_an_older_sheet_without_replacing_it(service: ArchiveService, tmp_path: Path):
    from core.intake.drawing_revisions import revision_key

    folder = tmp_path / "图纸"
    folder.mkdir()
    sheets = {rev: write_dxf(folder / f"结施-03 基础平面布置图 {rev}版.dxf", revision=rev) for rev in ("B", "A", "C")}
    ids = {}
    for rev in ("B", "A", "C"):  # arrival order differs from revision order
        report = service.ingest(IngestRequest(paths=[sheets[rev]], project="BJ-2024"))
        ids[rev] = report.files[0].document_id

    records = {rev: service.show(doc_id) for rev, doc_id in ids.items()}
    assert records["A"].superseded_by == ids["B"]
    assert records["B"].superseded_by == ids["C"]
    assert records["C"].superseded_by is None
    assert all(record.status == "processed" for record in records.values()), "superseded sheets stay archived"
    assert [e.detail["by"] for e in records["A"].events if e.kind == "superseded"] == [ids["B"]]
    assert revision_key("02") < revision_key("10") < revision_key("A") < revision_key("第B版")
    assert revision_key(None) < revision_key("01")
