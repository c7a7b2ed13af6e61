"""The limits of what one file may make a reader do. Generous for real construction documents (a
2,000-page specification, an A0 drawing scanned at 300 dpi, a 100,000-row workbook), far below
what the hostile cases ask for (gigabytes inflated, billions of pixels, millions of frames).
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    zip_members: int = 20_000  # members of one DOCX/XLSX/OFD (a real one has tens to a few thousand)
    zip_member_bytes: int = 256 * MB  # one member inflated (a document body, a worksheet)
    zip_total_bytes: int = 1024 * MB  # all members inflated
    xml_elements: int = 2_000_000  # a part parsed whole into memory (a DOCX body, shared strings, an OFD page)
    xml_depth: int = 256  # nesting of elements
    table_columns: int = 1000  # grid columns one DOCX table row may span (Word allows 63)
    merged_ranges: int = 100_000  # merged-cell ranges of one worksheet that are honoured
    text_bytes: int = 8 * MB  # of a text file, read (the rest stays in the stored original)
    text_chars: int = 2_000_000  # characters one document keeps (about 1,000 pages; reading 1M takes ~13 s)
    image_pixels: int = 120_000_000  # one image or frame (an A0 sheet at 280 dpi)
    image_frames: int = 1000  # frames (pages) of one TIFF
    pdf_pages: int = 10_000  # pages of one PDF
    ofd_pages: int = 10_000  # pages of one OFD
    ofd_bytes: int = 512 * MB  # page descriptions of one OFD parsed in all


LIMITS = Limits()


def megabytes(size: int) -> str:
    return f"{size / MB:,.0f} MB" if size >= MB else f"{size:,} 字节"
