"""Classification of real office files with Chinese names, read the way an office wrote them."""

from __future__ import annotations

from pathlib import Path

from docx import Document as DocxDocument
from openpyxl import load_workbook
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
