"""Lay a ``Doc`` out as a born-digital Chinese PDF (reportlab, built-in ``STSong-Light`` CID font).

The CID font is not embedded, so files stay a few KB and pypdf reads the text back exactly. The
canvas is drawn directly (no platypus) because that is several times faster, which matters when a
benchmark asks for ten thousand files. ``invariant=1`` fixes the creation date and document id, so
the same seed gives byte-identical files.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from samples.model import Doc, Drawing, Fields, Heading, Para, Signatures, Table

FONT = "STSong-Light"
BODY = 10.5
LEADING = 1.45
PRODUCERS = ("Microsoft® Word 2016", "WPS 文字", "Microsoft® Excel® 2019", "PDFCreator 4.2", "Adobe PDF Library 15.0")


def ensure_font() -> None:
    """Register the CID font once per process (reportlab keeps a process-wide registry)."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


class _Widths:
    """Per-character width cache: measuring char by char is the hot path of line wrapping."""

    def __init__(self) -> None:
        self._cache: dict[str, float] = {}

    def char(self, ch: str) -> float:
        width = self._cache.get(ch)
        if width is None:
            width = pdfmetrics.stringWidth(ch, FONT, 1.0)
            self._cache[ch] = width
        return width

    def text(self, text: str, size: float) -> float:
        return sum(self.char(ch) for ch in text) * size

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        lines: list[str] = []
        for paragraph in text.split("\n"):
            current, used = [], 0.0
            for ch in paragraph:
                w = self.char(ch) * size
                if current and used + w > width:
                    lines.append("".join(current))
                    current, used = [], 0.0
                current.append(ch)
                used += w
            lines.append("".join(current))
        return lines


_WIDTHS = _Widths()


class _Page:
    """A cursor over portrait A4 pages."""

    def __init__(self, pdf: canvas.Canvas, variant: int) -> None:
        self.pdf = pdf
        self.width, self.height = A4
        self.left = 56.0 + 6 * (variant % 3)
        self.right = self.width - 56.0
        self.top = self.height - 60.0
        self.bottom = 60.0
        self.y = self.top
        self.page_no = 1

    @property
    def usable(self) -> float:
        return self.right - self.left

    def need(self, height: float) -> None:
        if self.y - height < self.bottom:
            self.new_page()

    def new_page(self) -> None:
        self.footer()
        self.pdf.showPage()
        self.page_no += 1
        self.y = self.top

    def footer(self) -> None:
        self.pdf.setFont(FONT, 9)
        self.pdf.drawCentredString(self.width / 2, 30, f"第 {self.page_no} 页")

    # -- blocks ---------------------------------------------------------------------------------
    def heading(self, block: Heading) -> None:
        if block.level == 1:
            size = 18.0
            while size > 11 and _WIDTHS.text(block.text, size) > self.usable:
                size -= 1
            self.need(size * 2.2)
            self.pdf.setFont(FONT, size)
            self.pdf.drawCentredString(self.width / 2, self.y - size, block.text)
            self.y -= size * 2.2
        else:
            size = 12.5
            self.need(size * 2)
            self.pdf.setFont(FONT, size)
            self.pdf.drawString(self.left, self.y - size, block.text)
            self.y -= size * 1.9

    def para(self, block: Para) -> None:
        indent = 2 * BODY
        lines = _WIDTHS.wrap(block.text, self.usable - indent, BODY)
        self.pdf.setFont(FONT, BODY)
        for index, line in enumerate(lines):
            self.need(BODY * LEADING)
            self.pdf.setFont(FONT, BODY)
            self.pdf.drawString(self.left + (indent if index == 0 else 0), self.y - BODY, line)
            self.y -= BODY * LEADING
        self.y -= BODY * 0.4

    def grid(self, rows: list[tuple[str, ...]], weights: list[float], size: float = 9.5) -> None:
        """A ruled table. Each visual line of a row is one text object, left to right, so text
        extractors read a row as one line (``工程名称 市机关…``), as they do with office PDFs.
        """
        total = sum(weights)
        widths = [self.usable * w / total for w in weights]
        pad = 3.0
        for row in rows:
            cells = [_WIDTHS.wrap(text, widths[i] - 2 * pad, size) for i, text in enumerate(row)]
            depth = max(len(c) for c in cells)
            height = depth * size * 1.35 + 2 * pad
            self.need(height)
            lefts = [self.left + sum(widths[:i]) for i in range(len(widths))]
            for x, width in zip(lefts, widths, strict=True):
                self.pdf.rect(x, self.y - height, width, height, stroke=1, fill=0)
            text = self.pdf.beginText()
            text.setFont(FONT, size)
            for line_no in range(depth):
                baseline = self.y - pad - size - line_no * size * 1.35
                for x, lines in zip(lefts, cells, strict=True):
                    if line_no < len(lines) and lines[line_no]:
                        text.setTextOrigin(x + pad, baseline)
                        text.textOut(lines[line_no])
            self.pdf.drawText(text)
            self.y -= height
        self.y -= 8

    def fields(self, block: Fields) -> None:
        rows: list[tuple[str, ...]] = []
        pairs = list(block.pairs)
        for start in range(0, len(pairs), block.columns):
            chunk = pairs[start : start + block.columns]
            while len(chunk) < block.columns:
                chunk.append(("", ""))
            rows.append(tuple(x for pair in chunk for x in pair))
        self.grid(rows, [1.0, 2.2] * block.columns)

    def table(self, block: Table) -> None:
        columns = len(block.header)
        longest = [max([len(block.header[i])] + [len(r[i]) for r in block.rows]) for i in range(columns)]
        weights = [min(max(n, 3), 24) for n in longest]
        self.grid([block.header, *block.rows], weights, size=9.0)

    def signatures(self, block: Signatures) -> None:
        self.y -= 6
        for unit, person, when in block.lines:
            self.need(BODY * 2)
            text = self.pdf.beginText()
            text.setFont(FONT, BODY)
            text.setTextOrigin(self.left, self.y - BODY)
            text.textOut(f"{unit}：{person}")
            if when:
                label = f"日期：{when}"
                text.setTextOrigin(self.right - _WIDTHS.text(label, BODY), self.y - BODY)
                text.textOut(label)
            self.pdf.drawText(text)
            self.y -= BODY * 2
        if block.seal:
            self.need(BODY * 2)
            self.pdf.setFont(FONT, BODY)
            self.pdf.drawRightString(self.right, self.y - BODY, block.seal)
            self.y -= BODY * 2


