"""Plain text (.txt, .csv, .md) → text, with a deterministic encoding decision.

Chinese text files in an agency's shares are UTF-8 (with or without BOM), UTF-16 with a BOM
(Windows Notepad "Unicode"), or GBK/GB2312 from older Windows machines. We try exactly that order,
reading GBK/GB2312 as GB18030 (their superset) so no valid legacy file is rejected; a statistical
detector (charset-normalizer) is only asked when none of those decodes strictly, because its guess
can differ between versions and an archive must decode the same bytes the same way every time.

CSV rows are rewritten with the " | " cell separator the DOCX and spreadsheet converters use, so
field extraction sees one table convention.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
from pathlib import PurePath

from charset_normalizer import from_bytes
from haystack import Document, component

from ingest.failures import ConversionError, ConversionFailure
from ingest.guards import LIMITS
from ingest.sources import CELL_SEPARATOR, ConvertedText, Source, convert_sources, describe_container
from schemas import meta as meta_keys
from schemas.ingest import QuarantineCode, TextStatus

logger = logging.getLogger(__name__)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# More than this share of control/private-use/undecodable characters means it is not text.
MAX_BINARY_SHARE = 0.02


def _is_binary_char(ch: str) -> bool:
    code = ord(ch)
    if code < 0x20:
        return ch not in "\t\n\r\f"
    return 0x7F <= code <= 0x9F or code == 0xFFFD or 0xD800 <= code <= 0xF8FF or code >= 0xF0000


SAMPLE_WINDOWS, SAMPLE_WINDOW = 16, 65_536  # a long text is judged by evenly spread windows


def binary_share(text: str) -> float:
    """Share of characters no text file contains.

    Those are controls (except tab, newlines, form feed), U+FFFD, surrogates and private-use code points.
    A text of millions of characters is judged by windows spread over it, not character by character.
    """
    if not text:
        return 0.0
    if len(text) > SAMPLE_WINDOWS * SAMPLE_WINDOW * 2:
        step = len(text) // SAMPLE_WINDOWS
        text = "".join(text[start:start + SAMPLE_WINDOW] for start in range(0, len(text), step))
    return sum(1 for ch in text if _is_binary_char(ch)) / len(text)


def _strict(data: bytes, encoding: str) -> str | None:
    """Strict decoding; a character cut off at the very end (a truncated file) is left out, not fatal."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 4 and "end of data" in error.reason:
            try:
                return data[: error.start].decode(encoding)
            except UnicodeDecodeError:
                return None
        return None
    except LookupError:
        return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text bytes; returns (text, encoding name). Raises ConversionError for non-text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data, encoding)
            if text is not None and binary_share(text) <= MAX_BINARY_SHARE:
                return text, encoding
            raise ConversionError(
                QuarantineCode.CORRUPT,
                f"starts with a {encoding} byte-order mark but does not decode as {encoding}",
            )
    container = describe_container(data)
    if container:
        raise ConversionError(QuarantineCode.UNSUPPORTED, f"is {container}, not a text file")
    for encoding in ("utf-8", "gb18030"):
        text = _strict(data, encoding)
        if text is not None and binary_share(text) <= MAX_BINARY_SHARE:
            return text, encoding
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        text = str(best)
        if binary_share(text) <= MAX_BINARY_SHARE:
            logger.info("charset-normalizer guessed %s", best.encoding)
            return text, best.encoding
    raise ConversionError(
        QuarantineCode.CORRUPT,
        "is not readable text (binary content, or an encoding other than UTF-8/UTF-16/GB18030)",
    )


def csv_to_rows(text: str) -> str:
    """CSV text with each record as one line of non-empty cells joined by " | "."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        records = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error:
        logger.debug("unparseable CSV; keeping raw text", exc_info=True)
        return text
    lines = (CELL_SEPARATOR.join(cell.strip() for cell in record if cell.strip()) for record in records)
    return "\n".join(line for line in lines if line)


def convert_text(data: bytes, name: str) -> ConvertedText:
    cut = len(data) > LIMITS.text_bytes
    if cut:  # a 200 MB line is read as far as a document's text goes; the original keeps the rest
        data = data[: LIMITS.text_bytes]
    text, encoding = decode_text(data)
    suffix = PurePath(name).suffix.lower()
    fmt = {".csv": "csv", ".md": "md"}.get(suffix, "txt")
    if fmt == "csv":
        text = csv_to_rows(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    extra = {meta_keys.ENCODING: encoding} | ({meta_keys.TEXT_STATUS: TextStatus.TRUNCATED.value} if cut else {})
    return ConvertedText(text=text, format=fmt, extractor="text", extra_meta=extra)


@component
class TextConverter:
    """Haystack converter for .txt/.csv/.md files that reports unreadable files instead of raising."""

    @component.output_types(documents=list[Document], failures=list[ConversionFailure])
    def run(self, sources: list[Source], meta: dict | list[dict] | None = None) -> dict:
        """Convert each text file; one Document per readable file, one ConversionFailure per other file."""
        return convert_sources(sources, meta, convert_text, kind="text")
