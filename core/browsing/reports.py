"""XLSX files people take away: 统计报表, the audit trail, a selection's 文件目录.

One writer for all of them: a sheet per table, Chinese headers in bold, columns wide enough to
read, the header row frozen. Links go to the web UI (``link_base``), which Excel opens; no
``jiandang://`` addresses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from schemas.browsing import BrowseRow
from schemas.cells import xml_text
from schemas.workbench import AuditView, StatisticsReport


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]


def _cell(value: object) -> object:
    """Text without the control characters a worksheet cannot hold (a hostile search is audited too)."""
    return xml_text(value)


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> None:
    book = Workbook()
    book.remove(book.active)
    for table in sheets:
        sheet = book.create_sheet(table.title[:31])
        sheet.append(list(table.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell(value) for value in row])
        for index, header in enumerate(table.headers, start=1):
            longest = max([len(str(header))] + [len(str(r[index - 1])) for r in table.rows[:200] if len(r) >= index])
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(60, max(8, longest * 1.6 + 2))
        sheet.freeze_panes = "A2"
    book.save(path)


def statistics_sheets(report: StatisticsReport) -> list[Sheet]:
    def counts(title: str, what: str, rows: list) -> Sheet:  # type: ignore[type-arg]
        return Sheet(title, [what, "文件数"], [[r.label, r.count] for r in rows])

    use = Sheet("利用统计", ["月份", "检索次数", "原件下载与预览", "文件查看"],
                [[m, s, d, v] for m, s, d, v in zip(report.months, report.searches, report.downloads, report.views,
                                                    strict=True)])
    return [counts("按项目", "项目", report.by_project), counts("按门类", "门类", report.by_class),
            counts("按年度", "年度", report.by_year), counts("按保管期限", "保管期限", report.by_retention), use]


def audit_sheet(view: AuditView) -> Sheet:
    rows = [[r.seq, r.at, r.actor, r.action, r.document_title or r.target or "", r.archive_code or "", r.summary,
             r.address or ""] for r in view.items]
    return Sheet("审计日志", ["序号", "时间", "操作人", "操作", "对象", "档号", "说明", "来源地址"], rows)


def selection_sheet(rows: Sequence[BrowseRow], link_base: str, status_name: dict[str, str]) -> Sheet:
    base = link_base.rstrip("/")
    return Sheet("文件目录", ["档号", "题名", "文件日期", "文件编号", "项目", "类别", "保管期限", "密级", "状态",
                          "原始文件名", "链接"],
                 [[r.archive_code or "", r.title or r.original_name, r.doc_date.isoformat() if r.doc_date else "",
                   r.number or "", r.project or "", r.item_code or r.class_code or "", r.retention or "",
                   r.secrecy or "", status_name.get(r.status, r.status), r.original_name, f"{base}/{r.id}"]
                  for r in rows])
