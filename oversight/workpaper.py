"""The 审计底稿: one XLSX per project an auditor can file with the audit — the money chain, the
change ledger, the flags with their basis, the contracts, every fact with its page and passage,
and the performance indicators (C25's sheet).

Values are written as numbers and dates (not text), so the auditor can sum and sort in Excel/WPS.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from oversight.labels import SEVERITY_ZH
from oversight.performance import indicators
from schemas.cells import xml_text
from schemas.oversight import OversightDetail

SHEETS = ("资金链台账", "变更签证", "疑点清单", "合同", "事实与出处", "绩效指标")
MONEY_FORMAT = "#,##0.00"


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list], widths: list[int]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([xml_text(value) for value in row])  # names and passages come from documents
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = MONEY_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str) and len(cell.value) > 30:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def write_workpaper(detail: OversightDetail, target: Path | BinaryIO, titles: dict[str, str]) -> None:
    """Write the 审计底稿 of one project to a file or a stream; ``titles`` maps document ids to the
    names people know the documents by.
    """
    report = detail.report
    book = Workbook()
    book.remove(book.active)
    ledger_rows = [[line.label, line.value, line.extracted if line.correction else None,
                    f"{line.correction.reason}（{line.correction.who} {line.correction.at}）" if line.correction else "",
                    "有冲突" if line.conflict else "", line.note or "",
                    "；".join(titles.get(doc, doc) for doc in line.documents)] for line in detail.lines]
    _sheet(book, SHEETS[0], ["项目", "金额（元）", "更正前（元）", "更正理由", "冲突", "说明", "出处"],
           ledger_rows, [18, 18, 16, 30, 8, 18, 50])
    contract = report.ledger.contract_price or 0.0
    running, change_rows = 0.0, []
    for entry in report.changes:
        running += entry.amount or 0.0
        change_rows.append([entry.kind, entry.number or "", entry.date, entry.amount, running,
                            running / contract if contract else None, titles.get(entry.document_id, entry.document_id)])
    _sheet(book, SHEETS[1], ["类别", "编号", "日期", "金额（元）", "累计（元）", "累计占合同价", "文件"],
           change_rows, [10, 16, 12, 16, 16, 14, 50])
    for row in book[SHEETS[1]].iter_rows(min_row=2, min_col=6, max_col=6):
        row[0].number_format = "0.0%"
    flag_rows = [[flag.check, SEVERITY_ZH[flag.severity], flag.message, flag.basis,
                  "；".join(titles.get(doc, doc) for doc in flag.documents)] for flag in report.flags]
    _sheet(book, SHEETS[2], ["检查", "等级", "疑点（打开档案的理由，不是结论）", "依据", "证据文件"],
           flag_rows, [8, 6, 60, 50, 50])
    contract_rows = [[c.contract_type or "", c.counterparty or "", c.price, c.date, c.method or "",
                      "是" if c.tendered else "否", titles.get(c.document_id, c.document_id)] for c in detail.contracts]
    _sheet(book, SHEETS[3], ["类型", "相对方", "合同价（元）", "签订日期", "方式", "有招标/中标文件", "文件"],
           contract_rows, [8, 30, 16, 12, 10, 10, 50])
    fact_rows = [[titles.get(doc.document_id, doc.document_id), doc.kind_name, fact.label,
                  fact.value if not isinstance(fact.value, bool) else str(fact.value), fact.unit or "",
                  fact.evidence.page, fact.evidence.passage, round(fact.confidence, 2),
                  fact.corrected.value if fact.corrected else None]
                 for doc in detail.facts.documents for fact in doc.facts]
    _sheet(book, SHEETS[4], ["文件", "文件类别", "事实", "值", "单位", "页", "原文", "置信度", "审计更正"],
           fact_rows, [40, 16, 14, 18, 6, 5, 60, 7, 14])
    _sheet(book, SHEETS[5], ["指标", "值", "计算方法"],
           [[name, value, how] for name, value, how in indicators(report.ledger, detail.facts)], [14, 12, 40])
    for row in book[SHEETS[5]].iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "0.0%"
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
