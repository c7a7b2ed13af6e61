"""Drawings: DXF text (TEXT, MTEXT, block attributes; UTF-8 and GBK code pages), DWG kept without
text, title blocks from DXF, vector PDF and OCR boxes, and the 竣工图章.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.drawings import DwgCataloguer, DxfConverter
from ingest.drawings.stamp import as_built_stamp
from ingest.ocr import OcrOptions, PageOcr, ScanAwarePdfConverter
from ingest.ocr.engine import load_engine
from schemas import meta as M
from schemas.ingest import QuarantineCode, TextStatus
from tests.formats import write_dxf
from tests.scans import render_sheet, write_scanned_pdf

TITLE_BLOCK = [("设计单位", "某市建筑设计研究院"), ("图名", "基础平面布置图"), ("图号", "结施-03"),
               ("专业", "结构"), ("版本", "B"), ("日期", "2024.05")]


def run(converter, path: Path) -> dict:
    return converter.run(sources=[path], meta={"original_name": path.name})


@pytest.mark.parametrize(("version", "encoding"), [("R2018", None), ("R2000", "gbk")])
def test_dxf_text_title_block_and_stamp(tmp_path, version, encoding):
    path = write_dxf(tmp_path / f"结施-03 基础平面布置图（{version}）.dxf", version, encoding)

    [document] = run(DxfConverter(), path)["documents"]

    lines = document.content.splitlines()
    assert lines[0] == "一层平面图 1:100"
    assert "混凝土强度等级C30，钢筋HRB400。" in document.content
    assert "图号 | 结施-03" in lines
    assert document.meta[M.TITLE_BLOCK] == {
        "discipline": "结构", "drawing_number": "结施-03", "drawing_title": "基础平面布置图", "revision": "B",
    }
    assert document.meta[M.AS_BUILT_STAMP] == {"stamp": "竣工图", "compiled_by": "李工"}


def test_damaged_dxf_is_quarantined(tmp_path):
    path = tmp_path / "坏图.dxf"
    path.write_bytes(b"this is not a drawing exchange file")
    [failure] = run(DxfConverter(), path)["failures"]
    assert failure.code is QuarantineCode.CORRUPT
    assert failure.reason.startswith("《坏图.dxf》")


def test_dwg_is_kept_without_text(tmp_path):
    dwg = tmp_path / "总平面图 (报批版).dwg"
    dwg.write_bytes(b"AC1032" + b"\x00" * 200)
    fake = tmp_path / "总平面图.dwg"
    fake.write_bytes(b"%PDF-1.4 a plot saved as .dwg")

    [document] = run(DwgCataloguer(), dwg)["documents"]
    [failure] = run(DwgCataloguer(), fake)["failures"]

    assert document.content == ""
    assert document.meta[M.TEXT_STATUS] == TextStatus.NO_TEXT_EXTRACTED
    assert document.meta["dwg_version"] == "AutoCAD 2018"
    assert failure.code is QuarantineCode.CORRUPT and "a PDF file" in failure.reason


def write_vector_drawing(path: Path, stamp: bool = False) -> Path:
    """An A3 landscape sheet with a title block in the bottom-right corner (text layer, STSong)."""
    from reportlab.lib.pagesizes import A3, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    width, height = landscape(A3)
    pdf = canvas.Canvas(str(path), pagesize=(width, height))
    pdf.setFont("STSong-Light", 12)
    pdf.drawString(60, height - 60, "说明：1. 本图尺寸以毫米计，标高以米计。")
    pdf.drawString(60, height - 80, "图号与图名见右下角图签。日期以图签为准。")
    x0, y = width - 300, 40
    for label, value in reversed(TITLE_BLOCK):
        pdf.rect(x0, y - 6, 280, 20)
        pdf.drawString(x0 + 8, y, label)
        pdf.drawString(x0 + 90, y, value)
        y += 20
    if stamp:
        pdf.drawString(width - 520, 120, "竣工图")
        pdf.drawString(width - 520, 100, "施工单位：中建三局")
        pdf.drawString(width - 520, 80, "编制人：王强  审核人：赵刚")
        pdf.drawString(width - 520, 60, "总监理工程师：孙明")
    pdf.showPage()
    pdf.save()
    return path


def test_title_block_and_stamp_of_a_vector_pdf(tmp_path):
    path = write_vector_drawing(tmp_path / "结施-03 基础平面布置图（竣工图）.pdf", stamp=True)
    never = PageOcr(OcrOptions(enabled=False))  # born-digital: OCR must not be needed

    [document] = run(ScanAwarePdfConverter(never), path)["documents"]

    assert document.meta[M.TITLE_BLOCK] == {
        "design_org": "某市建筑设计研究院", "drawing_title": "基础平面布置图", "drawing_number": "结施-03",
        "discipline": "结构", "revision": "B", "date": "2024.05",
    }
    assert document.meta[M.AS_BUILT_STAMP] == {
        "stamp": "竣工图", "contractor": "中建三局", "compiled_by": "王强", "checked_by": "赵刚",
        "chief_supervisor": "孙明",
    }


def test_a4_forms_get_no_title_block(tmp_path):
    from tests.files import write_pdf

    path = write_pdf(tmp_path / "设计变更通知单.pdf", ["设计变更通知单", "图号：结施-03", "日期：2024年5月17日"])
    [document] = run(ScanAwarePdfConverter(PageOcr(OcrOptions(enabled=False))), path)["documents"]
    assert M.TITLE_BLOCK not in document.meta


@pytest.mark.integration
def test_title_block_of_a_scanned_drawing_from_ocr_boxes(tmp_path):
    engine = load_engine()
    items = [(60, 60, "说明：本图尺寸以毫米计。")]
    for row, (label, value) in enumerate(TITLE_BLOCK[1:4]):
        items += [(1000, 800 + 50 * row, label), (1120, 800 + 50 * row, value)]
    sheet = render_sheet(items, size=(1400, 990))
    path = write_scanned_pdf(tmp_path / "结施-03（扫描）.pdf", [sheet], page_size=(1191, 842))
    ocr = PageOcr(OcrOptions(dpi=100, cache_dir=tmp_path / "cache"), engine_factory=lambda _o: engine)

    [document] = run(ScanAwarePdfConverter(ocr), path)["documents"]

    block = document.meta[M.TITLE_BLOCK]
    assert block["drawing_number"] == "结施-03"
    assert block["drawing_title"] == "基础平面布置图"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("竣工图纸目录\n序号 | 图号", None),
        ("竣 工 图\n施工单位：某建设集团 | 编制人：张三\n监理单位：某监理公司 | 监理工程师：李四",
         {"stamp": "竣工图", "contractor": "某建设集团", "compiled_by": "张三", "supervisor": "某监理公司",
          "supervising_engineer": "李四"}),
        ("基础平面布置图 结施-03", None),
    ],
)
def test_as_built_stamp(text, expected):
    assert as_built_stamp(text) == expected


def test_an_a4_form_is_told_from_a_drawing_without_loading_its_page(tmp_path, monkeypatch):
    """The sheet size comes from the page tree; loading a page (its content and fonts) is for drawings."""
    import pypdfium2

    from ingest.drawings.sheets import drawing_details
    from tests.files import write_pdf

    form = write_pdf(tmp_path / "设计变更通知单.pdf", ["设计变更通知单", "图号：结施-03"]).read_bytes()
    drawing = write_vector_drawing(tmp_path / "结施-03 基础平面布置图.pdf").read_bytes()
    for data in (form, drawing):  # the page tree's size is the loaded page's size
        document = pypdfium2.PdfDocument(data)
        page = document[0]
        assert document.get_page_size(0) == page.get_size()
        page.close()
        document.close()

    def no_page_load(self, index):
        raise AssertionError("an A4 form's page was loaded")

    monkeypatch.setattr(pypdfium2.PdfDocument, "get_page", no_page_load)
    assert drawing_details(form, "设计变更通知单\n图号：结施-03") == {}
    monkeypatch.undo()
    assert drawing_details(drawing, "")[M.TITLE_BLOCK]["drawing_number"] == "结施-03"
