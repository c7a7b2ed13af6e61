"""Spreadsheets → text: .xlsx/.xlsm with openpyxl, legacy .xls with xlrd.

Every sheet becomes one "page": a heading line 【工作表：name】, then one line per row with the
non-empty cells joined by " | " left to right. A merged cell is written once, at its top-left
anchor, even when the producing program repeated the value in every covered cell. Values are the
cached results of formulas (``data_only``), formatted the way a reader sees them (2024-05-17, not
45429.0). The format is sniffed from the bytes, so an .xls saved under an .xlsx name (or the
reverse) is still read; both converter classes share that logic and differ only in the router
output they sit behind.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time

import openpyxl
import xlrd
from haystack import Document, component
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from ingest.failures import ConversionError, ConversionFailure
from ingest.guards import LIMITS, check_package
from ingest.sources import (
    CELL_SEPARATOR,
    OLE_MAGIC,
    PAGE_SEPARATOR,
    ZIP_MAGIC,
    ConvertedText,
    Source,
    convert_sources,
    describe_container,
    has_text,
    is_encrypted_office_file,
    sheet_heading,
)
from schemas import meta as meta_keys
from schemas.ingest import QuarantineCode

logger = logging.getLogger(__name__)

_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)"')

# (first_row, first_col, last_row, last_col), 1-based and inclusive.
MergedRange = tuple[int, int, int, int]


class MergedCells:
    """Answers "is this cell covered by a merge but not its anchor?" for one sheet.

    Short ranges (the usual merged heading or label, a few rows) are indexed by row; tall ones
    (a whole column of 1,048,576 rows) are kept in a list and checked by bounds, so indexing
    costs what the sheet's real rows cost, never what a range claims. Past ``merged_ranges``
    ranges the rest are ignored (only the de-duplication of repeated values is lost).
    """

    TALL = 1000  # rows: ranges taller than this are checked by bounds, not indexed per row

    def __init__(self, ranges: Iterable[MergedRange]) -> None:
        self._by_row: dict[int, list[MergedRange]] = {}
        self._tall: list[MergedRange] = []
        for count, merged in enumerate(ranges):
            if count >= LIMITS.merged_ranges:
                logger.info("more than %d merged ranges; the rest are not de-duplicated", LIMITS.merged_ranges)
                break
            if merged[2] - merged[0] >= self.TALL:
                self._tall.append(merged)
                continue
            for row in range(merged[0], merged[2] + 1):
                self._by_row.setdefault(row, []).append(merged)

    def is_covered(self, row: int, col: int) -> bool:
        for first_row, first_col, last_row, last_col in (*self._by_row.get(row, ()), *self._tall):
            if first_row <= row <= last_row and first_col <= col <= last_col and (row, col) != (first_row, first_col):
                return True
        return False


def format_cell(value: object) -> str:
    """A cell value as a reader would see it; '' for nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0, 0) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.10f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else repr(value)
    return str(value).strip()


def _rows_to_lines(
    rows: Iterable[tuple[int, Iterable[tuple[int, object]]]], merged: MergedCells
) -> list[str]:
    lines = []
    for row_number, cells in rows:
        texts = [
            text
            for col_number, value in cells
            if not merged.is_covered(row_number, col_number) and (text := format_cell(value))
        ]
        if texts:
            lines.append(CELL_SEPARATOR.join(" ".join(t.split()) for t in texts))
    return lines


def _xlsx_merged_ranges(workbook, worksheet) -> list[MergedRange]:
    """Merged ranges of a read-only sheet (openpyxl's read-only mode does not parse them)."""
    try:
        xml = workbook._archive.read(worksheet._worksheet_path)
    except Exception:  # private attributes; without them we only lose the de-duplication
        logger.debug("could not read merged cells of sheet %s", worksheet.title, exc_info=True)
        return []
    ranges = []
    for match in _MERGE_CELL.finditer(xml):
        min_col, min_row, max_col, max_row = range_boundaries(match.group(1).decode("ascii").upper())
        ranges.append((min_row, min_col, max_row, max_col))
    return ranges


