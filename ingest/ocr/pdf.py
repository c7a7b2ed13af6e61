"""PDF → text, with OCR for exactly the pages that have no usable text layer.

Born-digital pages keep their text layer (read by :mod:`ingest.pdf`, unchanged); a page whose
layer has fewer than a handful of letters/digits/CJK characters — a scan, or a CAD plot whose
lettering was exported as curves — is rendered with PDFium and OCR'd. Blank pages (no page
objects at all) are skipped. Without an OCR engine a scan is still kept and catalogued, with the
status "OCR not installed", so nothing waits in quarantine for a package to be installed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from typing import Any

import pypdfium2
from haystack import Document, component

from ingest.drawings.positioned import Sheet
from ingest.drawings.sheets import drawing_details
from ingest.failures import ConversionError, ConversionFailure
from ingest.guards import LIMITS
from ingest.ocr.engine import OcrUnavailable
from ingest.ocr.raster import Raster, render_pdf_pages
from ingest.ocr.results import PageResult, ocr_meta
from ingest.ocr.service import PageOcr, Render
from ingest.pdf import check_page_count, convert_pdf, measure_text
from ingest.sources import PAGE_SEPARATOR, ConvertedText, Source, convert_sources
from schemas import meta as meta_keys
from schemas.ingest import QuarantineCode

logger = logging.getLogger(__name__)

# A page whose text layer has fewer meaningful characters than this is OCR'd.
MIN_LAYER_CHARS = 10


def page_lacks_text(text: str) -> bool:
    return measure_text(text).meaningful < MIN_LAYER_CHARS


# A thin page drawn only with text and a few lines (a cover sheet, a short notice) is what it says;
# more line art than this may be lettering exported as curves (CAD plots) and is worth OCR.
MAX_PATHS_OF_A_TEXT_PAGE = 200
_TEXT, _PATH, _IMAGE, _FORM = 1, 2, 3, 5  # FPDF_PAGEOBJ_* (pypdfium2.raw)


def _check_images(page: Any, index: int) -> None:
    """Refuse a page showing an image too large to decode (PDFium would decode it whole to render)."""
    for obj in page.get_objects(filter=[_IMAGE], max_depth=3):
        try:
            width, height = obj.get_px_size()
        except pypdfium2.PdfiumError:
            continue
        if width * height > LIMITS.image_pixels:
            raise ConversionError(QuarantineCode.TOO_LARGE, (
                f"第 {index + 1} 页的图像声明 {width:,} × {height:,} = {width * height / 1e8:.2f} 亿像素，"
                f"超过 {LIMITS.image_pixels / 1e8:.1f} 亿像素的上限，渲染识别会耗尽内存，已拒绝读取"))


def _worth_ocr(page: Any) -> bool:
    """Whether a page with a thin text layer may hold text only an OCR engine can see.

    Blank pages are not. Pages with an image (a scan) or a form XObject (which may wrap one)
    are. A page whose text layer is short but real, and whose only other marks are a few lines,
    is not: OCR would take seconds per page (measured: about 2–7 s on this 2-core machine) to
    read back the same words.
    """
    kinds: dict[int, int] = {}
    for obj in page.get_objects():
        kinds[obj.type] = kinds.get(obj.type, 0) + 1
        if obj.type in (_IMAGE, _FORM):
            return True
    if not kinds:
        return False
    return not (kinds.get(_TEXT) and kinds.get(_PATH, 0) <= MAX_PATHS_OF_A_TEXT_PAGE)


def _pages_to_ocr(data: bytes, page_texts: list[str] | None) -> tuple[int, list[int]]:
    """(page count, indexes of pages whose text layer is missing or too thin, and worth OCR)."""
    document = pypdfium2.PdfDocument(data)
    try:
        count = len(document)
        check_page_count(count)
        wanted = []
        for index in range(count):
            if page_texts is not None and not page_lacks_text(page_texts[index]):
                continue
            page = document[index]
            try:
                if _worth_ocr(page):
                    _check_images(page, index)
                    wanted.append(index)
            finally:
                page.close()
        return count, wanted
    finally:
        document.close()


def _renderer(data: bytes, dpi: int, max_pixels: int) -> Render:
    def render(indexes: list[int]) -> Iterator[Raster]:
        document = pypdfium2.PdfDocument(data)
        try:
            yield from render_pdf_pages(document, indexes, dpi, max_pixels)
        finally:
            document.close()

    return render


def convert_pdf_with_ocr(data: bytes, name: str, ocr: PageOcr) -> ConvertedText:
    """Text layer where there is one, OCR where there is not; title block and 竣工图章 of drawings."""
    converted, ocr_pages = _read_pages(data, name, ocr)
    first = ocr_pages.get(0)
    first_sheet = Sheet(lines=first.lines, width=first.width, height=first.height) if first else None
    try:
        converted.extra_meta.update(drawing_details(data, converted.text, first_sheet))
    except Exception:  # drawing details are a bonus: never lose the text over them
        logger.warning("%s: could not read its title block", name, exc_info=True)
    return converted


def _read_pages(data: bytes, name: str, ocr: PageOcr) -> tuple[ConvertedText, dict[int, PageResult]]:
    layer: ConvertedText | None = None
    try:
        layer = convert_pdf(data, name)
    except ConversionError as exc:
        if exc.code is not QuarantineCode.NO_TEXT:
            raise
    page_texts = layer.text.split(PAGE_SEPARATOR) if layer is not None else None
    count, wanted = _pages_to_ocr(data, page_texts)
    if page_texts is not None and len(page_texts) != count:
        page_texts = None  # a page's own text contained a form feed; judge the file as a whole
        wanted = [] if layer is not None else wanted
    if not wanted:
        if layer is None:
            raise ConversionError(QuarantineCode.NO_TEXT, f"has no text on any of its {count} page(s) (blank pages)")
        return layer, {}
    texts = page_texts or [""] * count
    extra: dict[str, Any] = dict(layer.extra_meta) if layer else {}
    try:
        engine, results = ocr.recognise(hashlib.sha256(data).hexdigest(), wanted, _renderer(
            data, ocr.options.dpi, ocr.options.max_pixels))
    except OcrUnavailable as exc:
        logger.info("%s: %d page(s) need OCR, which is unavailable (%s)", name, len(wanted), exc)
        extra[meta_keys.TEXT_STATUS] = ocr.unavailable_status().value
        extra[meta_keys.OCR] = {"unavailable": str(exc), "pages_needing_ocr": [i + 1 for i in wanted]}
        return ConvertedText(
            text=PAGE_SEPARATOR.join(texts), format="pdf", extractor=layer.extractor if layer else "none",
            pages=count, extra_meta=extra,
        ), {}
    replaced = _merge(texts, results)
    if not any(measure_text(text).meaningful for text in texts):
        raise ConversionError(
            QuarantineCode.NO_TEXT,
            f"is a scanned PDF and OCR found no text on its {count} page(s)",
        )
    extra[meta_keys.OCR] = ocr_meta(engine, results)
    kept_layer = any(i not in replaced and measure_text(text).meaningful for i, text in enumerate(texts))
    base = layer.extractor if layer is not None and kept_layer else None
    return ConvertedText(
        text=PAGE_SEPARATOR.join(texts), format="pdf", extractor=f"{base}+ocr" if base else "ocr",
        pages=count, extra_meta=extra,
    ), {result.index: result for result in results}


def _merge(texts: list[str], results: list[PageResult]) -> set[int]:
    """Put OCR text in place of thin text layers (in place); returns the pages that took it."""
    replaced = set()
    for result in results:
        ocr_text = result.text
        if measure_text(ocr_text).meaningful > measure_text(texts[result.index]).meaningful:
            texts[result.index] = ocr_text
            replaced.add(result.index)
    return replaced


@component
class ScanAwarePdfConverter:
    """The PDF converter of the reading pipeline: text layer first, OCR for pages without one."""

    def __init__(self, ocr: PageOcr | None = None) -> None:
        self.ocr = ocr or PageOcr()

    @component.output_types(documents=list[Document], failures=list[ConversionFailure])
    def run(self, sources: list[Source], meta: dict | list[dict] | None = None) -> dict:
        """Convert each PDF; one Document per readable file, one ConversionFailure per other file."""
        return convert_sources(sources, meta, lambda data, name: convert_pdf_with_ocr(data, name, self.ocr), kind="PDF")
