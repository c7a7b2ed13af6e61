"""Pages and images → pixel arrays for the OCR engine, one page at a time and never oversized.

Why a pixel cap: an A0 sheet rendered at 200 dpi is about 60 MP (180 MB of RGB, and several GB
inside the text detector). Above ``max_pixels`` a page is rendered (or an image downsampled) at
the resolution that just fits, so memory per page is bounded whatever the sheet size. Pages are
produced by generators so a 200-page scan holds one page of pixels at a time.

Arrays are BGR (OpenCV order), which is what rapidocr expects for array input.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pypdfium2
from PIL import Image, ImageOps, ImageSequence


@dataclass(frozen=True)
class Raster:
    """One page ready for OCR: BGR pixels, and pixels per PDF point (1.0 for images)."""

    index: int  # 0-based page (PDF) or frame (TIFF) number
    pixels: np.ndarray
    scale: float


def fit_scale(width: float, height: float, wanted: float, max_pixels: int) -> float:
    """The largest scale ≤ ``wanted`` at which a width×height page stays within max_pixels."""
    if width <= 0 or height <= 0:
        return wanted
    # Renderers round sizes up, so leave one pixel of room on each side.
    capped = math.sqrt(max_pixels / (width * height)) - 1 / min(width, height)
    return min(wanted, capped)


def render_pdf_pages(
    document: pypdfium2.PdfDocument, indexes: list[int], dpi: int, max_pixels: int
) -> Iterator[Raster]:
    """Render the given pages of an open PDF, one at a time, each under the pixel cap."""
    for index in indexes:
        page = document[index]
        try:
            width, height = page.get_size()
            scale = fit_scale(width, height, dpi / 72, max_pixels)
            bitmap = page.render(scale=scale, rotation=0)
            try:
                pixels = np.ascontiguousarray(bitmap.to_numpy()[..., :3])
            finally:
                bitmap.close()
        finally:
            page.close()
        yield Raster(index=index, pixels=pixels, scale=scale)


def count_frames(data: bytes) -> int:
    with Image.open(io.BytesIO(data)) as image:
        return getattr(image, "n_frames", 1)


def image_frames(data: bytes, max_pixels: int) -> Iterator[Raster]:
    """Every frame of an image file (multi-page TIFF included), upright and under the pixel cap."""
    with Image.open(io.BytesIO(data)) as image:
        if image.format == "JPEG":  # decode at a fraction of full size when that is enough (cheap)
            scale = fit_scale(image.width, image.height, 1.0, max_pixels)
            image.draft("RGB", (int(image.width * scale) + 1, int(image.height * scale) + 1))
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            upright = ImageOps.exif_transpose(frame.copy())
            yield Raster(index=index, pixels=_bgr(_capped(upright, max_pixels)), scale=1.0)


def _capped(image: Image.Image, max_pixels: int) -> Image.Image:
    scale = fit_scale(image.width, image.height, 1.0, max_pixels)
    if scale >= 1.0:
        return image
    size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _bgr(image: Image.Image) -> np.ndarray:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        background = Image.new("RGB", image.size, "white")
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        image = background
    rgb = np.asarray(image.convert("RGB"))
    return np.ascontiguousarray(rgb[..., ::-1])
