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
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from handover.forms import Form, xml_text
from handover.stable_zip import normalise
from schemas.cells import formula_like

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "宋体"
_HEADER_FONT = Font(name=_FONT, bold=True)
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TITLE_FONT = Font(name=_FONT, size=16, bold=True)
_TITLE_ALIGN = Alignment(horizontal="center")
_INVALID_SHEET_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


def _sheet_title(name: str, taken: set[str]) -> str:
    base = name.translate(_INVALID_SHEET_CHARS)[:28] or "表"
    title, n = base, 2
    while title in taken:
        title, n = f"{base}~{n}", n + 1
    taken.add(title)
    return title


def _styled(ws: WriteOnlyWorksheet, value: object, font: Font, alignment: Alignment,
            border: Border | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font, cell.alignment = font, alignment
    if border is not None:
        cell.border = border
    return cell


def _text_safe(ws: WriteOnlyWorksheet, value: object) -> object:
    """A title or name that starts like a formula ("=cmd|…") is written as text, never evaluated."""
    if not formula_like(value):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def _form_block(ws: WriteOnlyWorksheet, form: Form, top: int) -> int:
    """Append one form whose first row is ``top``; return the next free row."""
    width = len(form.columns)
    ws.append([_styled(ws, form.title, _TITLE_FONT, _TITLE_ALIGN)])
    ws.merged_cells.add(f"A{top}:{get_column_letter(width)}{top}")
    row = top + 1
    for label, value in form.fields:
        ws.append([f"{label}：", _text_safe(ws, value)])
        row += 1
    ws.append([])
    ws.append([_styled(ws, name, _HEADER_FONT, _HEADER_ALIGN, _BOX) for name in form.columns])
    row += 2
    # Data cells carry no per-cell style (grid lines are printed instead): styling each cell
    # costs openpyxl more than everything else put together on a 10,000-row list.
    for values in form.rows:
        ws.append([_text_safe(ws, xml_text(v)) if isinstance(v, str) else v for v in values])
        row += 1
    if form.footer:
        ws.append([])
        row += 1
        for line in form.footer:
            ws.append([line])
            row += 1
    return row


def fill_sheet(ws: WriteOnlyWorksheet, forms: list[Form]) -> None:
    """One or more forms one below the other, each on its own printed page.

    The sheet is write-only (rows stream to a temporary file as they are appended), so a 10,000-row
    移交清单 costs the same memory as a 10-row one; page set-up is declared before the rows.
    """
    for n, chars in enumerate(forms[0].widths if forms else [], start=1):
        ws.column_dimensions[get_column_letter(n)].width = chars
    ws.print_options.gridLines = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if len(forms) == 1:
        header_row = 1 + len(forms[0].fields) + 2
        ws.freeze_panes = f"A{header_row + 1}"
        ws.print_title_rows = f"{header_row}:{header_row}"
    row = 1
    for n, form in enumerate(forms):
        if n:
            ws.row_breaks.append(Break(id=row - 1))
        row = _form_block(ws, form, row) + 1
        ws.append([])


def write_workbook(path: Path, forms: list[Form], when: datetime) -> None:
    """One workbook; forms with the same ``sheet`` (default: their name) share a sheet."""
    book = Workbook(write_only=True)
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
