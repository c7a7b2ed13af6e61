"""OFD (GB/T 33190, the Chinese fixed-layout format of e-government systems) → text.

An OFD file is a ZIP: ``OFD.xml`` names each document's root (``Doc_0/Document.xml``), which
lists its pages (``Pages/Page_0/Content.xml``); page text is in ``TextObject`` elements whose
``TextCode`` children carry the characters and their position. Text objects are put in reading
order by position (rows top to bottom, left to right), the same way OCR lines are.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from haystack import Document, component
from lxml import etree

from ingest.failures import ConversionError, ConversionFailure
from ingest.guards import LIMITS, check_package
from ingest.layout import TextBox, page_text
from ingest.sources import (
    PAGE_SEPARATOR,
    ZIP_MAGIC,
    ConvertedText,
    Source,
    convert_sources,
    describe_container,
)
from schemas import meta as meta_keys
from schemas.ingest import QuarantineCode

MAX_PART_BYTES = 64 * 1024 * 1024  # a page description larger than this is a zip bomb, not a page
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, load_dtd=False)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [node for node in element.iter() if _local(node) == name]


class _Package:
    def __init__(self, data: bytes) -> None:
        check_package(data, "OFD")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise ConversionError(QuarantineCode.CORRUPT, "is not a valid OFD (damaged ZIP container)") from exc
        self.names = {name.lstrip("/"): name for name in self.zip.namelist()}
        self.parsed = 0  # bytes of XML parsed so far: pages may all point at one big page

    def xml(self, path: str) -> etree._Element:
        name = self.names.get(posixpath.normpath(path).lstrip("/"))
        if name is None:
            raise ConversionError(QuarantineCode.CORRUPT, f"is a damaged OFD: {path} is missing")
        size = self.zip.getinfo(name).file_size
        if size > MAX_PART_BYTES:
            raise ConversionError(QuarantineCode.CORRUPT, f"is a damaged OFD: {path} is implausibly large")
        self.parsed += size
        if self.parsed > LIMITS.ofd_bytes:
            raise ConversionError(QuarantineCode.TOO_LARGE, (
                f"的页面描述合计超过 {LIMITS.ofd_bytes // (1 << 20):,} MB（许多页面指向同一个大页面的放大攻击，"
                "或异常庞大的文件），已拒绝读取"))
        root = etree.fromstring(self.zip.read(name), _PARSER)
        if root is None:
            raise ConversionError(QuarantineCode.CORRUPT, f"is a damaged OFD: {path} is not XML")
        return root


def _resolve(base_dir: str, location: str) -> str:
    location = location.strip()
    return location.lstrip("/") if location.startswith("/") else posixpath.join(base_dir, location)


def _floats(value: str | None, count: int) -> list[float]:
    try:
        numbers = [float(part) for part in (value or "").split()]
    except ValueError:
        numbers = []
    return (numbers + [0.0] * count)[:count]


def _page_lines(page: etree._Element) -> list[TextBox]:
    lines = []
    for text_object in _children(page, "TextObject"):
        left, top, width, height = _floats(text_object.get("Boundary"), 4)
        codes = _children(text_object, "TextCode")
        text = "".join(code.text or "" for code in codes).strip()
        if not text:
            continue
        x, y = _floats(codes[0].get("X"), 1)[0], _floats(codes[0].get("Y"), 1)[0]
        box = (left + x, top + y - height, left + x + max(width - x, 1), top + y)
        lines.append(TextBox(box=tuple(round(v * 100) for v in box), text=text, score=1.0))
    return lines


def convert_ofd(data: bytes, name: str) -> ConvertedText:
    if not data.startswith(ZIP_MAGIC):
        what = describe_container(data) or "not a ZIP container"
        raise ConversionError(QuarantineCode.CORRUPT, f"is not a valid OFD ({what})")
    package = _Package(data)
    if "OFD.xml" not in package.names:
        raise ConversionError(QuarantineCode.CORRUPT, "is not a valid OFD (no OFD.xml inside the ZIP)")
    if any(posixpath.basename(n).lower() == "encryptions.xml" for n in package.names):
        raise ConversionError(QuarantineCode.ENCRYPTED, "is an encrypted OFD (it has an Encryptions.xml)")
    root = package.xml("OFD.xml")
    pages: list[str] = []
    title = None
    for body in _children(root, "DocBody"):
        for info_title in _children(body, "Title"):
            title = title or (info_title.text or "").strip() or None
        for doc_root in _children(body, "DocRoot"):
            document_path = _resolve("", doc_root.text or "")
            document = package.xml(document_path)
            base_dir = posixpath.dirname(document_path)
            listed = _children(document, "Page")
            if len(listed) > LIMITS.ofd_pages:
                raise ConversionError(QuarantineCode.TOO_LARGE, (
                    f"列出了 {len(listed):,} 个页面，超过一份文件 {LIMITS.ofd_pages:,} 页的上限，已拒绝读取"))
            for page in listed:
                location = page.get("BaseLoc")
                if location:
                    pages.append(page_text(_page_lines(package.xml(_resolve(base_dir, location)))))
    if not pages:
        raise ConversionError(QuarantineCode.CORRUPT, "is a damaged OFD (no pages listed in its documents)")
    extra = {meta_keys.EMBEDDED_TITLE: title} if title else {}
    return ConvertedText(text=PAGE_SEPARATOR.join(pages), format="ofd", extractor="ofd-xml", pages=len(pages),
                         extra_meta=extra)


@component
class OfdConverter:
    """Haystack converter for OFD files; reports unreadable files instead of raising."""

    @component.output_types(documents=list[Document], failures=list[ConversionFailure])
    def run(self, sources: list[Source], meta: dict | list[dict] | None = None) -> dict:
        """Convert each OFD; one Document per readable file, one ConversionFailure per other file."""
        return convert_sources(sources, meta, convert_ofd, kind="OFD")
