"""Hostile images: headers that declare enormous sizes, a real 169-megapixel PNG, TIFFs with 20,000
frames or frame chains that loop.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image

from samples.hostile.zips import zlib_bomb


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(path: Path, width: int, height: int, full: bool = False) -> Path:
    """A grey PNG of width × height: ``full`` has every row (all zeros, a few hundred KB), else one row."""
    rows = 100 if full else 1
    row = b"\0" + b"\0" * width
    data = zlib_bomb(b"", row * rows, height // rows) if full else zlib.compress(row)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                     + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b""))
    return path


def _tiff_ifd(entries: list[tuple[int, int, int, int]], next_offset: int) -> bytes:
    """One IFD (little-endian): (tag, type, count, value) entries sorted by tag."""
    body = struct.pack("<H", len(entries))
    for tag, kind, count, value in sorted(entries):
        body += struct.pack("<HHII", tag, kind, count, value)
    return body + struct.pack("<I", next_offset)


def _frame(width: int, height: int, strip: int) -> list[tuple[int, int, int, int]]:
    return [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
            (273, 4, 1, strip), (277, 3, 1, 1), (278, 4, 1, height), (279, 4, 1, width * height)]


def tiff(path: Path, width: int, height: int) -> Path:
    """A TIFF header declaring width × height with one byte of pixel data."""
    ifd = _tiff_ifd(_frame(width, height, 8), 0)
    path.write_bytes(b"II*\x00" + struct.pack("<I", 9) + b"\0" + ifd)
    return path


def tiff_frames(path: Path, frames: int = 20_000, loop: str | None = None) -> Path:
    """1×1 frames chained ``frames`` long; ``loop``: "self" (the first points at itself) or "mutual"."""
    entry_size = 2 + 9 * 12 + 4
    first = 9
    out = bytearray(b"II*\x00" + struct.pack("<I", first) + b"\0")
    count = 2 if loop == "mutual" else (1 if loop == "self" else frames)
    for n in range(count):
        here = first + n * entry_size
        nxt = here + entry_size if n + 1 < count else 0
        if loop == "self":
            nxt = here
        elif loop == "mutual" and n == 1:
            nxt = first
        out += _tiff_ifd(_frame(1, 1, 8), nxt)
    path.write_bytes(bytes(out))
    return path


def jpeg_declaring(path: Path, width: int, height: int) -> Path:
    """A real small JPEG whose frame header (SOF0) is patched to declare width × height."""
    buffer = io.BytesIO()
    Image.new("L", (16, 16), 128).save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    path.write_bytes(bytes(data))
    return path


def scan_jpeg(width: int = 850, height: int = 1200) -> bytes:
    """A grey 'scan' with ruled lines and blocks (no text layer), as JPEG bytes."""
    image = Image.new("L", (width, height), 235)
    for y in range(80, height - 80, 40):
        image.paste(60, (80, y, width - 80 - (y * 7) % 300, y + 12))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=60)
    return buffer.getvalue()