def _convert_xlsx(data: bytes) -> tuple[list[tuple[str, list[str]]], str | None]:
    check_package(data, "XLSX", streamed=lambda part: part.startswith("xl/worksheets/"))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except zipfile.BadZipFile as exc:
        raise ConversionError(
            QuarantineCode.CORRUPT, "is not a valid XLSX (zip central directory unreadable)"
        ) from exc
    except (KeyError, InvalidFileException) as exc:
        raise ConversionError(
            QuarantineCode.CORRUPT, f"is not a valid XLSX (no Excel workbook inside the ZIP: {exc})"
        ) from exc
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            merged = MergedCells(_xlsx_merged_ranges(workbook, worksheet))
            worksheet.reset_dimensions()  # stored dimensions are often wrong; don't pad to them
            rows = (
                (row_number, enumerate(values, start=1))
                for row_number, values in enumerate(
                    worksheet.iter_rows(min_row=1, min_col=1, values_only=True), start=1
                )
            )
            sheets.append((worksheet.title, _rows_to_lines(rows, merged)))
        title = workbook.properties.title if workbook.properties else None
    finally:
        workbook.close()
    return sheets, title


def _open_xls(data: bytes) -> xlrd.book.Book:
    try:
        return xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise ConversionError(
                QuarantineCode.ENCRYPTED, "is encrypted (password-protected workbook)"
            ) from exc
        first_error: Exception = exc
    except Exception as exc:  # formatting records are where old writers go wrong; retry without them
        first_error = exc
    try:
        return xlrd.open_workbook(file_contents=data, formatting_info=False, on_demand=True)
    except Exception as exc:
        raise ConversionError(
            QuarantineCode.CORRUPT,
            f"is not a readable XLS workbook ({type(first_error).__name__}: {first_error})",
        ) from exc


def _xls_value(book: xlrd.book.Book, cell: xlrd.sheet.Cell) -> object:
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return cell.value


def _convert_xls(data: bytes) -> tuple[list[tuple[str, list[str]]], str | None]:
    book = _open_xls(data)
    try:
        sheets = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            merged = MergedCells((rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells)
            rows = (
                (r + 1, ((c + 1, _xls_value(book, cell)) for c, cell in enumerate(sheet.row(r))))
                for r in range(sheet.nrows)
            )
            sheets.append((sheet.name, _rows_to_lines(rows, merged)))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return sheets, None


def convert_spreadsheet(data: bytes, name: str) -> ConvertedText:
    """Read every sheet of an .xlsx/.xlsm/.xls file, whichever of them the bytes actually are."""
    if is_encrypted_office_file(data):
        raise ConversionError(QuarantineCode.ENCRYPTED, "is encrypted (password-protected Office file)")
    if data.startswith(OLE_MAGIC):
        sheets, title, fmt, extractor = *_convert_xls(data), "xls", "xlrd"
    elif data.startswith(ZIP_MAGIC):
        sheets, title, fmt, extractor = *_convert_xlsx(data), "xlsx", "openpyxl"
    else:
        what = describe_container(data) or "neither a ZIP (XLSX) nor an OLE (XLS) container"
        raise ConversionError(QuarantineCode.CORRUPT, f"is not a valid Excel workbook ({what})")
    if not any(has_text(line) for _, lines in sheets for line in lines):
        raise ConversionError(
            QuarantineCode.NO_TEXT, f"has no cell values in any of its {len(sheets)} sheet(s)"
        )
    text = PAGE_SEPARATOR.join("\n".join([sheet_heading(sheet_name), *lines]) for sheet_name, lines in sheets)
    extra = {meta_keys.EMBEDDED_TITLE: title.strip()} if title and title.strip() else {}
    return ConvertedText(text=text, format=fmt, extractor=extractor, pages=len(sheets), extra_meta=extra)


@component
class XlsxConverter:
    """Haystack converter for .xlsx/.xlsm workbooks (reads a mis-named .xls too)."""

    @component.output_types(documents=list[Document], failures=list[ConversionFailure])
    def run(self, sources: list[Source], meta: dict | list[dict] | None = None) -> dict:
        """Convert each workbook; one Document per readable file, one ConversionFailure per other file."""
        return convert_sources(sources, meta, convert_spreadsheet, kind="Excel workbook")


@component
class XlsConverter:
    """Haystack converter for legacy .xls workbooks (reads a mis-named .xlsx too)."""

    @component.output_types(documents=list[Document], failures=list[ConversionFailure])
    def run(self, sources: list[Source], meta: dict | list[dict] | None = None) -> dict:
        """Convert each workbook; one Document per readable file, one ConversionFailure per other file."""
        return convert_sources(sources, meta, convert_spreadsheet, kind="Excel workbook")
