"""The completeness report as the workbook an inspector receives (概要, 归档条目, 文件检查, 四性检测)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from schemas.cells import formula_like, xml_text
from schemas.completeness import CompletenessReport

STATUS_ZH = {"present": "已归档", "missing": "缺", "not_applicable": "不适用", "waived": "豁免"}
_BOLD = Font(bold=True)
_MISSING = PatternFill("solid", fgColor="FFC7CE")


def _add(sheet: Worksheet, row: list[object]) -> None:
    """Append ``row`` with the characters a workbook cannot hold replaced (titles come from documents)."""
    sheet.append([xml_text(value) for value in row])


def _text_only(sheet: Worksheet) -> None:
    """Titles and names like "=cmd|…" are text, never formulas (``schemas.cells``)."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f" and formula_like(cell.value):
                cell.data_type = "s"


def report_workbook(report: CompletenessReport) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "概要"
    _add(summary, ["项目", report.project])
    if report.profile:
        _add(summary, ["建筑类型", report.profile.building_type or "未登记"])
        _add(summary, ["所处阶段", report.profile.stage])
        _add(summary, ["特征", "、".join(report.profile.features or []) or "未登记"])
    _add(summary, ["文件数", report.documents])
    _add(summary, ["缺项", "、".join(report.missing) or "无"])
    _add(summary, [])
    _add(summary, ["阶段", "应归档", "已归档/豁免", "缺", "完成率%"])
    for stage in report.stages:
        _add(summary, [stage.stage, stage.required, stage.present, stage.missing, stage.percent])
    items = book.create_sheet("归档条目")
    _add(items, ["条目", "名称", "状态", "阶段", "DA/T 28 类", "保管期限", "说明", "文件", "档号"])
    for line in report.items:
        _add(items, [
            line.code, line.name, STATUS_ZH[line.status], line.stage or "", line.dat28_category or "",
            line.retention or "", line.reason or "", "；".join(d.title or d.original_name for d in line.documents),
            "；".join(d.archival_code or "" for d in line.documents if not d.via),
        ])
        if line.status == "missing":
            for cell in items[items.max_row]:
                cell.fill = _MISSING
    findings = book.create_sheet("文件检查")
    _add(findings, ["检查", "文件", "问题"])
    for finding in [*report.revision_findings, *report.field_findings]:
        _add(findings, [finding.check, finding.document_id or "", finding.message])
    sixing = book.create_sheet("四性检测")
    _add(sixing, ["性质", "检测项（DA/T 70）", "检测数", "结果", "问题"])
    for check in report.sixing:
        _add(sixing, [check.property, check.dat70, check.checked, "通过" if check.passed else "不通过",
                       "；".join(p.message for p in check.problems[:20])])
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = _BOLD
        _text_only(sheet)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
