"""Lay a ``Doc`` out as a spreadsheet (openpyxl): one form per sheet, titles spanning the form."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from samples.model import Block, Doc, Drawing, Fields, Heading, Para, Signatures, Table
from samples.render_zip import FixedTimeZipFile, stamp

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(doc: Doc) -> str:
    title = _SHEET_FORBIDDEN.sub("", doc.sheet_name or doc.doc_type or "Sheet1")
    return title[:31] or "Sheet1"


def _xlsx_width(doc: Doc) -> int:
    width = 4
    for block in doc.blocks:
        if isinstance(block, Table):
            width = max(width, len(block.header))
        elif isinstance(block, Fields):
            width = max(width, 2 * block.columns)
    return width


class _SheetWriter:
    """Appends blocks row by row; titles and paragraphs span the form's full width."""

    def __init__(self, sheet, width: int) -> None:  # type: ignore[no-untyped-def]
        self.sheet = sheet
        self.width = width
        self.row = 1
        self.bold = Font(bold=True, size=14)
        self.head = Font(bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.centre = Alignment(horizontal="center", vertical="center")
        thin = Side(style="thin")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def spanning(self, text: str, font: Font | None, align: Alignment) -> None:
        cell = self.sheet.cell(row=self.row, column=1, value=text)
        if font is not None:
            cell.font = font
        cell.alignment = align
        if self.width > 1:
            self.sheet.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.width)
        if len(text) > 12 * self.width:
            self.sheet.row_dimensions[self.row].height = 15 * (1 + len(text) // (12 * self.width))
        self.row += 1

    def values(self, values: tuple[str, ...] | list[str], font: Font | None = None) -> None:
        for column, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.row, column=column, value=_cell_value(value))
            if "," in value and not isinstance(cell.value, str):
                cell.number_format = "#,##0.00"
            cell.border = self.border
            if font is not None:
                cell.font = font
        self.row += 1


    def signatures(self, block: Signatures) -> None:
        for unit, person, when in block.lines:
            self.values((unit, person, "日期", when) if when else (unit, person))
        if block.seal:
            self.spanning(block.seal, None, self.wrap)

    def drawing(self, block: Drawing) -> None:
        """A drawing asked for as a spreadsheet: its sheet data as rows."""
        self.spanning(f"{block.sheet_name}  {block.scale}", self.head, self.centre)
        for pair in (*block.title_block, *block.stamp):
            self.values(pair)
        for note in block.notes:
            self.spanning(note, None, self.wrap)


def _cell_value(value: str) -> str | float | int:
    """Numbers stay numbers in a spreadsheet (测点读数, 金额), the way people type them."""
    plain = value.replace(",", "")
    digits = plain.removeprefix("-")
    if not digits or len(digits) > 12 or not digits.replace(".", "", 1).isdigit():
        return value
    if digits.startswith("0") and not digits.startswith("0.") and digits != "0":
        return value  # a code such as 001 stays text
    return float(plain) if "." in plain else int(plain)


def _write_block(out: _SheetWriter, block: Block) -> None:
    if isinstance(block, Heading):
        out.spanning(block.text, out.bold if block.level == 1 else out.head, out.centre)
    elif isinstance(block, Para):
        out.spanning(block.text, None, out.wrap)
    elif isinstance(block, Fields):
        pairs = list(block.pairs)
        for start in range(0, len(pairs), block.columns):
            out.values([x for pair in pairs[start : start + block.columns] for x in pair])
    elif isinstance(block, Table):
        out.values(block.header, out.head)
        for row in block.rows:
            out.values(row)
    elif isinstance(block, Signatures):
        out.signatures(block)
    elif isinstance(block, Drawing):
        out.drawing(block)


def render_xlsx(doc: Doc) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(doc)
    props = book.properties
    props.title = doc.title if doc.embedded_title is None else doc.embedded_title
    props.creator = doc.author
    props.lastModifiedBy = doc.author
    props.created = stamp(doc.when, 8)
    props.modified = stamp(doc.when)
    width = _xlsx_width(doc)
    out = _SheetWriter(sheet, width)
    for block in doc.blocks:
        _write_block(out, block)
    for column in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 18 if column % 2 else 24
    buffer = io.BytesIO()
    ExcelWriter(book, FixedTimeZipFile(buffer)).save()  # Workbook.save, minus stamping "now" as modified
    return buffer.getvalue()
