"""Title block and 竣工图章 of a drawing delivered as PDF, from its text layer or its OCR boxes.

Only sheets of A3 size and larger are treated as drawings: on an A4 form the bottom-right corner
holds signatures and a date, not a title block, and reading one there would invent a 图号.
"""

from __future__ import annotations

from typing import Any

import pypdfium2

from ingest.drawings.positioned import Sheet, pdf_sheet
from ingest.drawings.stamp import as_built_stamp
from ingest.drawings.title_block import title_block
from schemas import meta as meta_keys

MIN_DRAWING_SIDE = 1190  # points: the long side of A3 (420 mm)


def drawing_details(data: bytes, text: str, ocr_first_sheet: Sheet | None = None) -> dict[str, Any]:
    """Meta entries for a drawing PDF: TITLE_BLOCK from the first sheet, AS_BUILT_STAMP from the text.

    ``ocr_first_sheet``: the OCR boxes of the first page when it was OCR'd (it has no text layer).
    """
    details: dict[str, Any] = {}
    stamp = as_built_stamp(text)
    if stamp:
        details[meta_keys.AS_BUILT_STAMP] = stamp
    document = pypdfium2.PdfDocument(data)
    try:
        if not len(document):
            return details
        # The size from the page tree, without loading the page: loading parses its content
        # stream and fonts, ~6 ms for a one-page A4 form, paid by every PDF to learn it is no drawing.
        if max(document.get_page_size(0)) < MIN_DRAWING_SIDE:
            return details
        if ocr_first_sheet is not None:
            sheet = ocr_first_sheet
        else:
            page = document[0]
            try:
                sheet = pdf_sheet(page)
            finally:
                page.close()
    finally:
        document.close()
    block = title_block(sheet)
    if block:
        details[meta_keys.TITLE_BLOCK] = block
    return details
