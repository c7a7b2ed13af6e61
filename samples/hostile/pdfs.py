"""Hostile PDFs written object by object: cycles, loops, bombs, deep nesting, huge xrefs, actions."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from samples.hostile.zips import MB, zlib_bomb

FONT = "STSong-Light"


def pdf_bytes(objects: dict[int, bytes], root: int = 1, trailer: str = "", xref: bytes | None = None) -> bytes:
    """A PDF of these numbered objects with a correct xref table (unless ``xref`` replaces it)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    start = len(out)
    size = max(objects) + 1
    if xref is None:
        table = [b"xref\n", f"0 {size}\n".encode(), b"0000000000 65535 f \n"]
        table += [f"{offsets.get(n, 0):010d} 00000 {'n' if n in offsets else 'f'} \n".encode() for n in range(1, size)]
        out += b"".join(table) + f"trailer\n<< /Size {size} /Root {root} 0 R {trailer} >>\n".encode()
    else:
        out += xref
    out += f"startxref\n{start}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(data)} {extra} >>\nstream\n".encode() + data + b"\nendstream"


def _page(contents: str = "", resources: str = "") -> bytes:
    return f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {contents} {resources} >>".encode()


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def pages_cycle(path: Path) -> Path:
    """The page tree's only kid is the tree itself."""
    path.write_bytes(pdf_bytes({1: CATALOG, 2: b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"}))
    return path


def pages_mutual(path: Path) -> Path:
    path.write_bytes(pdf_bytes({1: CATALOG, 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                3: b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"}))
    return path


def _simple(text: str = "Hello") -> dict[int, bytes]:
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return {1: CATALOG, 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: _page("/Contents 4 0 R", "/Resources << /Font << /F1 5 0 R >> >>"), 4: _stream(content),
            5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}


def prev_loop(path: Path, mutual: bool = False) -> Path:
    """Trailers whose /Prev points back at themselves (or at each other)."""
    first = pdf_bytes(_simple("prev loop"))
    start = int(first.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    if not mutual:
        path.write_bytes(first.replace(b" >>\nstartxref", f" /Prev {start} >>\nstartxref".encode(), 1))
        return path
    body = first.rsplit(b"xref\n", 1)[0]
    table = first[start:first.index(b"trailer")]
    second = len(body) + len(table) + len(f"trailer\n<< /Size 6 /Root 1 0 R /Prev {start:010d} >>\n".encode())
    data = (body + table + f"trailer\n<< /Size 6 /Root 1 0 R /Prev {second:010d} >>\n".encode() + table
            + f"trailer\n<< /Size 6 /Root 1 0 R /Prev {start:010d} >>\nstartxref\n{second}\n%%EOF\n".encode())
    path.write_bytes(data)
    return path


def content_bomb(path: Path, gigabytes: int = 4) -> Path:
    """A 10 KB file whose page content stream inflates to ``gigabytes`` GB of blanks."""
    data = zlib_bomb(b"BT /F1 12 Tf 72 720 Td (bomb) Tj ET\n", b" " * MB, gigabytes * 1024)
    objects = _simple()
    objects[4] = _stream(data, "/Filter /FlateDecode")
    path.write_bytes(pdf_bytes(objects))
    return path


def image_bomb(path: Path, side: int = 50_000) -> Path:
    """A page showing one grey image of side × side pixels (2.5 gigapixels), inflating to 2.5 GB."""
    rows = 100
    data = zlib_bomb(b"", b"\x80" * side * rows, side // rows)
    image = _stream(data, f"/Type /XObject /Subtype /Image /Width {side} /Height {side} /ColorSpace /DeviceGray "
                          "/BitsPerComponent 8 /Filter /FlateDecode")
    path.write_bytes(pdf_bytes({1: CATALOG, 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                3: _page("/Contents 4 0 R", "/Resources << /XObject << /Im0 5 0 R >> >>"),
                                4: _stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q"), 5: image}))
    return path


def many_pages(path: Path, count: int = 100_000, image_jpeg: bytes | None = None) -> Path:
    """``count`` pages: blank, or each showing the same scanned image (a JPEG) with no text layer."""
    first = 10
    kids = " ".join(f"{first + n} 0 R" for n in range(count))
    objects = {1: CATALOG, 2: f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode()}
    if image_jpeg is None:
        page = _page()
    else:
        objects[3] = _stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
        objects[4] = _stream(image_jpeg, "/Type /XObject /Subtype /Image /Width 850 /Height 1200 /ColorSpace "
                                         "/DeviceGray /BitsPerComponent 8 /Filter /DCTDecode")
        page = _page("/Contents 3 0 R", "/Resources << /XObject << /Im0 4 0 R >> >>")
    for n in range(count):
        objects[first + n] = page
    path.write_bytes(pdf_bytes(objects))
    return path


def deep_nesting(path: Path, depth: int = 100_000, kind: str = "array") -> Path:
    nested = ("[" * depth + "]" * depth) if kind == "array" else ("<< /A " * depth + ">>" * depth)
    objects = _simple("deep")
    objects[3] = _page("/Contents 4 0 R /Deep 6 0 R", "/Resources << /Font << /F1 5 0 R >> >>")
    objects[6] = nested.encode()
    path.write_bytes(pdf_bytes(objects))
    return path


def huge_xref(path: Path, stream: bool = False) -> Path:
    """An xref that claims 2,000,000,000 entries (a table subsection, or an xref stream's /Size)."""
    objects = _simple("huge xref")
    if not stream:
        xref = b"xref\n0 2000000000\n0000000000 65535 f \n" + b"trailer\n<< /Size 2000000000 /Root 1 0 R >>\n"
        path.write_bytes(pdf_bytes(objects, xref=xref))
        return path
    body = pdf_bytes(objects).rsplit(b"xref\n", 1)[0]
    entry = _stream(b"\x01" + b"\x00" * 6, "/Type /XRef /Size 2000000000 /W [1 4 2] /Index [0 2000000000] /Root 1 0 R")
    xref_obj = b"6 0 obj\n" + entry + b"\nendobj\n"
    path.write_bytes(body + xref_obj + f"startxref\n{len(body)}\n%%EOF\n".encode())
    return path


def chinese_pdf(lines: list[str]) -> bytes:
    """A born-digital Chinese PDF (reportlab's CID font), for the files whose text must be read."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont(FONT, 12)
    for n, line in enumerate(lines):
        pdf.drawString(60, 800 - 20 * n, line)
    pdf.save()
    return buffer.getvalue()


def encrypted(path: Path, lines: list[str], user_password: str) -> Path:
    """RC4-encrypted; an empty ``user_password`` means only an owner password (opens without one)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(chinese_pdf(lines))))
    writer.encrypt(user_password=user_password, owner_password="所有者口令", algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def with_actions(path: Path, lines: list[str], marker: Path, listener: str) -> Path:
    """JavaScript on open (calls ``listener``) and a /Launch link that would create ``marker``."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(chinese_pdf(lines))))
    launch = DictionaryObject({NameObject("/S"): NameObject("/Launch"),
                               NameObject("/F"): TextStringObject(f"/usr/bin/touch {marker}")})
    link = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(595), NumberObject(842)]),
        NameObject("/A"): launch,
    })
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject(f"app.launchURL('{listener}', true);")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(script)
    with path.open("wb") as handle:
        writer.write(handle)
    return path
