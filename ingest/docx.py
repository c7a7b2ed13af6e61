"""DOCX → text with python-docx: paragraphs and tables in the order they appear, then headers.

Only the parts read here are parsed (``ingest.docx_package``): not ``styles.xml`` and the rest.

Chinese forms are mostly tables ("工程名称 | xxx | 施工单位 | yyy"), so tables are written where
they stand, one row per line with cells joined by " | ", and a merged cell is written once rather
than once per grid column it spans. Content controls (w:sdt, common on cover pages) and text
boxes are read too, because python-docx's own iteration skips them.

Headers go after the body: they repeat the organisation name or form code on every page, and
the field extractor looks for the document's own title among the first lines.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Iterator

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from haystack import Document, component

from ingest.docx_package import PARSED_TYPES, open_document
from ingest.failures import ConversionError, ConversionFailure
from ingest.guards import LIMITS, check_package
from ingest.sources import CELL_SEPARATOR, ConvertedText, Source, check_office_container, convert_sources
from schemas import meta as meta_keys
from schemas.ingest import QuarantineCode

logger = logging.getLogger(__name__)

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")


def _iter_blocks(element, parent) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables under a body/cell element in document order, entering content controls."""
    for child in element.iterchildren():
        if child.tag == _P:
            yield Paragraph(child, parent)
        elif child.tag == _TBL:
            yield Table(child, parent)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _iter_blocks(content, parent)


def _paragraph_lines(paragraph: Paragraph) -> list[str]:
    lines = [paragraph.text]
    # Text boxes live inside runs; Word stores each twice (DrawingML and a VML fallback).
    seen: set[str] = set()
    for box_paragraph in paragraph._p.xpath(".//w:txbxContent/w:p"):
        text = Paragraph(box_paragraph, paragraph._parent).text.strip()
        if text and text not in seen:
            seen.add(text)
            lines.append(text)
    return lines


def _cell_text(cell: _Cell) -> str:
    parts: list[str] = []
    for block in _iter_blocks(cell._tc, cell):
        if isinstance(block, Paragraph):
            parts.extend(line.strip() for line in _paragraph_lines(block))
        else:
            parts.extend(_table_lines(block))
    return " ".join(part for part in parts if part)


def _table_lines(table: Table) -> list[str]:
    """One line per row; a merged cell (horizontal or vertical) is written only where it starts."""
    lines: list[str] = []
    written: dict[int, object] = {}  # id → element; holding the element keeps its id stable
    for row in table.rows:
        cells_text: list[str] = []
        raw = [_Cell(tc, table) for tc in row._tr.tc_lst]
        try:
            # python-docx lays a row out on its grid, one entry per grid column a cell spans: a
            # cell claiming 2,000,000,000 columns would become a list that long. Such a row (and
            # any Word could not have written) is read cell by cell as it stands.
            cells = raw if _spanned_columns(row) > LIMITS.table_columns else row.cells
        except Exception:  # malformed grid spans: fall back to the raw cells of the row
            logger.debug("irregular table row; reading raw cells", exc_info=True)
            cells = raw
        for cell in cells:
            element = cell._tc
            if id(element) in written:
                continue
            written[id(element)] = element
            text = _cell_text(cell)
            if text:
                cells_text.append(text)
        if cells_text:
            lines.append(CELL_SEPARATOR.join(cells_text))
    return lines


def _spanned_columns(row) -> int:  # type: ignore[no-untyped-def]
    total = 0
    for tc in row._tr.tc_lst:
        try:
            total += max(1, int(tc.grid_span))
        except (TypeError, ValueError):
            total += 1
    return total


def _block_lines(element, parent) -> list[str]:
    lines: list[str] = []
    for block in _iter_blocks(element, parent):
        if isinstance(block, Paragraph):
            lines.extend(_paragraph_lines(block))
        else:
            lines.extend(_table_lines(block))
    return lines


def _header_lines(document) -> list[str]:
    lines: list[str] = []
    seen: set[str] = set()
    for section in document.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            if header.is_linked_to_previous:
                continue
            for line in _block_lines(header._element, header):
                if line.strip() and line not in seen:
                    seen.add(line)
                    lines.append(line)
    return lines


def convert_docx(data: bytes, name: str) -> ConvertedText:
    check_office_container(data, "DOCX")
    check_package(data, "DOCX", parsed_types=PARSED_TYPES)
    try:
        document = open_document(data)
    except zipfile.BadZipFile as exc:
        raise ConversionError(
            QuarantineCode.CORRUPT, "is not a valid DOCX (zip central directory unreadable)"
        ) from exc
    except (KeyError, PackageNotFoundError, ValueError) as exc:
        detail = re.sub(r"file '<_io\.BytesIO object at 0x[0-9a-f]+>' ", "", str(exc))  # python-docx names its buffer
        raise ConversionError(
            QuarantineCode.CORRUPT, f"is not a valid DOCX (no Word document inside the ZIP: {detail})"
        ) from exc
    lines = _block_lines(document.element.body, document._body)
    header = _header_lines(document)
    if header:
        lines.extend(["", *header])
    extra = {}
    title = (document.core_properties.title or "").strip()
    if title:
        extra[meta_keys.EMBEDDED_TITLE] = title
    return ConvertedText(text="\n".join(lines), format="docx", extractor="python-docx", extra_meta=extra)


@component
class DocxConverter:
    """Haystack converter for Word (.docx) files that reports unreadable files instead of raising."""

    @component.output_types(documents=list[Document], failures=list[ConversionFailure])
    def run(self, sources: list[Source], meta: dict | list[dict] | None = None) -> dict:
        """Convert each DOCX; one Document per readable file, one ConversionFailure per other file."""
        return convert_sources(sources, meta, convert_docx, kind="DOCX")
