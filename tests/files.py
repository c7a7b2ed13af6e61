"""Small real Chinese files for tests, written with the same libraries an office would use."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document as DocxDocument
from openpyxl import Workbook
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"


def write_pdf(path: Path, lines: list[str]) -> Path:
    """A born-digital Chinese PDF (reportlab's built-in CID font; pypdf reads it exactly)."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for line in lines:
        pdf.setFont(FONT, 12)
        pdf.drawString(60, y, line)
        y -= 20
        if y < 60:
            pdf.showPage()
            y = 800
    pdf.save()
    return path


def write_image_only_pdf(path: Path) -> Path:
    """A 'scan': a page with drawing but no text layer."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.rect(100, 100, 300, 400, fill=1)
    pdf.save()
    return path


def write_encrypted_pdf(path: Path, lines: list[str]) -> Path:
    plain = io.BytesIO()
    write_pdf(path, lines)
    plain.write(path.read_bytes())
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(plain.getvalue())).pages:
        writer.add_page(page)
    writer.encrypt(user_password="机密", owner_password="owner")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_docx(path: Path, title: str, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    doc = DocxDocument()
    doc.add_heading(title, level=1)
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        grid = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    doc.save(str(path))
    return path


def write_xlsx(path: Path, title: str, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "验收记录"
    sheet.append([title])
    for row in rows:
        sheet.append(row)
    book.save(str(path))
    return path
