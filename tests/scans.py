"""Generated "scans" for OCR tests: Chinese text rendered to an image, slightly rotated, noisy.

The generators live in bench/scan_pages.py (the OCR benchmark uses the same pages). They need a
CJK TrueType font (Debian: fonts-wqy-microhei); tests that need one skip when none is installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from bench import scan_pages
from bench.scan_pages import cjk_font_path, image_bytes, write_scanned_pdf

__all__ = ["image_bytes", "render_scan", "render_sheet", "require_cjk_font", "write_scanned_pdf"]


def require_cjk_font() -> Path:
    path = cjk_font_path()
    if path is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei)")
    return path


def render_scan(lines: list[str], **options: object) -> Image.Image:
    """bench.scan_pages.render_scan, skipping the test when no CJK font is installed."""
    require_cjk_font()
    return scan_pages.render_scan(lines, **options)  # type: ignore[arg-type]


def render_sheet(items: list[tuple[int, int, str]], size: tuple[int, int], font_size: int = 26) -> Image.Image:
    """A scanned drawing sheet: text placed at (x, y) pixel positions, e.g. a title block."""
    font = ImageFont.truetype(str(require_cjk_font()), font_size)
    sheet = Image.new("L", size, 255)
    draw = ImageDraw.Draw(sheet)
    for x, y, text in items:
        draw.text((x, y), text, fill=0, font=font)
    return sheet.rotate(0.4, resample=Image.Resampling.BICUBIC, fillcolor=255)


