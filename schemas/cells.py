"""What a spreadsheet cell written by jiandang may hold: text that looks like a formula stays text.

Titles, file names and snippets come from the documents, i.e. from anyone who can put a file in
a share. A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before
one) is taken as a formula by Excel and LibreOffice when a CSV is opened, and openpyxl writes any
string starting with ``=`` as a formula: ``=cmd|' /C calc'!A0`` in a title would run on the
auditor's machine. Writers therefore pass every text cell through these rules:

- CSV: such a value gets a leading apostrophe (the OWASP rule; spreadsheet programs hide it and
  show the text);
- XLSX: the cell is written with the *string* type, so its content is exactly the text and is
  never evaluated (``formula_like`` says which cells).

Pure functions on values; every package that writes a spreadsheet (core's exports, classify's
completeness workbook, handover's inventories) uses them.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: object) -> bool:
    """A text a spreadsheet program would take as (the start of) a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: object) -> object:
    """The value to write into a CSV cell: formula-looking text gets a leading apostrophe."""
    return "'" + value if formula_like(value) else value  # type: ignore[operator]
