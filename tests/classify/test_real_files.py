"""Classification of real office files with Chinese names, read the way an office wrote them."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as DocxDocument
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from classify import RuleClassifier
from tests.files import write_docx, write_pdf, write_xlsx


def _docx_text(path: Path) -> str:
    document = DocxDocument(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines.extend(" | ".join(cell.text for cell in row.cells) for row in table.rows)
    return "\n".join(lines)


def _xlsx_text(path: Path) -> str:
    sheet = load_workbook(str(path), read_only=True).active
    return "\n".join(
        " | ".join(str(v) for v in row if v is not None) for row in sheet.iter_rows(values_only=True)
    )


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_docx_negotiation_record(tmp_path: Path, classifier: RuleClassifier) -> None:
    path = write_docx(
        tmp_path / "工程洽商记录（QS-05）.docx",
        "工程洽商记录",
        [
            "编号：QS-05",
            "提出单位：中建某局",
            "洽商摘要：地下室后浇带位置调整，涉及设计变更通知单S-03所示部位",
        ],
        table=[
            ["建设单位", "设计单位", "监理单位", "施工单位"],
            ["（章）", "专业负责人", "（章）", "（章）"],
        ],
    )
    verdict = classifier.classify(None, _docx_text(path), file_name=None)
    assert (verdict.item_code, verdict.doc_type) == ("C2-7", "工程洽商记录")


def test_xlsx_division_record(tmp_path: Path, classifier: RuleClassifier) -> None:
    path = write_xlsx(
        tmp_path / "主体结构分部工程质量验收记录.xlsx",
        "主体结构分部（子分部）工程质量验收记录",
        [
            ["单位（子单位）工程名称", "市档案馆新馆", "子分部工程数量", 2],
            ["序号", "子分部工程名称", "分项工程名称", "检验批数量"],
            [1, "混凝土结构", "钢筋分项工程", 12],
            [2, "混凝土结构", "模板分项工程", 10],
            ["质量控制资料", "齐全"],
            ["观感质量检验结果", "好"],
        ],
    )
    verdict = classifier.classify(None, _xlsx_text(path))
    assert verdict.item_code == "C7-3"


def test_pdf_as_built_drawing(tmp_path: Path, classifier: RuleClassifier) -> None:
    path = write_pdf(
        tmp_path / "电施-05 竣工图.pdf",
        ["竣工图", "施工单位：中建某局  编制人：张某  审核人：李某  技术负责人：王某",
         "监理单位：某工程咨询  总监：赵某  现场监理：钱某",
         "图名：配电干线系统图  图号：电施-05  比例：1:100", "设计人  校核  审定  专业负责人"],
    )  # fmt: skip
    verdict = classifier.classify(None, _pdf_text(path))
    assert (verdict.class_code, verdict.item_code) == ("D", "D-7")


@pytest.fixture(scope="module")
def reader():  # type: ignore[no-untyped-def]
    """The real reading pipeline (converters, cleaning, classifier), file names hidden from it."""
    from core.reading.reader import DocumentReader

    return DocumentReader(neutralise_file_names=True)


def _filed(reader, path: Path) -> dict:  # type: ignore[no-untyped-def]
    from schemas import meta as M

    outcome = reader.read(path, f"文件{path.suffix}", {M.FOLDER_HINTS: []})
    assert outcome.document is not None, outcome.reason
    return outcome.document.meta[M.CLASSIFICATION]


def test_xlsx_form_titled_across_its_first_cells(tmp_path: Path, reader) -> None:  # type: ignore[no-untyped-def]
    book = Workbook()
    sheet = book.active
    sheet.title = "第1页"
    sheet.append(["表C5-1", "箱式变压器", "施工安装记录"])
    sheet.append(["单位（子单位）工程名称", "某厂区配电工程", "分项工程名称", "箱变安装"])
    sheet.append(["验收项目", "设计要求及规范", "检查记录", "检查结果"])
    sheet.append(["基础型钢水平度", "≤1mm/m", "0.6", "合格"])
    path = tmp_path / "a.xlsx"
    book.save(str(path))
    verdict = _filed(reader, path)
    assert verdict["class_code"] == "C5", verdict["reasons"]


def test_blank_docx_template_still_carries_its_title(tmp_path: Path, reader) -> None:  # type: ignore[no-untyped-def]
    path = write_docx(tmp_path / "a.docx", "建设工程规划许可证申请表",
                      ["申请单位（盖章）：${applicant}", "项目名称：«ProjectName»", "建设地点：<site_address>",
                       "建设规模：＿＿＿＿平方米", "受理机关：＿＿＿＿  受理日期：＿＿年＿＿月＿＿日"])
    verdict = _filed(reader, path)
    assert (verdict["class_code"], verdict["item_code"]) == ("A5", "A5-1"), verdict["reasons"]


def test_pdf_change_sheet_with_a_title_block(tmp_path: Path, reader) -> None:  # type: ignore[no-untyped-def]
    path = write_pdf(tmp_path / "a.pdf", [
        "说明：本图依据设计变更通知单 结-变-04 修改，变更区域见云线。",
        "设计人  校核人  审核人  审定人  专业负责人", "图名 地下室底板后浇带调整平面图",
        "图号 结施-12(变更)  比例 1:150  版本号 02", "设计单位（出图专用章）",
    ])
    verdict = _filed(reader, path)
    assert (verdict["class_code"], verdict["item_code"]) == ("C2", "C2-6"), verdict["reasons"]
