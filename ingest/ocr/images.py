"""Images (JPG, PNG, TIFF including multi-page TIFF) → OCR text, plus EXIF for site photos.

An image is always kept once it opens: a photographed permit gets its text, a site photo with no
lettering is catalogued with the status "no text found" and its date and place, and without an
OCR engine the image is kept with "OCR not installed". Only bytes that are not an image at all
(or a truncated one) are quarantined.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from haystack import Document, component
from PIL import Image, UnidentifiedImageError

from ingest.failures import ConversionError, ConversionFailure
from ingest.guards import check_image
from ingest.ocr.engine import OcrUnavailable
from ingest.ocr.raster import Raster, count_frames, image_frames
from ingest.ocr.results import ocr_meta
from ingest.ocr.service import PageOcr
from ingest.photos import photo_meta
from ingest.sources import (
    PAGE_SEPARATOR,
    ConvertedText,
    Source,
    convert_sources,
    describe_container,
    has_text,
)
from schemas import meta as meta_keys
from schemas.ingest import QuarantineCode, TextStatus

logger = logging.getLogger(__name__)

_FORMATS = {".jpg": "jpg", ".jpeg": "jpg", ".png": "png", ".tif": "tiff", ".tiff": "tiff"}


def _check_image(data: bytes) -> int:
    """Frame count of a readable image; ConversionError(CORRUPT) for anything else."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        return count_frames(data)
    except Image.DecompressionBombError as exc:
        raise ConversionError(
            QuarantineCode.TOO_LARGE, f"is an image too large to open safely ({exc})"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        what = describe_container(data)
        detail = f"the content is {what}" if what else f"{type(exc).__name__}: {exc}"
        raise ConversionError(QuarantineCode.CORRUPT, f"is not a readable image ({detail})") from exc


def convert_image(data: bytes, name: str, ocr: PageOcr) -> ConvertedText:
    check_image(data)  # declared size and frame chain, before a pixel is decoded
    frames = _check_image(data)
    fmt = _FORMATS.get(PurePath(name).suffix.lower(), "image")
    extra: dict[str, Any] = {}
    photo = photo_meta(data)
    if photo:
        extra[meta_keys.PHOTO] = photo

    def render(indexes: list[int]) -> Iterator[Raster]:
        wanted = set(indexes)
        return (raster for raster in image_frames(data, ocr.options.max_pixels) if raster.index in wanted)

    try:
        engine, results = ocr.recognise(hashlib.sha256(data).hexdigest(), list(range(frames)), render)
    except OcrUnavailable as exc:
        extra[meta_keys.TEXT_STATUS] = ocr.unavailable_status().value
        extra[meta_keys.OCR] = {"unavailable": str(exc), "pages_needing_ocr": list(range(1, frames + 1))}
        return ConvertedText(text="", format=fmt, extractor="none", pages=frames, extra_meta=extra)
    text = PAGE_SEPARATOR.join(result.text for result in results)
    extra[meta_keys.OCR] = ocr_meta(engine, results)
    if not has_text(text):
        extra[meta_keys.TEXT_STATUS] = TextStatus.NO_TEXT_FOUND.value
    return ConvertedText(text=text, format=fmt, extractor="ocr", pages=frames, extra_meta=extra)


@component
class ImageConverter:
    """Haystack converter for scanned pages and photos; reports unreadable files instead of raising."""

    def __init__(self, ocr: PageOcr | None = None) -> None:
        self.ocr = ocr or PageOcr()

    @component.output_types(documents=list[Document], failures=list[ConversionFailure])
    def run(self, sources: list[Source], meta: dict | list[dict] | None = None) -> dict:
        """Convert each image; one Document per readable image, one ConversionFailure per other file."""
        return convert_sources(sources, meta, lambda data, name: convert_image(data, name, self.ocr), kind="image")
