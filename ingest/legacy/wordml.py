"""WordML (Word 2003 XML, often saved with a .doc extension) → text.

One XML file: paragraphs are ``w:p`` with text in ``w:t``; tables are ``w:tbl``/``w:tr``/``w:tc``.
Parsed with lxml with entity resolution and network access switched off (untrusted input).
"""

from __future__ import annotations

from lxml import etree

from ingest.failures import ConversionError
from ingest.guards import scan_xml
from ingest.sources import CELL_SEPARATOR
from schemas.ingest import QuarantineCode

WORDML_NS = "http://schemas.microsoft.com/office/word/2003/wordml"
_W = f"{{{WORDML_NS}}}"


def is_wordml(data: bytes) -> bool:
    head = data[:4096]
    return head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<?xml") and WORDML_NS.encode() in data[:65536]


def _paragraph_text(paragraph: etree._Element) -> str:
    parts = []
    for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        else:
            parts.append(" " if node.tag == f"{_W}tab" else "\n")
    return "".join(parts).strip()


def _lines(element: etree._Element) -> list[str]:
    lines: list[str] = []
    for child in element:
        if child.tag == f"{_W}p":
            lines.append(_paragraph_text(child))
        elif child.tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                cells = [" ".join(_paragraph_text(p) for p in cell.iter(f"{_W}p")).strip() for cell in row.iter(f"{_W}tc")]
                lines.append(CELL_SEPARATOR.join(cell for cell in cells if cell))
        elif isinstance(child.tag, str):
            lines.extend(_lines(child))  # w:body, wx:sect, wx:sub-section …
    return lines


def convert_wordml(data: bytes) -> str:
    scan_xml(data, "WordML 正文")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ConversionError(QuarantineCode.CORRUPT, f"is a damaged WordML (XML) document ({exc})") from exc
    body = root.find(f"{_W}body")
    if body is None:
        raise ConversionError(QuarantineCode.CORRUPT, "is WordML without a document body")
    return "\n".join(_lines(body))
