"""PDF → text: pypdf first, pypdfium2 when pypdf's output is garbled or pypdf cannot open the file.

Why two engines: pypdf mis-decodes some Type0 fonts whose /Encoding is an embedded CMap (it puts a
NUL before every character, or turns Chinese into Latin-1 noise; stack-notes §1), while PDFium
reads them correctly. PDFium is also the one that opens AES-encrypted files with an empty user
password without extra crypto packages. pypdf stays first because its output is what the rest of
the pipeline was measured on; the fallback only replaces it when it scores better.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

import pypdfium2
import pypdfium2.raw as pdfium_raw
from haystack import Document, component
from pypdf import PdfReader
from pypdf.errors import LimitReachedError

from ingest.failures import ConversionError, ConversionFailure
from ingest.guards import LIMITS
from ingest.sources import (
    PAGE_SEPARATOR,
    ConvertedText,
    Source,
    convert_sources,
    describe_container,
    has_text,
)
from schemas import meta as meta_keys
from schemas.ingest import QuarantineCode

logger = logging.getLogger(__name__)

# Below this many letters/digits/CJK characters per page we ask PDFium for a second opinion.
MIN_MEANINGFUL_CHARS_PER_PAGE = 20
# Share of visible characters that may be mojibake (controls, U+FFFD, private use, foreign scripts).
MAX_SUSPICIOUS_SHARE = 0.10


@dataclass(frozen=True)
class TextQuality:
    """Counts that tell readable extracted text from mojibake."""

    meaningful: int  # CJK ideographs, ASCII and full-width letters/digits
    suspicious: int  # NUL/control characters, U+FFFD, private use, letters of unrelated scripts
    visible: int  # every non-whitespace character

    @property
    def score(self) -> int:
        return self.meaningful - 3 * self.suspicious


# Characters mis-decoded CJK text turns into but Chinese construction documents do not use:
# controls (except tab/newlines/form feed), U+FFFD, private use, and the Unicode blocks from
# Latin-1 letters and IPA, the scripts from Armenian to Mongolian (Thai, Tibetan, Canadian
# syllabics …), Latin Extended Additional, Glagolitic … Ethiopic Extended, CJK Extension A (rare
# characters) and Yi … Hangul.
_SUSPICIOUS = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff"
    "\u00a0-\u036f\u0530-\u1dff\u1e00-\u1fff\u2c00-\u2dff\u3400-\u4dbf\ua000-\ud7ff]"
)
# Latin-1 symbols inside those blocks that genuinely occur in Chinese construction documents.
_HARMLESS = re.compile("[×÷°±·²³µ§¥¢£®©¼½¾]")
_MEANINGFUL = re.compile(
    "[0-9A-Za-z\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
)
_BLANK = re.compile("[\t\n\r\f \u3000]")


def measure_text(text: str) -> TextQuality:
    suspicious = len(_SUSPICIOUS.findall(text)) - len(_HARMLESS.findall(text))
    return TextQuality(
        meaningful=len(_MEANINGFUL.findall(text)),
        suspicious=suspicious,
        visible=len(text) - len(_BLANK.findall(text)),
    )


def looks_garbled(text: str, pages: int = 1) -> bool:
    """True when extracted text is probably mis-decoded or missing and worth re-extracting.

    Triggers on any NUL, on more than 10 % suspicious characters, or on fewer than 20 meaningful
    characters per page. False alarms only cost a (fast) PDFium pass: the better text wins.
    """
    if "\x00" in text:
        return True
    quality = measure_text(text)
    if quality.visible and quality.suspicious > MAX_SUSPICIOUS_SHARE * quality.visible:
        return True
    return quality.meaningful < MIN_MEANINGFUL_CHARS_PER_PAGE * max(pages, 1)


class DenseContentStream(Exception):
    """pypdf gave up parsing a content stream of more operators than its work budget allows."""


def is_parsing_budget(error: LimitReachedError) -> bool:
    """True for pypdf's limit on how many tokens it parses, False for its limits on inflating.

    pypdf raises one exception class for both; only its message tells them apart ("Reached
    maximum number of tokens" in pypdf 6–7). A message we do not recognise counts as inflating,
    the safe side: such a file is quarantined, not handed to PDFium.
    """
    return "number of tokens" in str(error)


def extract_with_pypdf(data: bytes) -> tuple[list[str], str | None]:
    """Page texts and the Info title; raises ConversionError(ENCRYPTED) for a password-protected file."""
    reader = PdfReader(io.BytesIO(data))
    try:
        if reader.is_encrypted and not reader.decrypt(""):
            raise ConversionError(QuarantineCode.ENCRYPTED, "is encrypted (password required)")
        check_page_count(_declared_pages(reader))
        check_page_count(len(reader.pages))
        try:
            pages = [page.extract_text() or "" for page in reader.pages]
        except LimitReachedError as exc:
            if is_parsing_budget(exc):
                # A dense vector drawing (a sheet of thousands of lines) has more operators than
                # pypdf will parse, but was already inflated within its limit: not a bomb.
                # Raised as a plain failure, so convert_pdf asks PDFium, which reads it.
                raise DenseContentStream(str(exc)) from exc
            # pypdf stops inflating a stream at its own limit; PDFium would not, so no second opinion.
            raise ConversionError(QuarantineCode.TOO_LARGE, (
                "的内容流解压后大得异常（压缩炸弹：几 KB 的文件解压出几 GB），超过读取上限，已拒绝读取")) from exc
        title = None
        try:
            title = reader.metadata.title if reader.metadata else None
        except Exception:  # a broken Info dictionary should not cost us the text
            logger.debug("unreadable PDF Info dictionary", exc_info=True)
        return pages, title
    finally:
        # The parsed objects point back at the reader (reference cycles): without this they,
        # and the file's bytes, wait for a full cyclic collection, which comes ever more rarely
        # as a long-running reader process's heap grows.
        reader.close()


def extract_with_pdfium(data: bytes) -> tuple[list[str], str | None]:
    """Page texts and the Info title via PDFium; ENCRYPTED when it asks for a password."""
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_raw.FPDF_ERR_PASSWORD or "password" in str(exc).lower():
            raise ConversionError(QuarantineCode.ENCRYPTED, "is encrypted (password required)") from exc
        raise
    try:
        check_page_count(len(document))
        pages = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                pages.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            finally:
                textpage.close()
                page.close()
        title = (document.get_metadata_dict() or {}).get("Title") or None
    finally:
        document.close()
    return pages, title


def _declared_pages(reader: PdfReader) -> int:
    """The page count the page tree declares (/Count), read without walking the tree: pypdf takes
    half a minute to walk 100,000 pages before it could count them.
    """
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
        return int(count) if isinstance(count, int) else 0
    except Exception:  # no or a damaged page tree: the real count is checked after the walk
        return 0


def check_page_count(pages: int) -> None:
    """A PDF of more pages than any real document has (100,000 blank ones, say) is refused at once."""
    if pages > LIMITS.pdf_pages:
        raise ConversionError(QuarantineCode.TOO_LARGE, (
            f"有 {pages:,} 页，超过一份文件 {LIMITS.pdf_pages:,} 页的上限（逐页读取会超出读取时限），已拒绝读取"))


def convert_pdf(data: bytes, name: str) -> ConvertedText:
    """Read one PDF's text, choosing the engine whose output is readable."""
    if b"%PDF-" not in data[:1024]:
        what = describe_container(data) or "not a PDF (no %PDF header)"
        raise ConversionError(QuarantineCode.CORRUPT, f"is not a valid PDF: the content is {what}")
    pypdf_pages: list[str] | None = None
    pypdf_title = None
    pypdf_error: Exception | None = None
    try:
        pypdf_pages, pypdf_title = extract_with_pypdf(data)
    except ConversionError:
        raise
    except Exception as exc:  # pypdf failing is not final: PDFium may still read the file
        logger.info("pypdf could not read %s (%s); trying pypdfium2", name, exc)
        pypdf_error = exc

    if pypdf_pages is not None and not looks_garbled(PAGE_SEPARATOR.join(pypdf_pages), len(pypdf_pages)):
        return _converted(pypdf_pages, "pypdf", pypdf_title)

    try:
        pdfium_pages, pdfium_title = extract_with_pdfium(data)
    except ConversionError:
        raise
    except Exception as exc:
        if pypdf_pages is None:
            cause = pypdf_error or exc
            raise ConversionError(
                QuarantineCode.CORRUPT, f"is damaged or truncated ({type(cause).__name__}: {cause})"
            ) from exc
        logger.info("pypdfium2 could not read %s (%s); keeping pypdf text", name, exc)
        return _checked(_converted(pypdf_pages, "pypdf", pypdf_title))

    if pypdf_pages is not None:
        pypdf_score = measure_text(PAGE_SEPARATOR.join(pypdf_pages)).score
        pdfium_score = measure_text(PAGE_SEPARATOR.join(pdfium_pages)).score
        if pypdf_score >= pdfium_score and "\x00" not in "".join(pypdf_pages):
            return _checked(_converted(pypdf_pages, "pypdf", pypdf_title))
    logger.info("using pypdfium2 text for %s", name)
    return _checked(_converted(pdfium_pages, "pypdfium2", pdfium_title or pypdf_title))


def _converted(pages: list[str], extractor: str, title: str | None) -> ConvertedText:
    extra = {meta_keys.EMBEDDED_TITLE: title.strip()} if title and title.strip() else {}
    return ConvertedText(
        text=PAGE_SEPARATOR.join(pages), format="pdf", extractor=extractor, pages=len(pages), extra_meta=extra
    )


def _checked(converted: ConvertedText) -> ConvertedText:
    if not has_text(converted.text):
        raise ConversionError(
            QuarantineCode.NO_TEXT,
            f"has no text layer on any of its {converted.pages} page(s) (scanned PDF; OCR not enabled)",
        )
    return converted


@component
class PdfConverter:
    """Haystack converter for PDFs that reports unreadable files instead of raising."""

    @component.output_types(documents=list[Document], failures=list[ConversionFailure])
    def run(self, sources: list[Source], meta: dict | list[dict] | None = None) -> dict:
        """Convert each PDF; one Document per readable file, one ConversionFailure per other file."""
        return convert_sources(sources, meta, convert_pdf, kind="PDF")
