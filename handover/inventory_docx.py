"""Rendering the inventory forms as DOCX (python-docx), for printing, signing and sealing.

Each form is a centred title, its header fields as one line, a bordered table whose header row
repeats on every printed page, and the sign-off lines. Forms that exist once per volume (卷内目录)
start on a new page each. Pages are A4 landscape; East Asian text is set in 宋体.
"""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from handover.forms import Form
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

    def stamp(self, document: Document, rows: list[list[object]]) -> None:
        table = copy.deepcopy(self.skeleton)
        template = table.tr_lst[1]
        for values in rows:
            row = copy.deepcopy(template)
            for text, value in zip(row.iter(qn("w:t")), values, strict=True):
                text.text = "" if value is None else str(value)
                text.set(qn("xml:space"), "preserve")
            table.append(row)
        table.remove(template)
        document.element.body.sectPr.addprevious(table)


def _add_form(document: Document, form: Form, stamp: _TableStamp) -> None:
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(form.title)
    run.bold = True
    run.font.size = Pt(16)
    if form.fields:
        document.add_paragraph("    ".join(f"{label}：{value or '________'}" for label, value in form.fields))
    stamp.stamp(document, form.rows)
    for line in form.footer:
        document.add_paragraph(line)


def write_document(path: Path, forms: list[Form], when: datetime, font_size: float = 8) -> None:
    """One DOCX holding ``forms`` in order, each after the first on a new page."""
    document = Document()
    _set_east_asian_font(document)
    _landscape(document)
    grid = document.styles["Table Grid"].style_id
    stamps: dict[tuple[str, ...], _TableStamp] = {}
    for n, form in enumerate(forms):
        if n:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        key = tuple(form.columns)
        if key not in stamps:
            stamps[key] = _TableStamp(document, form.columns, font_size, grid)
        _add_form(document, form, stamps[key])
    core = document.core_properties
    core.author = core.last_modified_by = "jiandang"
    core.title = forms[0].title if forms else ""
    core.revision = 1
    core.created = core.modified = when.replace(tzinfo=None)
    core.last_printed = when.replace(tzinfo=None)
    document.save(str(path))
    normalise(path, when)


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
