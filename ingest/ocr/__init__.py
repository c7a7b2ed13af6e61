"""OCR for scans and images: rapidocr (imported lazily), page rendering, cache, and a CPU bound.

Only :mod:`ingest.ocr.engine` touches the OCR package, and only when a page needs it.
"""

from ingest.ocr.engine import OcrEngine, OcrUnavailable
from ingest.ocr.images import ImageConverter
from ingest.ocr.options import OcrOptions
from ingest.ocr.pdf import ScanAwarePdfConverter
from ingest.ocr.service import PageOcr

__all__ = [
    "ImageConverter",
    "OcrEngine",
    "OcrOptions",
    "OcrUnavailable",
    "PageOcr",
    "ScanAwarePdfConverter",
]
