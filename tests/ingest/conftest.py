"""Fixtures that write real Chinese documents (PDF, DOCX, XLSX, text) into tmp_path."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from haystack.dataclasses import ByteStream

from ingest.failures import mime_type_for
from ingest.sources import OLE_MAGIC as OLE_SIGNATURE

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

CJK_FONT = "STSong-Light"


def _bytestream_for(path: Path) -> ByteStream:
    """What core hands the pipeline: the stored blob with its original name in meta."""
    return ByteStream.from_file_path(
        path, mime_type=mime_type_for(path.name), meta={"original_name": path.name}
    )


@pytest.fixture
def bytestream_for() -> Callable[[Path], ByteStream]:
    return _bytestream_for


def write_pdf(path: Path, pages: list[list[str]], title: str | None = None) -> Path:
    """A text PDF (reportlab, STSong-Light CID font), one list of lines per page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    if title:
        pdf.setTitle(title)
    for lines in pages:
        pdf.setFont(CJK_FONT, 12)
        y = 780
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 24
        pdf.showPage()
    pdf.save()
    return path


def write_image_only_pdf(path: Path) -> Path:
    """A 'scanned' PDF: one page holding only a picture, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (400, 200), 255)
    ImageDraw.Draw(image).rectangle((40, 40, 360, 160), outline=0, width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 100, 500, 400, 200)
    pdf.showPage()
    pdf.save()
    return path


def inject_merge_with_duplicates(path: Path, sheet_part: str, ref: str) -> None:
    """Add a <mergeCell> to an xlsx sheet without clearing the covered cells (as some exporters do)."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts[sheet_part].decode("utf-8")
    merge = f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'
    parts[sheet_part] = xml.replace("</sheetData>", "</sheetData>" + merge, 1).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


@pytest.fixture
def make_pdf(tmp_path: Path) -> Callable[..., Path]:
    def make(name: str, pages: list[list[str]], title: str | None = None) -> Path:
        return write_pdf(tmp_path / name, pages, title)

    return make


@pytest.fixture
def acceptance_pdf(make_pdf) -> Path:
    return make_pdf(
        "隐蔽工程验收记录.pdf",
        [
            ["隐蔽工程质量验收记录", "工程名称：大理机场三期扩建工程", "编号：YS-2024-031"],
            ["验收结论：符合设计及规范要求", "验收日期：2024年5月17日"],
        ],
        title="隐蔽验收",
    )


_CUSTOM_CMAP = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> def
/CMapName /Custom-H def
/CMapType 1 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 begincidrange
<0000> <FFFF> 0
endcidrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end"""

_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
3 beginbfrange
<3000> <303F> <3000>
<4E00> <9FFF> <4E00>
<FF00> <FFEF> <FF00>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end"""


def write_embedded_cmap_pdf(path: Path, text: str) -> Path:
    """A PDF whose Type0 font has its /Encoding as an embedded CMap stream (not a name).

    This is the font structure stack-notes §1 found behind pypdf's garbled Chinese (fpdf2 +
    NotoSansCJK): pypdf decodes such codes one byte at a time, PDFium decodes them correctly.
    """
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    def name(value: str) -> NameObject:
        return NameObject(value)

    writer = PdfWriter()

    def stream(data: bytes, entries: dict | None = None):
        obj = DecodedStreamObject()
        obj.set_data(data)
        for key, value in (entries or {}).items():
            obj[name(key)] = value
        return writer._add_object(obj)

    system_info = DictionaryObject(
        {
            name("/Registry"): TextStringObject("Adobe"),
            name("/Ordering"): TextStringObject("Identity"),
            name("/Supplement"): NumberObject(0),
        }
    )
    page = writer.add_blank_page(595, 842)
    encoding = stream(
        _CUSTOM_CMAP, {"/Type": name("/CMap"), "/CMapName": name("/Custom-H"), "/CIDSystemInfo": system_info}
    )
    descriptor = writer._add_object(
        DictionaryObject(
            {
                name("/Type"): name("/FontDescriptor"),
                name("/FontName"): name("/SimSun"),
                name("/Flags"): NumberObject(4),
                name("/FontBBox"): ArrayObject([NumberObject(0)] * 4),
                name("/ItalicAngle"): NumberObject(0),
                name("/Ascent"): NumberObject(880),
                name("/Descent"): NumberObject(-120),
                name("/CapHeight"): NumberObject(700),
                name("/StemV"): NumberObject(80),
            }
        )
    )
    descendant = writer._add_object(
        DictionaryObject(
            {
                name("/Type"): name("/Font"),
                name("/Subtype"): name("/CIDFontType2"),
                name("/BaseFont"): name("/SimSun"),
                name("/CIDSystemInfo"): system_info,
                name("/DW"): NumberObject(1000),
                name("/FontDescriptor"): descriptor,
            }
        )
    )
    font = writer._add_object(
        DictionaryObject(
            {
                name("/Type"): name("/Font"),
                name("/Subtype"): name("/Type0"),
                name("/BaseFont"): name("/SimSun"),
                name("/Encoding"): encoding,
                name("/DescendantFonts"): ArrayObject([descendant]),
                name("/ToUnicode"): stream(_TO_UNICODE),
            }
        )
    )
    page[name("/Resources")] = DictionaryObject({name("/Font"): DictionaryObject({name("/F1"): font})})
    hex_text = text.encode("utf-16-be").hex().upper()
    page[name("/Contents")] = stream(f"BT /F1 12 Tf 72 700 Td <{hex_text}> Tj ET".encode("ascii"))
    with path.open("wb") as handle:
        writer.write(handle)
    return path


