"""Rendering the inventory forms as DOCX (python-docx), for printing, signing and sealing.

Each form is a centred title, its header fields as one line, a bordered table whose header row
repeats on every printed page, and the sign-off lines. Forms that exist once per volume (卷内目录)
start on a new page each. Pages are A4 landscape; East Asian text is set in 宋体.

python-docx lays out the document (styles, page, headings, each table's header row and one
template row), but the table rows are not built as XML elements: on a 10,000-document 移交清单
that tree cost 320 MB and 3.3 s (measured). Each table is saved holding only a marked template
row, and when the file is normalised the rows are poured into ``word/document.xml`` as text,
one at a time, from the template (``_RowPourer``): memory no longer grows with the rows.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from handover.forms import Form, xml_text
from handover.stable_zip import normalise

_FONT = "宋体"


def _set_east_asian_font(document: Document) -> None:
    style = document.styles["Normal"]
    style.font.name = _FONT
    style.font.size = Pt(9)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), _FONT)


def _landscape(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


_MARK = "\ue000rows-{}\ue000"  # private-use characters: cannot occur in real text
_TEXT_RUN = re.compile(r"<w:t(?: [^>]*)?>[^<]*</w:t>")
Row = Sequence[object]


def _cell_text(value: object) -> str:
    text = "" if value is None else str(value)
    return f'<w:t xml:space="preserve">{escape(xml_text(text))}</w:t>'


class _TableStamp:
    """A table skeleton (header row + one template row) built once and deep-copied per form.

    python-docx's cell and run API costs milliseconds per table (style lookups, grid walks); a
    project has hundreds of volumes, each with its own 卷内目录 table. Copying lxml elements
    costs microseconds, so every table after the first is stamped from this skeleton.
    """

    def __init__(self, document: Document, columns: list[str], font_size: float, grid_style: str) -> None:
        table = document.add_table(rows=2, cols=len(columns))
        table._tbl.tblPr.style = grid_style
        for cell, value in zip(table.rows[0].cells, columns, strict=True):
            run = cell.paragraphs[0].add_run(value)
            run.bold = True
            run.font.size = Pt(font_size)
        _repeat_header(table.rows[0])
        for cell in table.rows[1].cells:
            cell.paragraphs[0].add_run("x").font.size = Pt(font_size)
        self.skeleton = table._tbl
        self.skeleton.getparent().remove(self.skeleton)

    def stamp(self, document: Document, marker: str) -> None:
        """Add a copy of the table whose template row's first cell says ``marker``."""
        table = copy.deepcopy(self.skeleton)
        first_text = next(table.tr_lst[1].iter(qn("w:t")))
        first_text.text = marker
        document.element.body.sectPr.addprevious(table)


class _RowPourer:
    """Replaces each marked template row of ``document.xml`` with the rows it stands for."""

    def __init__(self) -> None:
        self.rows: dict[str, Sequence[Row]] = {}

    def reserve(self, rows: Sequence[Row]) -> str:
        marker = _MARK.format(len(self.rows))
        self.rows[marker] = rows
        return marker

    def __call__(self, src: IO[bytes], dst: IO[bytes]) -> None:
        xml = src.read().decode("utf-8")  # small: every table holds one template row
        done = 0
        for marker, rows in self.rows.items():
            at = xml.index(marker, done)
            start = max(xml.rfind("<w:tr>", done, at), xml.rfind("<w:tr ", done, at))
            end = xml.index("</w:tr>", at) + len("</w:tr>")
            dst.write(xml[done:start].encode("utf-8"))
            parts = _TEXT_RUN.split(xml[start:end])
            for values in rows:
                cells = (_cell_text(value) for value in values)
                line = parts[0] + "".join(cell + part for cell, part in zip(cells, parts[1:], strict=True))
                dst.write(line.encode("utf-8"))
            done = end
        dst.write(xml[done:].encode("utf-8"))


def _add_form(document: Document, form: Form, stamp: _TableStamp, pourer: _RowPourer) -> None:
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(form.title)
    run.bold = True
    run.font.size = Pt(16)
    if form.fields:
        document.add_paragraph("    ".join(f"{label}：{value or '________'}" for label, value in form.fields))
    stamp.stamp(document, pourer.reserve(form.rows))
    for line in form.footer:
        document.add_paragraph(line)


def write_document(path: Path, forms: list[Form], when: datetime, font_size: float = 8) -> None:
    """One DOCX holding ``forms`` in order, each after the first on a new page."""
    document = Document()
    _set_east_asian_font(document)
    _landscape(document)
    grid = document.styles["Table Grid"].style_id
    stamps: dict[tuple[str, ...], _TableStamp] = {}
    pourer = _RowPourer()
    for n, form in enumerate(forms):
        if n:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        key = tuple(form.columns)
        if key not in stamps:
            stamps[key] = _TableStamp(document, form.columns, font_size, grid)
        _add_form(document, form, stamps[key], pourer)
    core = document.core_properties
    core.author = core.last_modified_by = "jiandang"
    core.title = forms[0].title if forms else ""
    core.revision = 1
    core.created = core.modified = when.replace(tzinfo=None)
    core.last_printed = when.replace(tzinfo=None)
    document.save(str(path))
    normalise(path, when, {"word/document.xml": pourer})


def write_volume_notes(path: Path, form: Form, when: datetime) -> None:
    """卷内备考表: one form page per volume, the label/value layout of the printed form."""
    pages = []
    for row in form.rows:
        values = dict(zip(form.columns, row, strict=True))
        pages.append(Form(
            name=form.name, title=form.title,
            fields=[("案卷档号", str(values["案卷档号"])), ("案卷题名", str(values["案卷题名"]))],
            columns=["项目", "内容"],
            rows=[[label, values[label]] for label in form.columns[3:]],
        ))
    write_document(path, pages, when, font_size=10)
