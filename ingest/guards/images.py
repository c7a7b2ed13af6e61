"""Images checked from their headers before a pixel is decoded: size, and a TIFF's chain of frames.

Pillow's ``Image.open`` reads only the header, so an image declaring 50,000 × 50,000 pixels is
refused here in milliseconds and without memory; decoding it (for OCR) would take 2.5 GB for
grey, three times that for colour. A TIFF's frames are a linked list of directories: the chain
is walked here with a set of offsets already seen, so a chain that loops back on itself or runs
to 20,000 frames is refused before Pillow walks it.
"""

from __future__ import annotations

import io
import re
import struct
import warnings

from PIL import Image

from ingest.failures import ConversionError
from ingest.guards.limits import LIMITS, Limits
from schemas.ingest import QuarantineCode


def _tiff_frames(data: bytes, limits: Limits) -> int:
    """Frames of a TIFF by walking its IFD chain; ConversionError for a loop or too many."""
    order = "<" if data[:2] == b"II" else ">"
    offset = struct.unpack_from(order + "I", data, 4)[0]
    seen: set[int] = set()
    while offset:
        if offset in seen:
            raise ConversionError(QuarantineCode.CORRUPT, (
                f"是损坏或恶意构造的 TIFF：第 {len(seen) + 1} 帧的目录又指回第 {sorted(seen).index(offset) + 1} 帧"
                "（帧链成环），读下去永远读不完，已拒绝读取"))
        seen.add(offset)
        if len(seen) > limits.image_frames:
            raise ConversionError(QuarantineCode.TOO_LARGE, (
                f"是有超过 {limits.image_frames:,} 帧的 TIFF，超出一份文件可以识别的范围，已拒绝读取"))
        if offset + 2 > len(data):
            break  # a truncated chain: Pillow reports the damage
        entries = struct.unpack_from(order + "H", data, offset)[0]
        next_at = offset + 2 + 12 * entries
        if next_at + 4 > len(data):
            break
        offset = struct.unpack_from(order + "I", data, next_at)[0]
    return max(1, len(seen))


def check_image(data: bytes, limits: Limits = LIMITS) -> None:
    """Refuse an image whose declared size or frame chain would cost unbounded memory or time."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
        except Image.DecompressionBombError as error:
            pixels = re.search(r"\((\d+) pixels\)", str(error))
            width, height = (int(pixels.group(1)) if pixels else limits.image_pixels + 1), 1
        except Exception:  # not an image, or a damaged header: the converter says which
            return
    if width * height > limits.image_pixels:
        shape = f"{width:,} × {height:,} = " if height > 1 else ""
        raise ConversionError(QuarantineCode.TOO_LARGE, (
            f"是过大的图像：声明 {shape}{width * height / 1e8:.2f} 亿像素，"
            f"超过 {limits.image_pixels / 1e8:.1f} 亿像素的上限，解码会耗尽内存，已拒绝读取"))
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        _tiff_frames(data, limits)