def _text_row(pdf: canvas.Canvas, size: float, pieces: tuple[tuple[float, float, str], ...]) -> None:
    """Several strings on one line as one text object, so extractors keep them on one line."""
    text = pdf.beginText()
    text.setFont(FONT, size)
    for x, y, value in pieces:
        text.setTextOrigin(x, y)
        text.textOut(value)
    pdf.drawText(text)


def _draw_sheet(pdf: canvas.Canvas, sheet: Drawing, variant: int) -> None:
    """One drawing on an A3 landscape sheet: grid, rooms, notes, title block, 竣工图章."""
    width, height = landscape(A3)
    pdf.setLineWidth(1.2)
    pdf.rect(70, 20, width - 90, height - 40)
    pdf.setLineWidth(0.4)
    # plan: axis grid with rooms between the lines
    cols, rows = 7 + variant % 2, 3
    x0, y0, bay, depth = 130.0, 250.0, 88.0, 120.0
    pdf.setFont(FONT, 9)
    for i in range(cols + 1):
        x = x0 + i * bay
        pdf.line(x, y0 - 20, x, y0 + rows * depth + 20)
        pdf.circle(x, y0 + rows * depth + 32, 9)
        pdf.drawCentredString(x, y0 + rows * depth + 29, str(i + 1))
        if i < cols:
            pdf.drawCentredString(x + bay / 2, y0 - 34, str(7200 if i % 3 else 8400))
    for j in range(rows + 1):
        y = y0 + j * depth
        pdf.line(x0 - 20, y, x0 + cols * bay + 20, y)
        pdf.circle(x0 - 32, y, 9)
        pdf.drawCentredString(x0 - 32, y - 3, "ABCD"[j])
    pdf.setFont(FONT, 10)
    for k, room in enumerate(sheet.rooms):
        cx = x0 + (k % cols) * bay + bay / 2
        cy = y0 + (k // cols % rows) * depth + depth / 2
        pdf.drawCentredString(cx, cy, room)
    pdf.setFont(FONT, 14)
    pdf.drawString(x0, y0 - 70, f"{sheet.sheet_name}  {sheet.scale}")
    # notes, top right
    nx, ny = width - 330, height - 60
    pdf.setFont(FONT, 10)
    pdf.drawString(nx, ny, "说明：")
    for line_no, note in enumerate(sheet.notes, start=1):
        for part in _WIDTHS.wrap(f"{line_no}. {note}", 290, 9):
            ny -= 14
            pdf.setFont(FONT, 9)
            pdf.drawString(nx, ny, part)
    # title block, bottom right
    tb_w, row_h = 300.0, 17.0
    tb_x = width - 20 - tb_w
    tb_y = 20.0
    for index, (label, value) in enumerate(reversed(sheet.title_block)):
        y = tb_y + index * row_h
        pdf.rect(tb_x, y, 80, row_h)
        pdf.rect(tb_x + 80, y, tb_w - 80, row_h)
        _text_row(pdf, 8.5, ((tb_x + 4, y + 5, label), (tb_x + 84, y + 5, value)))
    if sheet.stamp:
        _draw_stamp(pdf, sheet, tb_x + tb_w - 240, tb_y + len(sheet.title_block) * row_h + 12)


def _stamp_rows(fields: tuple[tuple[str, str], ...]) -> list[tuple[tuple[str, str], ...]]:
    """Unit names and dates take a whole row of the stamp; neighbouring names share a row."""
    rows: list[tuple[tuple[str, str], ...]] = []
    half_full: int | None = None  # index of a row holding one short field
    for field in fields:
        if len(field[1]) > 8:
            rows.append((field,))
            half_full = None  # keep the stamp's reading order: never pair across a long field
        elif half_full is None:
            half_full = len(rows)
            rows.append((field,))
        else:
            rows[half_full] = (*rows[half_full], field)
            half_full = None
    return rows


def _draw_stamp(pdf: canvas.Canvas, sheet: Drawing, x: float, y: float) -> None:
    """The 竣工图章: 80 × 50 mm box above the title block, the decisive mark of an as-built sheet."""
    w, h = 226.8, 141.7
    pdf.setStrokeColorRGB(0.8, 0.1, 0.1)
    pdf.setFillColorRGB(0.8, 0.1, 0.1)
    pdf.setLineWidth(1.0)
    pdf.rect(x, y, w, h)
    pdf.setFont(FONT, 13)
    pdf.drawCentredString(x + w / 2, y + h - 17, "竣工图")
    pdf.setFont(FONT, 8)
    rows = _stamp_rows(sheet.stamp)
    row_h = (h - 24) / len(rows)
    for index, pairs in enumerate(rows):
        baseline = y + h - 24 - (index + 1) * row_h + 4
        _text_row(pdf, 8, tuple((x + 4 + col * w / 2, baseline, f"{label}：{value}") for col, (label, value) in enumerate(pairs)))
    pdf.setStrokeColorRGB(0, 0, 0)
    pdf.setFillColorRGB(0, 0, 0)


def _date_the_file(pdf: canvas.Canvas, doc: Doc) -> None:
    """Stamp the document's own date (not the invariant 2000-01-01) as CreationDate/ModDate.

    reportlab has no public setter; its document keeps one TimeStamp that both dates format from.
    """
    stamp = pdf._doc._timeStamp
    stamp.YMDhms = (doc.when.year, doc.when.month, doc.when.day, 9 + doc.variant % 8, 30, 0)
    stamp.dhh, stamp.dmm = 8, 0


def render_pdf(doc: Doc) -> bytes:
    ensure_font()
    buffer = io.BytesIO()
    drawing = next((b for b in doc.blocks if isinstance(b, Drawing)), None)
    size = landscape(A3) if drawing else A4
    pdf = canvas.Canvas(buffer, pagesize=size, invariant=1)
    pdf.setTitle(doc.title if doc.embedded_title is None else doc.embedded_title)
    pdf.setAuthor(doc.author)
    pdf.setCreator(PRODUCERS[doc.variant % len(PRODUCERS)])
    pdf.setSubject(doc.doc_type if doc.variant % 2 else "")
    _date_the_file(pdf, doc)
    if drawing is not None:
        _draw_sheet(pdf, drawing, doc.variant)
        pdf.showPage()
        pdf.save()
        return buffer.getvalue()
    page = _Page(pdf, doc.variant)
    for block in doc.blocks:
        if isinstance(block, Heading):
            page.heading(block)
        elif isinstance(block, Para):
            page.para(block)
        elif isinstance(block, Fields):
            page.fields(block)
        elif isinstance(block, Table):
            page.table(block)
        elif isinstance(block, Signatures):
            page.signatures(block)
    page.footer()
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
