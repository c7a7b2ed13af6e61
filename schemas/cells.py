"""What a spreadsheet cell written by jiandang may hold: text that looks like a formula stays text.

Titles, file names and snippets come from the documents, i.e. from anyone who can put a file in
a share. A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before
one) is taken as a formula by Excel and LibreOffice when a CSV is opened, and openpyxl writes any
string starting with ``=`` as a formula: ``=cmd|' /C calc'!A0`` in a title would run on the
auditor's machine. Writers therefore pass every text cell through these rules:

- CSV: such a value gets a leading apostrophe (the OWASP rule; spreadsheet programs hide it and
  show the text);
- XLSX: the cell is written with the *string* type, so its content is exactly the text and is
  never evaluated (``formula_like`` says which cells); control characters, which the XML inside
  an XLSX cannot hold (openpyxl refuses the whole workbook), become U+FFFD (``xml_text``).

Pure functions on values; every package that writes a spreadsheet (core's exports, classify's
completeness workbook, handover's inventories) uses them.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: object) -> bool:
    """A text a spreadsheet program would take as (the start of) a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: object) -> object:
    """The value to write into a CSV cell: formula-looking text gets a leading apostrophe."""
    return "'" + value if formula_like(value) else value  # type: ignore[operator]


# The characters XML 1.0 forbids (C0 controls but tab, line feed and carriage return; U+FFFE,
# U+FFFF): what openpyxl refuses in a cell or a document property, and lxml in a DOCX.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: object, instead: str = "\ufffd") -> object:
    """The value with each character an XLSX or DOCX cannot hold replaced by ``instead`` (other
    values unchanged): one odd title must not stop a whole export.
    """
    return _NOT_XML.sub(instead, value) if isinstance(value, str) else value
