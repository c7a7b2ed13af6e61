"""Rendering the inventory forms as XLSX (openpyxl), laid out like the printed forms.

Layout of a form: its title (merged across the columns), its header fields (项目名称 …), a blank
row, the column header row whose first cell is 序号, one row per entry, a blank row, then the
sign-off lines. Per-volume forms (卷内目录) follow one another on one sheet, each after a page
break, rather than one sheet per volume: a project has hundreds of volumes. A program finds each
table by its 序号 cell; a person prints on A4 landscape with grid lines.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from handover.forms import Form
from handover.stable_zip import normalise

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "宋体"
_HEADER_FONT = Font(name=_FONT, bold=True)
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_INVALID_SHEET_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


def _sheet_title(name: str, taken: set[str]) -> str:
    base = name.translate(_INVALID_SHEET_CHARS)[:28] or "表"
    title, n = base, 2
    while title in taken:
        title, n = f"{base}~{n}", n + 1
    taken.add(title)
    return title


def _form_block(ws: Worksheet, form: Form, top: int) -> int:
    """Write one form starting at row ``top``; return the next free row."""
    width = len(form.columns)
    row = top
    ws.cell(row, 1, form.title).font = Font(name=_FONT, size=16, bold=True)
    ws.cell(row, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    row += 1
    for label, value in form.fields:
        ws.cell(row, 1, f"{label}：")
        ws.cell(row, 2, value)
        row += 1
    row += 1
    for col, name in enumerate(form.columns, start=1):
        cell = ws.cell(row, col, name)
        cell.font = _HEADER_FONT
        cell.alignment = _HEADER_ALIGN
        cell.border = _BOX
    row += 1
    # Data cells carry no per-cell style (grid lines are printed instead): styling each cell
    # costs openpyxl more than everything else put together on a 10,000-row list.
    for values in form.rows:
        for col, value in enumerate(values, start=1):
            ws.cell(row, col, value)
        row += 1
    if form.footer:
        row += 1
        for line in form.footer:
            ws.cell(row, 1, line)
            row += 1
    return row


def fill_sheet(ws: Worksheet, forms: list[Form]) -> None:
    """One or more forms one below the other, each on its own printed page."""
    row = 1
    for n, form in enumerate(forms):
        if n:
            ws.row_breaks.append(Break(id=row - 1))
        if n == 0 and len(forms) == 1:
            header_row = row + len(form.fields) + 2
            ws.freeze_panes = ws.cell(header_row + 1, 1)
            ws.print_title_rows = f"{header_row}:{header_row}"
        row = _form_block(ws, form, row) + 1
    for n, chars in enumerate(forms[0].widths if forms else [], start=1):
        ws.column_dimensions[get_column_letter(n)].width = chars
    ws.print_options.gridLines = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def write_workbook(path: Path, forms: list[Form], when: datetime) -> None:
    """One workbook; forms with the same ``sheet`` (default: their name) share a sheet."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    sheets: dict[str, list[Form]] = {}
    for form in forms:
        sheets.setdefault(form.sheet or form.name, []).append(form)
    for name, group in sheets.items():
        fill_sheet(book.create_sheet(_sheet_title(name, taken)), group)
    if not forms:
        book.create_sheet("空")
    book.properties.creator = "jiandang"
    book.properties.title = forms[0].title if forms else ""
    book.properties.created = when.replace(tzinfo=None)
    book.save(path)
    normalise(path, when)
