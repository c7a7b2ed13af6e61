"""Lay a ``Doc`` out as a Word file (python-docx): headings, paragraphs, and forms as tables."""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docx.shared import Pt

from samples.model import Doc, Drawing, Fields, Heading, Para, Signatures, Table
from samples.render_zip import FixedTimeZipFile, stamp

_CHANGING_PARTS = frozenset({"/word/document.xml", "/docProps/core.xml"})


def _set_song(document) -> None:  # type: ignore[no-untyped-def]
    """Body text in 宋体, as Chinese offices set it (East-Asian font lives in w:rFonts/@w:eastAsia)."""
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(10.5)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "宋体")


def _docx_grid(document, rows: list[tuple[str, ...]]) -> None:  # type: ignore[no-untyped-def]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table._tbl.tblPr.style = "TableGrid"  # by id: looking the style up by name costs ms per table
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value


def _docx_heading(document, block: Heading, variant: int) -> None:  # type: ignore[no-untyped-def]
    if block.level == 1 and variant % 3 == 0:
        document.add_heading(block.text, level=1)
        return
    if block.level > 1 and variant % 2 == 0:
        document.add_heading(block.text, level=2)
        return
    paragraph = document.add_paragraph()
    run = paragraph.add_run(block.text)
    run.bold = True
    run.font.size = Pt(16 if block.level == 1 else 12)
    if block.level == 1:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _docx_fields(document, block: Fields) -> None:  # type: ignore[no-untyped-def]
    pairs = list(block.pairs)
    rows = []
    for start in range(0, len(pairs), block.columns):
        chunk = pairs[start : start + block.columns]
        while len(chunk) < block.columns:
            chunk.append(("", ""))
        rows.append(tuple(x for pair in chunk for x in pair))
    _docx_grid(document, rows)


def _docx_signatures(document, block: Signatures, variant: int) -> None:  # type: ignore[no-untyped-def]
    if variant % 2:
        _docx_grid(document, [("单位/职务", "签字", "日期"), *block.lines])
    else:
        for unit, person, when in block.lines:
            document.add_paragraph(f"{unit}：{person}　　　日期：{when}" if when else f"{unit}：{person}")
    if block.seal:
        paragraph = document.add_paragraph(block.seal)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _docx_drawing(document, block: Drawing) -> None:  # type: ignore[no-untyped-def]
    """A drawing cannot be a Word file for real; when asked, write its sheet data as text."""
    document.add_paragraph(f"{block.sheet_name}  {block.scale}")
    _docx_grid(document, list(block.title_block))
    if block.stamp:
        document.add_paragraph("竣工图")
        _docx_grid(document, list(block.stamp))
    for note in block.notes:
        document.add_paragraph(note)


class _PackageZip:
    """The physical-package writer interface python-docx's PackageWriter calls."""

    def __init__(self, stream: io.BytesIO) -> None:
        self._zip = FixedTimeZipFile(stream)

    def write(self, pack_uri, blob: bytes) -> None:  # type: ignore[no-untyped-def]
        self._zip.writestr(pack_uri.membername, blob)

    def close(self) -> None:
        self._zip.close()


class DocxWriter:
    """Renders many documents from one parsed template.

    Parsing python-docx's default template, and re-serialising and compressing its unchanging
    parts (styles, theme, fonts …), costs more than building a whole form. One writer keeps the
    parsed template, empties the body between documents and writes the package itself (through
    python-docx's own part writer) so nothing is compressed twice. Not thread-safe.
    """

    def __init__(self) -> None:
        self._document = new_docx()
        _set_song(self._document)
        self._keep = qn("w:sectPr")
        self._static: dict[str, bytes] = {}

    def _fresh(self):  # type: ignore[no-untyped-def]
        body = self._document.element.body
        for child in list(body):
            if child.tag != self._keep:
                body.remove(child)
        return self._document

    def render(self, doc: Doc) -> bytes:
        document = self._fresh()
        props = document.core_properties
        props.title = doc.title if doc.embedded_title is None else doc.embedded_title
        props.author = doc.author
        props.last_modified_by = doc.author
        props.created = stamp(doc.when, 8)
        props.modified = stamp(doc.when)
        props.revision = 1 + doc.variant % 4
        for block in doc.blocks:
            _docx_block(document, block, doc.variant)
        package = document.part.package
        parts = list(package.parts)
        for part in parts:
            part.before_marshal()
        buffer = io.BytesIO()
        target = _PackageZip(buffer)
        # the body of python-docx's OpcPackage.save, except that unchanging parts are serialised once
        PackageWriter._write_content_types_stream(target, parts)
        PackageWriter._write_pkg_rels(target, package.rels)
        for part in parts:
            name = str(part.partname)
            blob = self._static.get(name)
            if blob is None:
                blob = part.blob
                if name not in _CHANGING_PARTS:
                    self._static[name] = blob
            target.write(part.partname, blob)
            if len(part.rels):
                target.write(part.partname.rels_uri, part.rels.xml)
        target.close()
        return buffer.getvalue()


def _docx_block(document, block, variant: int) -> None:  # type: ignore[no-untyped-def]
    if isinstance(block, Heading):
        _docx_heading(document, block, variant)
    elif isinstance(block, Para):
        paragraph = document.add_paragraph(block.text)
        paragraph.paragraph_format.first_line_indent = Pt(21)
    elif isinstance(block, Fields):
        _docx_fields(document, block)
    elif isinstance(block, Table):
        _docx_grid(document, [block.header, *block.rows])
    elif isinstance(block, Signatures):
        _docx_signatures(document, block, variant)
    elif isinstance(block, Drawing):
        _docx_drawing(document, block)
