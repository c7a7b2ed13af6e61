"""The completeness report as the workbook an inspector receives (概要, 归档条目, 文件检查, 四性检测)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from schemas.cells import formula_like
from schemas.completeness import CompletenessReport

STATUS_ZH = {"present": "已归档", "missing": "缺", "not_applicable": "不适用", "waived": "豁免"}
_BOLD = Font(bold=True)
_MISSING = PatternFill("solid", fgColor="FFC7CE")


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
    summary.append(["项目", report.project])
    if report.profile:
        summary.append(["建筑类型", report.profile.building_type or "未登记"])
        summary.append(["所处阶段", report.profile.stage])
        summary.append(["特征", "、".join(report.profile.features or []) or "未登记"])
    summary.append(["文件数", report.documents])
    summary.append(["缺项", "、".join(report.missing) or "无"])
    summary.append([])
    summary.append(["阶段", "应归档", "已归档/豁免", "缺", "完成率%"])
    for stage in report.stages:
        summary.append([stage.stage, stage.required, stage.present, stage.missing, stage.percent])
    items = book.create_sheet("归档条目")
    items.append(["条目", "名称", "状态", "阶段", "DA/T 28 类", "保管期限", "说明", "文件", "档号"])
    for line in report.items:
        items.append([
            line.code, line.name, STATUS_ZH[line.status], line.stage or "", line.dat28_category or "",
            line.retention or "", line.reason or "", "；".join(d.title or d.original_name for d in line.documents),
            "；".join(d.archival_code or "" for d in line.documents if not d.via),
        ])
        if line.status == "missing":
            for cell in items[items.max_row]:
                cell.fill = _MISSING
    findings = book.create_sheet("文件检查")
    findings.append(["检查", "文件", "问题"])
    for finding in [*report.revision_findings, *report.field_findings]:
        findings.append([finding.check, finding.document_id or "", finding.message])
    sixing = book.create_sheet("四性检测")
    sixing.append(["性质", "检测项（DA/T 70）", "检测数", "结果", "问题"])
    for check in report.sixing:
        sixing.append([check.property, check.dat70, check.checked, "通过" if check.passed else "不通过",
                       "；".join(p.message for p in check.problems[:20])])
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = _BOLD
        _text_only(sheet)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
