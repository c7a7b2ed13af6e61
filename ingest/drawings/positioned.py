"""Text with positions, from any source: OCR lines, a vector PDF's text layer, DXF entities.

Title-block and stamp detection only need "which text is where on the sheet", so every source is
turned into the same :class:`~ingest.ocr.engine.TextBox` boxes (top-left origin, y downwards)
with the sheet's width and height in the same units.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2

from ingest.layout import TextBox


@dataclass(frozen=True)
class Sheet:
    """The lines of one drawing sheet and its size, in one coordinate system."""

    lines: list[TextBox]
    width: float
    height: float


def pdf_sheet(page: pypdfium2.PdfPage) -> Sheet:
    """The text-layer runs of a vector PDF page with their boxes (PDF points, y flipped)."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    lines = []
    try:
        for index in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(index)
            text = textpage.get_text_bounded(left, bottom, right, top).strip()
            if text:
                box = (round(left), round(height - top), round(right), round(height - bottom))
                lines.append(TextBox(box=box, text=text, score=1.0))
    finally:
        textpage.close()
    return Sheet(lines=lines, width=width, height=height)
