"""Previews of originals in the browser: PDF and images as they are, DOCX and XLSX rendered to HTML here.

Why render here rather than convert with LibreOffice: python-docx and openpyxl already read these
files for the text; a page of HTML from them costs tens of milliseconds (``make bench`` measures it)
and needs no 500 MB office suite on the server. What the HTML keeps is what an archivist checks
at a glance — paragraphs with headings, the tables, the first rows of each sheet — not the exact
layout (the original is one click away). Everything taken from a file is HTML-escaped; nothing in
it is ever interpreted as markup. Big files get no rendering (a note says to download instead), so
a hostile file cannot hold a request for long.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

MAX_RENDER_BYTES = 20 * 1024 * 1024
MAX_PARAGRAPHS = 400
MAX_SHEETS = 6
MAX_ROWS = 200
MAX_COLUMNS = 30
IMAGE_FORMATS = {"png", "jpg", "jpeg", "gif", "bmp", "webp"}
CONVERTED_IMAGES = {"tif", "tiff"}  # browsers do not show TIFF: converted to PNG on the fly
TEXT_FORMATS = {"txt", "csv", "md"}


@dataclass(frozen=True)
class Preview:
    """How the document page shows an original: ``kind`` pdf | image | html | none, with a note."""

    kind: str
    html: str = ""
    note: str = ""


def preview_kind(fmt: str | None, status: str, size: int) -> str:
    """Decided from the catalog alone (the document page needs it without opening the file)."""
    fmt = (fmt or "").lower()
    if size == 0:
        return "none"
    if fmt == "pdf" and status != "quarantined":
        return "pdf"
    if fmt in IMAGE_FORMATS or fmt in CONVERTED_IMAGES:
        return "image"
    if fmt in ("docx", "xlsx", *TEXT_FORMATS):
        return "html"
    return "none"


def render(path: Path, fmt: str | None) -> Preview:
    """An HTML fragment for DOCX, XLSX and text; a note when the file cannot be shown."""
    fmt = (fmt or "").lower()
    if path.stat().st_size > MAX_RENDER_BYTES:
        return Preview("none", note="文件较大，不在页面中预览，请下载原件查看。")
    try:
        if fmt == "docx":
            return Preview("html", _docx(path))
        if fmt == "xlsx":
            return Preview("html", _xlsx(path))
        if fmt in TEXT_FORMATS:
            return Preview("html", _text(path))
    except Exception as exc:  # a damaged or hostile file: the page says so; the reader libraries raise anything
        logger.info("no preview of %s: %s", path.name, exc)
        return Preview("none", note="这个文件无法在页面中预览（文件可能已损坏），请下载原件查看。")
    return Preview("none", note="这种格式不能在页面中预览，请下载原件查看。")


def _docx(path: Path) -> str:
    """Paragraphs (headings by their style) and tables, read straight from the document's XML.

    python-docx's ``Table.cell`` objects cost milliseconds per row on a long table; the text of a
    cell is only its ``w:t`` runs, so they are read directly (10x faster on a 30-row table).
    """
    from docx import Document as Docx  # python-docx; imported here, as only previews need it on this path
    from docx.oxml.ns import qn

    body = Docx(str(path)).element.body
    text_of = qn("w:t")
    parts: list[str] = []
    for block in body.iterchildren():
        if len(parts) >= MAX_PARAGRAPHS:
            parts.append('<p class="note">……（以下从略，请下载原件查看全文）</p>')
            break
        if block.tag == qn("w:p"):
            text = "".join(t.text or "" for t in block.iter(text_of)).strip()
            if text:
                style = block.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
                name = style.get(qn("w:val"), "") if style is not None else ""
                level = "h2" if name.startswith(("Heading", "Title", "标题")) or name.isdigit() else "p"
                parts.append(f"<{level}>{html.escape(text)}</{level}>")
        elif block.tag == qn("w:tbl"):
            rows = [["".join(t.text or "" for t in cell.iter(text_of)).strip()
                     for cell in row.findall(qn("w:tc"))][:MAX_COLUMNS]
                    for row in block.findall(qn("w:tr"))[:MAX_ROWS]]
            parts.append(_table(rows))
    return "\n".join(parts) or '<p class="note">文件中没有文字。</p>'


def _xlsx(path: Path) -> str:
    from openpyxl import load_workbook

    handle = path.open("rb")  # the stored original has no extension, which openpyxl would refuse by name
    book = load_workbook(handle, read_only=True, data_only=True)
    try:
        parts = []
        for sheet in book.worksheets[:MAX_SHEETS]:
            rows = []
            for row in sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True):
                if any(v not in (None, "") for v in row):
                    rows.append(["" if v is None else str(v) for v in row])
            parts.append(f"<h2>{html.escape(sheet.title)}</h2>" + (_table(rows) if rows else '<p class="note">（空表）</p>'))
        if len(book.worksheets) > MAX_SHEETS:
            parts.append(f'<p class="note">另有 {len(book.worksheets) - MAX_SHEETS} 个工作表未显示。</p>')
        return "\n".join(parts)
    finally:
        book.close()
        handle.close()


def _text(path: Path) -> str:
    from charset_normalizer import from_bytes

    raw = path.read_bytes()[: 256 * 1024]
    best = from_bytes(raw).best()
    text = str(best) if best is not None else raw.decode("utf-8", "replace")
    return f"<pre>{html.escape(text)}</pre>"


def _table(rows: list[list[str]]) -> str:
    """An HTML table of ``rows``, cut after the last column that holds anything: a sheet's declared
    width often runs far past its data (formatted but empty columns), which drew a grid of blanks.
    """
    width = max((_used_width(r) for r in rows), default=0)
    rows = [r[:width] for r in rows]
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r + [""] * (width - len(r))) + "</tr>"
                   for r in rows)
    return f'<div class="sheet"><table>{body}</table></div>'


def _used_width(row: list[str]) -> int:
    return max((index + 1 for index, cell in enumerate(row) if cell.strip()), default=0)


def png_of(path: Path) -> bytes:
    """A TIFF (scans often are) as PNG, first page, for the browser."""
    import io

    from PIL import Image

    with Image.open(path) as image:
        image.thumbnail((2400, 2400))
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG")
        return out.getvalue()
