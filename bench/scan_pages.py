"""Generated scans for the OCR benchmark (and the tests): Chinese text rendered with a CJK font,
rotated a little, blurred and speckled, saved as image-only PDFs as a scanner would.

Needs a CJK TrueType font (Debian: ``apt-get install fonts-wqy-microhei``).
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def cjk_font_path() -> Path | None:
    return next((Path(c) for c in FONT_CANDIDATES if Path(c).exists()), None)


def render_scan(
    lines: list[str],
    size: tuple[int, int] = (1000, 700),
    font_size: int = 34,
    angle: float = 0.8,
    noise: int = 3000,
    seed: int = 0,
) -> Image.Image:
    """A grayscale page with the lines drawn top-left, rotated by ``angle`` degrees, speckled."""
    font_path = cjk_font_path()
    if font_path is None:
        raise RuntimeError("no CJK font installed (apt-get install fonts-wqy-microhei)")
    font = ImageFont.truetype(str(font_path), font_size)
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    y = font_size
    for line in lines:
        draw.text((font_size, y), line, fill=0, font=font)
        y += int(font_size * 1.8)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=False)
    page = page.filter(ImageFilter.GaussianBlur(0.6))
    rng = random.Random(seed)
    pixels = page.load()
    for _ in range(noise):
        pixels[rng.randrange(size[0]), rng.randrange(size[1])] = rng.choice((0, 90, 200))
    return page


def image_bytes(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def write_scanned_pdf(path: Path, pages: list[Image.Image], page_size: tuple[float, float] | None = None) -> Path:
    """An image-only PDF: each page is one picture (JPEG), no text layer. Default: 150 dpi scans."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    first = pages[0]
    width, height = page_size or (first.width * 72 / 150, first.height * 72 / 150)
    pdf = canvas.Canvas(str(path), pagesize=(width, height))
    for image in pages:
        pdf.drawImage(ImageReader(io.BytesIO(image_bytes(image, "JPEG", quality=80))), 0, 0, width, height)
        pdf.showPage()
    pdf.save()
    return path