@pytest.fixture
def make_embedded_cmap_pdf(tmp_path: Path) -> Callable[[str, str], Path]:
    return lambda name, text: write_embedded_cmap_pdf(tmp_path / name, text)


@pytest.fixture
def make_image_only_pdf(tmp_path: Path) -> Callable[[str], Path]:
    return lambda name: write_image_only_pdf(tmp_path / name)


@pytest.fixture
def inject_merge() -> Callable[[Path, str, str], None]:
    return inject_merge_with_duplicates


# --- a minimal .xls writer (no xls writer is installed; xlrd only reads) ----------------------
# BIFF8 records inside an OLE2 compound file, just enough for xlrd: globals (BOF, CODEPAGE,
# DATEMODE, FONT, XF, BOUNDSHEET, EOF) and per sheet BOF, LABEL/NUMBER cells, MERGEDCELLS, EOF.

_XLS_DATE_XF = 16  # cell XF index whose number format is the built-in date format 14
_EXCEL_EPOCH = date(1899, 12, 30)


def _biff(record_type: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", record_type, len(data)) + data


def _biff_bof(kind: int) -> bytes:
    return _biff(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))


def _biff_string(text: str, length_format: str) -> bytes:
    return struct.pack(length_format, len(text), 1) + text.encode("utf-16-le")


def _biff_xf(format_index: int, style: bool) -> bytes:
    return _biff(
        0x00E0,
        struct.pack("<HHHBBBBIIH", 0, format_index, 0xFFF5 if style else 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0),
    )


def _biff_sheet(rows: list[list], merged: list[tuple[int, int, int, int]]) -> bytes:
    records = [_biff_bof(0x0010)]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                records.append(_biff(0x0204, struct.pack("<HHH", r, c, 15) + _biff_string(value, "<HB")))
            elif isinstance(value, date):
                serial = float((value - _EXCEL_EPOCH).days)
                records.append(_biff(0x0203, struct.pack("<HHHd", r, c, _XLS_DATE_XF, serial)))
            else:
                records.append(_biff(0x0203, struct.pack("<HHHd", r, c, 15, float(value))))
    if merged:  # (first_row, last_row, first_col, last_col), inclusive
        records.append(
            _biff(0x00E5, struct.pack("<H", len(merged)) + b"".join(struct.pack("<HHHH", *m) for m in merged))
        )
    records.append(_biff(0x000A))
    return b"".join(records)


def _biff_workbook(sheets: list[tuple[str, list[list], list]], encrypted: bool) -> bytes:
    font = _biff(
        0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _biff_string("宋体", "<BB")
    )
    head = [_biff_bof(0x0005)]
    if encrypted:
        head.append(_biff(0x002F, struct.pack("<HHH", 1, 1, 1) + b"\x00" * 48))  # FILEPASS
    head += [_biff(0x0042, struct.pack("<H", 1200)), _biff(0x0022, struct.pack("<H", 0))]
    head += (
        [font] * 5 + [_biff_xf(0, style=True)] * 15 + [_biff_xf(0, style=False), _biff_xf(14, style=False)]
    )
    bodies = [_biff_sheet(rows, merged) for _, rows, merged in sheets]
    bound_sizes = [4 + 6 + 2 + 2 * len(name) for name, _, _ in sheets]
    offset = sum(map(len, head)) + sum(bound_sizes) + 4
    bounds = []
    for (name, _, _), body in zip(sheets, bodies, strict=True):
        bounds.append(_biff(0x0085, struct.pack("<IBB", offset, 0, 0) + _biff_string(name, "<BB")))
        offset += len(body)
    return b"".join([*head, *bounds, _biff(0x000A), *bodies])


def _compound_file(stream: bytes, stream_name: str = "Workbook") -> bytes:
    """An OLE2 container with one stream; ≥4096 bytes so it lives in regular sectors."""
    sector = 512
    stream = stream.ljust(max(4096, -(-len(stream) // sector) * sector), b"\x00")
    count = len(stream) // sector
    end, free = 0xFFFFFFFE, 0xFFFFFFFF
    fat = [0xFFFFFFFD, end] + [3 + i for i in range(count - 1)] + [end]
    fat += [free] * (128 - len(fat))
    header = OLE_SIGNATURE + b"\x00" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0) + struct.pack("<I", 0)
    header += struct.pack("<I", free) * 108

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00" if name else b""
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBBIII", len(raw), kind, 1, free, free, child)
            + b"\x00" * 20
            + b"\x00" * 16
            + struct.pack("<III", start, size, 0)
        )

    directory = entry("Root Entry", 5, 1, end, 0) + entry(stream_name, 2, free, 2, len(stream))
    directory += entry("", 0, free, 0, 0) * 2
    return header + struct.pack("<128I", *fat) + directory + stream


def write_xls(path: Path, sheets: list[tuple[str, list[list], list]], encrypted: bool = False) -> Path:
    path.write_bytes(_compound_file(_biff_workbook(sheets, encrypted)))
    return path


@pytest.fixture
def make_xls(tmp_path: Path) -> Callable[..., Path]:
    return lambda name, sheets, encrypted=False: write_xls(tmp_path / name, sheets, encrypted)
