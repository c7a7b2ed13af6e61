"""The components in the pipeline core builds: router → converters → joiner → cleaner → fields → classify.

Also mime types, routes and the unsupported-file reporter.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from haystack import Pipeline

from core.reading.pipelines import build_reading_pipeline
from ingest import (
    SUPPORTED_MIME_TYPES,
    UnsupportedFileReporter,
    mime_type_for,
)
from ingest.failures import (
    DOCX_ROUTE,
    DWG_ROUTE,
    DXF_ROUTE,
    IMAGE_ROUTE,
    LEGACY_WORD_ROUTE,
    OFD_ROUTE,
    PDF_ROUTE,
    TEXT_ROUTE,
    XLS_ROUTE,
    XLSX_ROUTE,
)
from schemas.ingest import QuarantineCode

ALL_ROUTES = [
    PDF_ROUTE, DOCX_ROUTE, XLSX_ROUTE, XLS_ROUTE, TEXT_ROUTE, IMAGE_ROUTE, LEGACY_WORD_ROUTE, OFD_ROUTE, DXF_ROUTE,
    DWG_ROUTE,
]


def failures_of(result: dict) -> list:
    return [failure for outputs in result.values() for failure in outputs.get("failures", [])]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_reading_pipeline()


def test_one_docx_through_the_pipeline(pipeline, tmp_path, bytestream_for):
    path = tmp_path / "单位工程开工报审表.docx"
    document = docx.Document()
    document.add_paragraph("单位工程开工报审表")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "工程名称"
    table.cell(0, 1).text = "大理机场三期扩建工程"
    table.cell(1, 0).text = "施工单位"
    table.cell(1, 1).text = "中建三局集团有限公司"
    document.add_paragraph("日期：２０２４年５月１７日")
    document.save(path)

    result = pipeline.run({"router": {"sources": [bytestream_for(path)]}})

    [out] = result["classify"]["documents"]
    assert out.meta["title"] == "单位工程开工报审表"
    assert out.meta["fields"]["project_name"] == "大理机场三期扩建工程"
    assert out.meta["fields"]["parties"] == {"施工单位": "中建三局集团有限公司"}
    assert out.meta["fields"]["date"] == "2024-05-17"
    assert "２０２４" not in out.content
    assert failures_of(result) == []


def test_one_pdf_through_the_pipeline(pipeline, acceptance_pdf, bytestream_for):
    result = pipeline.run({"router": {"sources": [bytestream_for(acceptance_pdf)]}})
    [out] = result["classify"]["documents"]
    assert out.meta["title"] == "隐蔽工程质量验收记录"
    assert out.meta["fields"]["number"] == "YS-2024-031"
    assert out.meta["pages"] == 2


def test_bad_and_unsupported_files_come_out_as_failures(pipeline, tmp_path, bytestream_for):
    corrupt = tmp_path / "监理日志.xlsx"
    corrupt.write_bytes(b"not a workbook at all")
    result = pipeline.run({"router": {"sources": [bytestream_for(corrupt)]}})
    assert [(f.code, f.source_name) for f in failures_of(result)] == [
        (QuarantineCode.CORRUPT, "监理日志.xlsx")
    ]

    legacy = tmp_path / "监理日志（附录11-5表）空白表.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    result = pipeline.run({"router": {"sources": [bytestream_for(legacy)]}})
    [failure] = failures_of(result)
    assert failure.code is QuarantineCode.CORRUPT
    assert failure.reason.startswith("《监理日志（附录11-5表）空白表.doc》is a damaged OLE compound file")


@pytest.mark.parametrize(
    ("name", "mime", "route"),
    [
        ("验收记录.PDF", "application/pdf", PDF_ROUTE),
        (
            "报审表.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            DOCX_ROUTE,
        ),
        ("台账.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", XLSX_ROUTE),
        ("带宏台账.xlsm", "application/vnd.ms-excel.sheet.macroEnabled.12", XLSX_ROUTE),
        ("招标控制价.xls", "application/vnd.ms-excel", XLS_ROUTE),
        ("日志.txt", "text/plain", TEXT_ROUTE),
        ("台账.csv", "text/csv", TEXT_ROUTE),
        ("说明.md", "text/markdown", TEXT_ROUTE),
        ("现场照片.JPG", "image/jpeg", IMAGE_ROUTE),
        ("验收记录扫描.tiff", "image/tiff", IMAGE_ROUTE),
        ("许可证.png", "image/png", IMAGE_ROUTE),
        ("监理日志.DOC", "application/msword", LEGACY_WORD_ROUTE),
        ("会议纪要.wps", "application/vnd.ms-works", LEGACY_WORD_ROUTE),
        ("批复.ofd", "application/ofd", OFD_ROUTE),
        ("总平面图.dxf", "image/vnd.dxf", DXF_ROUTE),
        ("总平面图.dwg", "image/vnd.dwg", DWG_ROUTE),
    ],
)
def test_mime_types_and_routes(name, mime, route):
    assert mime_type_for(name) == mime
    assert mime in SUPPORTED_MIME_TYPES
    # FileTypeRouter matches exactly first, then the route as a regular expression (fullmatch).
    matching = [r for r in ALL_ROUTES if mime == r or re.fullmatch(r, mime)]
    assert matching == [route]


@pytest.mark.parametrize("name", ["汇报.ppt", "动画.gif", "没有扩展名", "压缩包.zip"])
def test_unsupported_names_have_no_mime_type(name):
    assert mime_type_for(name) is None


def test_unsupported_reporter_names_the_file_and_hints():
    [failure] = UnsupportedFileReporter().run(sources=[Path("/收件箱/工程汇报.PPT")])["failures"]
    assert failure.code is QuarantineCode.UNSUPPORTED
    assert failure.source_name == "/收件箱/工程汇报.PPT"
    assert "PowerPoint" in failure.reason
